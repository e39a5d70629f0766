"""Meetings: create, read, update, cancel, registration, attendance; who may
do it; bad input answers 422 naming the field and changes nothing."""
import datetime

import requests

from harness import error_of

U = "/api/v1/meetings"


def future(days, hour=18, minute=30):
    d = datetime.date.today() + datetime.timedelta(days=days)
    return f"{d.isoformat()}T{hour:02d}:{minute:02d}"


def new_meeting(server, s=None, **over):
    s = s or server.bearer("t-officer@test.example")
    body = {"title": "Highfields community safety meeting", "area": "highfields",
            "organisers": ["leicestershire-police", "highfields-faith-centre"],
            "start": future(10), "end": future(10, 20, 0), "tz": "Europe/London",
            "place": "Highfields Community Centre, Melbourne Road", "agenda": "1. Welcome\n2. Hate crime, reporting"}
    body.update(over)
    r = s.post(server.url + U, json=body)
    assert r.status_code == 201, r.text
    return r.json()


def test_create_and_get(server):
    m = new_meeting(server)
    assert m["title"] == "Highfields community safety meeting"
    assert m["area"] == {"slug": "highfields", "name": "Highfields"}
    assert {o["slug"] for o in m["organisers"]} == {"leicestershire-police", "highfields-faith-centre"}
    assert m["status"] == "scheduled" and m["sequence"] == 0 and m["public"] is True
    assert m["start"].endswith("Z") and m["tz"] == "Europe/London"
    assert m["start_local"][11:16] == "18:30"
    assert len(m["uid"]) == 36
    r = requests.get(server.url + f"{U}/{m['id']}")
    assert r.status_code == 200 and r.json()["uid"] == m["uid"]
    ids = [x["id"] for x in requests.get(server.url + U).json()["meetings"]]
    assert m["id"] in ids


def test_time_zone_conversion(server):
    # 19:00 in Brussels in July is 17:00 UTC; in January 18:00 UTC.
    y = datetime.date.today().year + 1
    m = new_meeting(server, s=server.bearer("t-admin@test.example"), area="kiel",
                    organisers=["politie-antwerpen", "dialoog-antwerpen"], tz="Europe/Brussels",
                    start=f"{y}-07-02T19:00", end=f"{y}-07-02T21:00")
    assert m["start"] == f"{y}-07-02T17:00:00Z"
    assert m["start_local"] == f"{y}-07-02T19:00:00+02:00"
    s = server.bearer("t-admin@test.example")
    r = s.patch(server.url + f"{U}/{m['id']}", json={"start": f"{y}-01-14T19:00", "end": f"{y}-01-14T21:00"})
    assert r.status_code == 200, r.text
    assert r.json()["start"] == f"{y}-01-14T18:00:00Z"
    # RFC 3339 with an offset is taken as given.
    r = s.patch(server.url + f"{U}/{m['id']}", json={"start": f"{y}-01-14T18:30:00+01:00"})
    assert r.json()["start"] == f"{y}-01-14T17:30:00Z"


def test_update_raises_sequence_and_cancel(server):
    s = server.bearer("t-officer@test.example")
    m = new_meeting(server, s)
    r = s.patch(server.url + f"{U}/{m['id']}", json={"title": "Moved: community safety meeting",
                                                      "online_url": "https://meet.example.org/highfields"})
    assert r.status_code == 200, r.text
    assert r.json()["sequence"] == 1 and r.json()["online_url"] == "https://meet.example.org/highfields"
    r = s.post(server.url + f"{U}/{m['id']}/cancel", json={})
    assert r.status_code == 422 and error_of(r)["field"] == "reason"
    r = s.post(server.url + f"{U}/{m['id']}/cancel", json={"reason": "The hall is flooded"})
    assert r.status_code == 200
    c = r.json()
    assert c["status"] == "cancelled" and c["cancel_reason"] == "The hall is flooded"
    assert c["sequence"] == 2
    r = s.post(server.url + f"{U}/{m['id']}/cancel", json={"reason": "again"})
    assert r.status_code == 409
    assert requests.get(server.url + f"{U}/{m['id']}").json()["sequence"] == 2


def test_who_may_create_and_edit(server):
    body = {"title": "T", "area": "highfields", "organisers": ["leicestershire-police"],
            "start": future(3), "end": future(3, 20), "place": "Hall"}
    assert requests.post(server.url + U, json=body).status_code == 401
    for email in ["t-resident@test.example", "t-member@test.example"]:
        r = server.bearer(email).post(server.url + U, json=body)
        assert r.status_code == 403, (email, r.text)
    # An org admin of St Philip's may not organise for the police alone.
    r = server.bearer("t-orgadmin@test.example").post(server.url + U, json=body)
    assert r.status_code == 403 and error_of(r)["field"] == "organisers"
    m = new_meeting(server)
    # Staff of an organiser edit; others may not.
    r = server.bearer("t-orgadmin@test.example").patch(server.url + f"{U}/{m['id']}", json={"title": "X"})
    assert r.status_code == 403
    r = server.bearer("t-supervisor@test.example").patch(server.url + f"{U}/{m['id']}", json={"title": "Y"})
    assert r.status_code == 200
    assert server.bearer("t-admin@test.example").patch(server.url + f"{U}/{m['id']}", json={"title": "Z"}).status_code == 200
    assert requests.patch(server.url + f"{U}/{m['id']}", json={"title": "anon"}).status_code == 401


def test_bad_input_changes_nothing(server):
    s = server.bearer("t-officer@test.example")
    base = {"title": "Bad", "area": "highfields", "organisers": ["leicestershire-police"],
            "start": future(5), "end": future(5, 20), "place": "Hall"}
    cases = [({"end": future(5, 17)}, "end"), ({"end": future(5, 18, 30)}, "end"),
             ({"organisers": ["no-such-org"]}, "organisers"), ({"organisers": []}, "organisers"),
             ({"area": "atlantis"}, "area"), ({"tz": "Mars/Olympus"}, "tz"),
             ({"tz": "../../etc/passwd"}, "tz"), ({"start": "tomorrow"}, "start"),
             ({"online_url": "javascript:alert(1)"}, "online_url"), ({"title": ""}, "title"),
             ({"place": "", "online_url": ""}, "place"), ({"capacity": 0}, "capacity"),
             ({"public": "yes"}, "public"), ({"documents": [{"title": "x"}]}, "documents"),
             ({"attendance": {"orgs": [{"org": "leicestershire-police", "count": 3}]}}, "attendance"),
             ({"colour": "red"}, "colour")]
    before = len(requests.get(server.url + U).json()["meetings"])
    for over, field in cases:
        body = dict(base, **over)
        r = s.post(server.url + U, json=body)
        assert r.status_code == 422, (over, r.text)
        assert error_of(r)["field"] == field, (over, r.text)
    assert len(requests.get(server.url + U).json()["meetings"]) == before
    m = new_meeting(server, s)
    r = s.patch(server.url + f"{U}/{m['id']}", json={"end": m["start"]})
    assert r.status_code == 422 and error_of(r)["field"] == "end"
    r = s.patch(server.url + f"{U}/{m['id']}", json={"title": "New", "organisers": ["ghost"]})
    assert r.status_code == 422 and error_of(r)["field"] == "organisers"
    after = requests.get(server.url + f"{U}/{m['id']}").json()
    assert after["title"] == m["title"] and after["sequence"] == 0 and after["end"] == m["end"]
    assert s.get(server.url + f"{U}/999999").status_code == 404
    assert s.get(server.url + f"{U}/abc").status_code == 404


def test_private_meetings_hidden(server):
    m = new_meeting(server, public=False, title="Closed debrief")
    assert requests.get(server.url + f"{U}/{m['id']}").status_code == 404
    assert server.bearer("t-orgadmin@test.example").get(server.url + f"{U}/{m['id']}").status_code == 404
    assert server.bearer("t-member@test.example").get(server.url + f"{U}/{m['id']}").status_code == 200
    assert server.bearer("t-admin@test.example").get(server.url + f"{U}/{m['id']}").status_code == 200
    ids = [x["id"] for x in requests.get(server.url + U).json()["meetings"]]
    assert m["id"] not in ids
    assert requests.get(server.url + f"/meetings/{m['id']}.ics").status_code == 404


def test_filters(server):
    a = new_meeting(server, area="belgrave", title="Belgrave forum")
    past = new_meeting(server, s=server.bearer("t-admin@test.example"), area="loughborough",
                       organisers=["leicestershire-police"], title="Loughborough past",
                       start="2024-03-05T18:00", end="2024-03-05T20:00")
    ids = lambda q: [x["id"] for x in requests.get(server.url + U + q).json()["meetings"]]
    assert a["id"] in ids("?area=leicester") and a["id"] in ids("?area=leicestershire")
    assert a["id"] not in ids("?area=kiel")
    assert past["id"] in ids("?when=past") and past["id"] not in ids("?when=upcoming")
    assert a["id"] in ids("?when=upcoming")
    assert a["id"] in ids("?org=highfields-faith-centre") and a["id"] not in ids("?org=politie-antwerpen")
    assert requests.get(server.url + U + "?area=atlantis").status_code == 400
    assert requests.get(server.url + U + "?when=tomorrow").status_code == 400


def test_attendance_minutes_documents(server):
    s = server.bearer("t-admin@test.example")
    m = new_meeting(server, s, start="2025-02-04T18:30", end="2025-02-04T20:30")
    body = {"minutes": "Residents asked for more patrols on Melbourne Road.",
            "documents": [{"title": "Slides", "url": "https://example.org/slides.pdf"}],
            "attendance": {"orgs": [{"org": "leicestershire-police", "count": 3},
                                    {"org": "highfields-faith-centre", "count": 4}],
                           "community": [{"group": "Somali community", "count": 12},
                                         {"group": "Residents", "count": 20}]}}
    r = s.patch(server.url + f"{U}/{m['id']}", json=body)
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["attendance"]["total"] == 39
    assert {x["org"]: x["count"] for x in got["attendance"]["orgs"]} == {"leicestershire-police": 3, "highfields-faith-centre": 4}
    assert got["documents"] == body["documents"]
    r = s.patch(server.url + f"{U}/{m['id']}", json={"attendance": {"community": [{"group": "X", "count": -1}]}})
    assert r.status_code == 422 and error_of(r)["field"] == "attendance"
    assert requests.get(server.url + f"{U}/{m['id']}").json()["attendance"]["total"] == 39


def test_registration_capacity(server):
    m = new_meeting(server, registration=True, capacity=1)
    assert m["registration"] == {"enabled": True, "capacity": 1, "registered": 0, "me": False}
    u = server.url + f"{U}/{m['id']}/registration"
    assert requests.post(u, json={}).status_code == 401
    r = server.bearer("t-resident@test.example").post(u)
    assert r.status_code == 200 and r.json()["registration"]["me"] is True
    r = server.bearer("t-member@test.example").post(u)
    assert r.status_code == 409 and error_of(r)["field"] == "capacity"
    assert server.bearer("t-resident@test.example").delete(u).status_code == 200
    assert server.bearer("t-member@test.example").post(u).status_code == 200
    plain = new_meeting(server)
    r = server.bearer("t-resident@test.example").post(server.url + f"{U}/{plain['id']}/registration")
    assert r.status_code == 409
