"""Recommendations: made by community organisations and oversight bodies,
addressed to one organisation, backed by linked sources; the addressee
answers with a status and a public response."""
import requests

from harness import error_of
from test_commitments import create as create_commitment
from test_meetings import new_meeting

U = "/api/v1/recommendations"


def test_create_respond(server):
    m = new_meeting(server)
    c = create_commitment(server)
    s = server.bearer("t-orgadmin@test.example")
    body = {"title": "Recruit and keep officers who reflect Leicester",
            "body": "Publish workforce figures by ethnicity and religion each year; mentor recruits.",
            "from_org": "st-philips-centre", "to_org": "leicestershire-police", "area": "leicester",
            "sources": [{"kind": "meeting", "id": m["id"]}, {"kind": "commitment", "id": c["id"]},
                        {"kind": "figure", "title": "Workforce statistics", "url": "https://example.org/workforce"}]}
    r = s.post(server.url + U, json=body)
    assert r.status_code == 201, r.text
    rec = r.json()
    assert rec["status"] == "open" and rec["from"]["slug"] == "st-philips-centre"
    assert [x["kind"] for x in rec["sources"]] == ["meeting", "commitment", "figure"]
    assert rec["sources"][0]["url"] == f"/meetings/{m['id']}" and rec["sources"][0]["title"] == m["title"]
    u = server.url + f"{U}/{rec['id']}/response"
    assert requests.post(u, json={"status": "accepted"}).status_code == 401
    assert server.bearer("t-officer@test.example").post(u, json={"status": "accepted"}).status_code == 403
    assert s.post(u, json={"status": "accepted"}).status_code == 403  # not the addressee
    sup = server.bearer("t-supervisor@test.example")
    r = sup.post(u, json={"status": "rejected"})
    assert r.status_code == 422 and error_of(r)["field"] == "reason"
    r = sup.post(u, json={"status": "maybe"})
    assert r.status_code == 422 and error_of(r)["field"] == "status"
    assert requests.get(server.url + f"{U}/{rec['id']}").json()["status"] == "open"
    r = sup.post(u, json={"status": "accepted", "response": "We will publish figures every April."})
    assert r.status_code == 200 and r.json()["response"].startswith("We will publish")
    r = sup.post(u, json={"status": "implemented"})
    assert r.status_code == 200 and r.json()["status"] == "implemented"
    assert r.json()["response"].startswith("We will publish")
    assert sup.post(u, json={"status": "open"}).status_code == 409
    ids = [x["id"] for x in requests.get(server.url + U + "?org=leicestershire-police").json()["recommendations"]]
    assert rec["id"] in ids
    ids = [x["id"] for x in requests.get(server.url + U + "?status=open").json()["recommendations"]]
    assert rec["id"] not in ids


def test_bad_input(server):
    s = server.bearer("t-orgadmin@test.example")
    base = {"title": "T", "body": "B", "from_org": "st-philips-centre", "to_org": "leicestershire-police"}
    before = len(requests.get(server.url + U).json()["recommendations"])
    for over, field, status in [({"to_org": "nobody"}, "to_org", 422), ({"title": ""}, "title", 422),
                                ({"sources": [{"kind": "rumour"}]}, "sources", 422),
                                ({"sources": [{"kind": "meeting", "id": 999999}]}, "sources", 422),
                                ({"sources": [{"kind": "figure", "title": "x", "url": "javascript:x"}]}, "sources", 422),
                                ({"from_org": "highfields-faith-centre"}, "from_org", 403),
                                ({"to_org": "st-philips-centre"}, "to_org", 422)]:
        r = s.post(server.url + U, json=dict(base, **over))
        assert r.status_code == status, (over, r.text)
        assert error_of(r)["field"] == field, (over, r.text)
    for email in ["t-officer@test.example", "t-resident@test.example"]:
        assert server.bearer(email).post(server.url + U, json=base).status_code == 403
    r = server.bearer("t-overseer@test.example").post(
        server.url + U, json=dict(base, from_org="leicestershire-opcc"))
    assert r.status_code == 201
    assert len(requests.get(server.url + U).json()["recommendations"]) == before + 1
    assert requests.get(server.url + U + "?status=maybe").status_code == 400
    assert requests.get(server.url + f"{U}/999999").status_code == 404
