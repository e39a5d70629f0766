"""'You said, we did' commitments: the state machine (who may move a
commitment to which status; done needs the co-chair; disputes), progress
updates with evidence, overdue flags, the board's filters, CSV and JSON
export; bad input answers with a clear error and changes nothing."""
import csv
import io

import requests

from harness import error_of

U = "/api/v1/commitments"


def create(server, s=None, **over):
    s = s or server.bearer("t-officer@test.example")
    body = {"title": "More foot patrols on Melbourne Road after dark",
            "raised": "Women walking home from the mosque feel unsafe after evening prayers.",
            "pledge": "Two extra foot patrols on Friday and Saturday evenings.",
            "area": "highfields", "owner": "leicestershire-police", "cochair": "st-philips-centre",
            "start_date": "2026-01-10", "due_date": "2099-06-30"}
    body.update(over)
    r = s.post(server.url + U, json=body)
    assert r.status_code == 201, r.text
    return r.json()


def move(server, who, cid, status, **kw):
    return server.bearer(who).post(server.url + f"{U}/{cid}/status", json=dict(status=status, **kw))


OFFICER, SUPER, COCHAIR = "t-officer@test.example", "t-supervisor@test.example", "t-orgadmin@test.example"


def test_create_and_read(server):
    c = create(server)
    assert c["status"] == "proposed" and c["progress"] == 0 and c["overdue"] is False
    assert c["owner"]["slug"] == "leicestershire-police" and c["cochair"]["slug"] == "st-philips-centre"
    assert c["area"]["slug"] == "highfields" and c["due_date"] == "2099-06-30"
    got = requests.get(server.url + f"{U}/{c['id']}").json()
    assert got["title"] == c["title"] and got["updates"] == []
    assert got["moves"] == []  # anonymous: nothing to do
    mv = server.bearer(OFFICER).get(server.url + f"{U}/{c['id']}").json()["moves"]
    assert {m["status"] for m in mv} == {"accepted"}  # an officer may not decline
    mv = server.bearer(SUPER).get(server.url + f"{U}/{c['id']}").json()["moves"]
    assert {m["status"] for m in mv} == {"accepted", "declined"}


def test_who_may_create(server):
    body = {"title": "T", "area": "highfields", "owner": "leicestershire-police", "cochair": "st-philips-centre"}
    assert requests.post(server.url + U, json=body).status_code == 401
    for email in ["t-resident@test.example", "t-member@test.example", "t-overseer@test.example"]:
        assert server.bearer(email).post(server.url + U, json=body).status_code == 403, email
    # The co-chair's admin may propose one; another community's may not.
    assert server.bearer(COCHAIR).post(server.url + U, json=body).status_code == 201
    body["cochair"] = "highfields-faith-centre"
    r = server.bearer(COCHAIR).post(server.url + U, json=body)
    assert r.status_code == 403 and error_of(r)["field"] == "owner"


def test_bad_input_changes_nothing(server):
    s = server.bearer(OFFICER)
    before = len(requests.get(server.url + U).json()["commitments"])
    base = {"title": "Bad", "area": "highfields", "owner": "leicestershire-police", "cochair": "st-philips-centre"}
    cases = [({"cochair": "politie-antwerpen"}, "cochair"), ({"cochair": "leicestershire-police"}, "cochair"),
             ({"owner": "nobody"}, "owner"), ({"cochair": "nobody"}, "cochair"), ({"area": "atlantis"}, "area"),
             ({"title": ""}, "title"), ({"due_date": "2026-02-30"}, "due_date"),
             ({"start_date": "2026-05-01", "due_date": "2026-04-01"}, "due_date"),
             ({"meetings": [999999]}, "meetings"), ({"meetings": "1"}, "meetings"), ({"colour": "red"}, "colour")]
    for over, field in cases:
        r = s.post(server.url + U, json=dict(base, **over))
        assert r.status_code == 422, (over, r.text)
        assert error_of(r)["field"] == field, (over, r.text)
    assert len(requests.get(server.url + U).json()["commitments"]) == before


def test_state_machine_done_needs_the_cochair(server):
    c = create(server)
    cid = c["id"]
    assert move(server, COCHAIR, cid, "accepted").status_code == 403
    r = move(server, OFFICER, cid, "accepted")
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    r = move(server, OFFICER, cid, "in_progress", progress=30)
    assert r.status_code == 200 and r.json()["progress"] == 30
    # Progress updates with evidence.
    u = server.url + f"{U}/{cid}/updates"
    s = server.bearer(OFFICER)
    for body, field in [({"text": "x", "progress": 150}, "progress"), ({"progress": 50}, "text"),
                        ({"text": "x", "progress": -1}, "progress"),
                        ({"text": "x", "progress": 50, "evidence": ["ftp://x"]}, "evidence")]:
        r = s.post(u, json=body)
        assert r.status_code == 422 and error_of(r)["field"] == field, (body, r.text)
    assert server.bearer(COCHAIR).post(u, json={"text": "x", "progress": 90}).status_code == 403
    r = s.post(u, json={"text": "Patrol rota agreed with the neighbourhood team.", "progress": 60,
                        "evidence": ["https://example.org/rota.pdf"]})
    assert r.status_code == 201, r.text
    assert r.json()["progress"] == 60 and r.json()["updates"][-1]["evidence"] == ["https://example.org/rota.pdf"]
    r = move(server, OFFICER, cid, "done")
    assert r.status_code == 200 and r.json()["status"] == "done" and r.json()["progress"] == 100
    # Only the co-chair confirms: not the owner, not the admin.
    for who in [OFFICER, SUPER, "t-admin@test.example", "t-member@test.example"]:
        r = move(server, who, cid, "confirmed")
        assert r.status_code == 403, (who, r.text)
    # Dispute needs a reason.
    r = move(server, COCHAIR, cid, "disputed")
    assert r.status_code == 422 and error_of(r)["field"] == "reason"
    r = move(server, COCHAIR, cid, "disputed", reason="Residents saw no patrol on the 14th or 21st.")
    assert r.status_code == 200 and r.json()["status"] == "disputed"
    assert r.json()["status_reason"].startswith("Residents saw")
    assert move(server, COCHAIR, cid, "confirmed").status_code == 409
    # The owner answers and claims again.
    r = move(server, OFFICER, cid, "done")
    assert r.status_code == 422 and error_of(r)["field"] == "reason"
    r = move(server, OFFICER, cid, "done", reason="Patrol logs for both dates attached; times moved to 21:00.")
    assert r.status_code == 200 and r.json()["status"] == "done"
    r = move(server, COCHAIR, cid, "confirmed")
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    # A second confirm is a conflict and changes nothing.
    before = requests.get(server.url + f"{U}/{cid}").json()
    r = move(server, COCHAIR, cid, "confirmed")
    assert r.status_code == 409 and error_of(r)["field"] == "status"
    after = requests.get(server.url + f"{U}/{cid}").json()
    assert after["updates"] == before["updates"] and after["status"] == "confirmed"
    assert s.post(u, json={"text": "late", "progress": 100}).status_code == 409
    # Every change is a dated update tied to an entry of the accountability log.
    kinds = [(x["kind"], x["status"]) for x in after["updates"]]
    assert kinds == [("status", "accepted"), ("status", "in_progress"), ("progress", "in_progress"),
                     ("status", "done"), ("status", "disputed"), ("status", "done"), ("status", "confirmed")]
    idx = [x["log_index"] for x in after["updates"]]
    assert all(isinstance(i, int) for i in idx) and idx == sorted(idx) and len(set(idx)) == len(idx)
    assert [x["org"]["slug"] for x in after["updates"]][-1] == "st-philips-centre"


def test_decline(server):
    c = create(server)
    assert move(server, OFFICER, c["id"], "declined", reason="x").status_code == 403
    r = move(server, SUPER, c["id"], "declined")
    assert r.status_code == 422 and error_of(r)["field"] == "reason"
    r = move(server, SUPER, c["id"], "declined", reason="This is a matter for the city council.")
    assert r.status_code == 200 and r.json()["status"] == "declined"
    assert move(server, SUPER, c["id"], "accepted").status_code == 409
    r = move(server, SUPER, c["id"], "finished")
    assert r.status_code == 422 and error_of(r)["field"] == "status"
    assert move(server, SUPER, 999999, "accepted").status_code == 404


def test_overdue_and_filters(server):
    late = create(server, title="Late one", due_date="2020-01-31", start_date="2020-01-01", area="belgrave")
    assert late["overdue"] is True
    ids = lambda q: [x["id"] for x in requests.get(server.url + U + q).json()["commitments"]]
    assert late["id"] in ids("?overdue=1")
    assert late["id"] in ids("?area=leicester") and late["id"] not in ids("?area=kiel")
    assert late["id"] in ids("?status=proposed") and late["id"] not in ids("?status=confirmed")
    assert late["id"] in ids("?org=st-philips-centre")
    assert requests.get(server.url + U + "?status=nope").status_code == 400
    assert requests.get(server.url + U + "?area=atlantis").status_code == 400
    # Done is no longer overdue.
    move(server, OFFICER, late["id"], "accepted")
    r = move(server, OFFICER, late["id"], "done")
    assert r.json()["overdue"] is False


def test_update_wording(server):
    c = create(server)
    s = server.bearer(OFFICER)
    r = s.patch(server.url + f"{U}/{c['id']}", json={"pledge": "Three patrols", "due_date": "2099-12-31"})
    assert r.status_code == 200 and r.json()["pledge"] == "Three patrols"
    r = s.patch(server.url + f"{U}/{c['id']}", json={"owner": "politie-antwerpen"})
    assert r.status_code == 422 and error_of(r)["field"] == "owner"
    r = s.patch(server.url + f"{U}/{c['id']}", json={"due_date": "2000-01-01"})
    assert r.status_code == 422 and error_of(r)["field"] == "due_date"
    assert server.bearer("t-member@test.example").patch(server.url + f"{U}/{c['id']}", json={"title": "x"}).status_code == 403
    assert requests.get(server.url + f"{U}/{c['id']}").json()["due_date"] == "2099-12-31"


def test_export_csv_and_json(server):
    c = create(server, title="=HYPERLINK(\"http://evil\")", pledge="Line one,\nline \"two\"")
    r = requests.get(server.url + "/commitments.csv?org=st-philips-centre")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert "\r\n" in r.text
    rows = list(csv.DictReader(io.StringIO(r.text, newline="")))
    cols = ["id", "title", "description", "start_date", "end_date", "status/key", "progress", "url", "related_meetings"]
    assert all(col in rows[0] for col in cols)
    row = next(x for x in rows if x["id"] == str(c["id"]))
    assert row["title"].startswith("'=")  # not run as a formula
    assert row["description"] == "Line one,\nline \"two\""
    assert row["status/key"] == "proposed" and row["progress"] == "0" and row["end_date"] == "2099-06-30"
    assert row["url"] == f"/commitments/{c['id']}"
    j = requests.get(server.url + "/commitments.json?org=st-philips-centre").json()["commitments"]
    item = next(x for x in j if x["id"] == c["id"])
    assert item["status"] == {"key": "proposed", "name": "Proposed"}
    assert item["end_date"] == "2099-06-30" and item["related_meetings"] == []
    assert requests.get(server.url + "/commitments.csv?status=bad").status_code == 400


def test_linked_meetings(server):
    from test_meetings import new_meeting
    m = new_meeting(server)
    c = create(server, meetings=[m["id"]])
    assert [x["id"] for x in c["meetings"]] == [m["id"]]
    rows = list(csv.DictReader(io.StringIO(requests.get(server.url + "/commitments.csv").text, newline="")))
    row = next(x for x in rows if x["id"] == str(c["id"]))
    assert row["related_meetings"] == str(m["id"])
