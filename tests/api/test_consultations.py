"""Consultations (deliberation): creation, seed and participant statements
under strict and permissive moderation, votes (the last one wins), bad
input that changes nothing, the moderation queue, results computed in the
background that match `consent opinion` on the exported CSVs, Polis import
and export, and the community spread with small numbers suppressed."""
import datetime
import json
import os
import re
import signal
import subprocess
import threading
import time

import pytest
import requests

from harness import BIN, ROOT, error_of

LONDON = os.path.join(ROOT, "..", "shared", "data", "polis", "conversations",
                      "london.youth.policing")


def iso(delta_days=0.0):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=delta_days)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def create(server, email="t-orgadmin@test.example", **kw):
    body = {"question": "How should the police and young people talk?",
            "area": "highfields", "orgs": ["st-philips-centre"],
            "opens_at": iso(-1), "closes_at": iso(30), "moderation": "strict",
            "seed": ["Seed one", "Seed two", "Seed three"]}
    body.update(kw)
    s = server.bearer(email)
    r = s.post(server.url + "/api/v1/consultations", json=body)
    assert r.status_code == 201, r.text
    return r.json(), s


def url(server, cid, rest=""):
    return f"{server.url}/api/v1/consultations/{cid}{rest}"


def vote(sess, server, cid, tid, v):
    return sess.post(url(server, cid, "/votes"), json={"statement": tid, "vote": v})


def statements(server, cid):
    return requests.get(url(server, cid, "/statements")).json()["statements"]


def all_statements(staff, server, cid):
    r = staff.get(url(server, cid, "/statements?all=1"))
    assert r.status_code == 200, r.text
    return r.json()["statements"]


def wait_results(server, cid, votes, timeout=30):
    """The results once the background worker caught up with `votes`."""
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        r = requests.get(url(server, cid, "/results"))
        if r.status_code == 200:
            last = r.json()
            if not last["stale"] and last["votes"] == votes:
                return last
        time.sleep(0.2)
    raise AssertionError(f"results did not catch up: {last}")


def test_create_get_list(server):
    c, _ = create(server, orgs=["st-philips-centre", "leicestershire-police"],
                  communities=["Somali", "Gujarati Hindu"])
    assert c["status"] == "open" and c["moderation"] == "strict"
    assert c["statement_max"] == 280 and c["statements"] == 3
    assert {o["slug"] for o in c["orgs"]} == {"st-philips-centre", "leicestershire-police"}
    assert c["area"] == {"slug": "highfields", "name": "Highfields"}
    assert c["communities"] == ["Somali", "Gujarati Hindu"]
    got = requests.get(url(server, c["id"])).json()
    assert got["question"] == c["question"]
    ids = {x["id"] for x in requests.get(server.url + "/api/v1/consultations").json()["consultations"]}
    assert c["id"] in ids
    assert [s["text"] for s in statements(server, c["id"])] == ["Seed one", "Seed two", "Seed three"]
    assert requests.get(url(server, 999999)).status_code == 404
    assert requests.get(url(server, "abc")).status_code == 404


@pytest.mark.parametrize("change,field", [
    ({"question": None}, "question"),
    ({"question": ""}, "question"),
    ({"question": "x" * 301}, "question"),
    ({"area": "atlantis"}, "area"),
    ({"area": None}, "area"),
    ({"orgs": []}, "orgs"),
    ({"orgs": ["st-philips-centre", "st-philips-centre"]}, "orgs"),
    ({"orgs": ["st-philips-centre", "nobody"]}, "orgs"),
    ({"orgs": "st-philips-centre"}, "orgs"),
    ({"closes_at": None}, "closes_at"),
    ({"closes_at": "next tuesday"}, "closes_at"),
    ({"closes_at": iso(-2)}, "closes_at"),
    ({"moderation": "loose"}, "moderation"),
    ({"statement_max": 5}, "statement_max"),
    ({"statement_max": "280"}, "statement_max"),
    ({"seed": "one"}, "seed"),
    ({"seed": ["a", "a"]}, "seed"),
    ({"seed": ["x" * 281]}, "seed"),
    ({"seed": ["ok", 3]}, "seed"),
    ({"communities": ["x" * 61]}, "communities"),
    ({"colour": "blue"}, "colour"),
])
def test_create_bad_input_changes_nothing(server, change, field):
    s = server.bearer("t-orgadmin@test.example")
    before = len(requests.get(server.url + "/api/v1/consultations").json()["consultations"])
    body = {"question": "Q?", "area": "highfields", "orgs": ["st-philips-centre"],
            "closes_at": iso(10)}
    for k, v in change.items():
        if v is None:
            body.pop(k, None)
        else:
            body[k] = v
    r = s.post(server.url + "/api/v1/consultations", json=body)
    assert r.status_code == 422, r.text
    assert error_of(r)["field"] == field
    after = len(requests.get(server.url + "/api/v1/consultations").json()["consultations"])
    assert after == before


def test_who_may_create(server):
    body = {"question": "Q?", "area": "highfields", "orgs": ["st-philips-centre"],
            "closes_at": iso(10)}
    assert requests.post(server.url + "/api/v1/consultations", json=body).status_code == 401
    for email in ["t-resident@test.example", "t-overseer@test.example", "t-member@test.example",
                  "t-officer@test.example"]:
        r = server.bearer(email).post(server.url + "/api/v1/consultations", json=body)
        assert r.status_code == 403, email
    # An officer opens one for the police, with a community organisation.
    body["orgs"] = ["leicestershire-police", "highfields-faith-centre"]
    r = server.bearer("t-officer@test.example").post(server.url + "/api/v1/consultations", json=body)
    assert r.status_code == 201, r.text


def test_seed_statements_by_organisers_only(server):
    c, staff = create(server)
    cid = c["id"]
    r = staff.post(url(server, cid, "/statements"), json={"text": "Another seed", "seed": True})
    assert r.status_code == 201 and r.json()["status"] == "accepted"
    assert "Another seed" in [s["text"] for s in statements(server, cid)]
    other = server.bearer("t-officer@test.example")
    r = other.post(url(server, cid, "/statements"), json={"text": "Not mine", "seed": True})
    assert r.status_code == 403
    r = requests.post(url(server, cid, "/statements"), json={"text": "Anon seed", "seed": True})
    assert r.status_code == 401
    assert "Not mine" not in [s["text"] for s in all_statements(staff, server, cid)]


def test_strict_moderation(server):
    c, staff = create(server)
    cid = c["id"]
    p = requests.Session()
    r = p.post(url(server, cid, "/statements"), json={"text": "  More   youth\nworkers  "})
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "pending"
    tid = r.json()["tid"]
    cookie = p.cookies.get("consent_participant")
    assert cookie and len(cookie) == 43
    assert "HttpOnly" in r.headers["Set-Cookie"]
    # Hidden and not votable until accepted; the text was tidied.
    assert tid not in [s["tid"] for s in statements(server, cid)]
    r = vote(p, server, cid, tid, 1)
    assert r.status_code == 422 and error_of(r)["field"] == "statement"
    queue = staff.get(url(server, cid, "/moderation")).json()["statements"]
    assert [(s["tid"], s["text"]) for s in queue] == [(tid, "More youth workers")]
    r = staff.post(url(server, cid, "/moderation"), json={"statements": [tid], "action": "accept"})
    assert r.status_code == 200, r.text
    assert tid in [s["tid"] for s in statements(server, cid)]
    assert vote(p, server, cid, tid, 1).status_code == 200
    me = p.get(url(server, cid, "/me")).json()
    assert me["statements"] == [{"tid": tid, "text": "More youth workers", "status": "accepted",
                                 "reason": None}]
    assert me["votes"] == 1


def test_rejection_gives_the_author_a_reason(server):
    c, staff = create(server)
    cid = c["id"]
    p = requests.Session()
    tid = p.post(url(server, cid, "/statements"), json={"text": "Name and shame PC Smith"}).json()["tid"]
    r = staff.post(url(server, cid, "/moderation"), json={"statements": [tid], "action": "reject"})
    assert r.status_code == 422 and error_of(r)["field"] == "reason"
    r = staff.post(url(server, cid, "/moderation"),
                   json={"statements": [tid], "action": "reject",
                         "reason": "Statements may not name individual officers."})
    assert r.status_code == 200
    me = p.get(url(server, cid, "/me")).json()
    assert me["statements"][0]["status"] == "rejected"
    assert me["statements"][0]["reason"] == "Statements may not name individual officers."
    assert tid not in [s["tid"] for s in statements(server, cid)]


def test_permissive_moderation(server):
    c, staff = create(server, moderation="permissive")
    cid = c["id"]
    p = requests.Session()
    tid = p.post(url(server, cid, "/statements"), json={"text": "Open youth clubs later"}).json()["tid"]
    # Shown and votable at once, until rejected.
    assert tid in [s["tid"] for s in statements(server, cid)]
    assert vote(requests.Session(), server, cid, tid, -1).status_code == 200
    r = staff.post(url(server, cid, "/moderation"),
                   json={"statements": [tid], "action": "reject", "reason": "Off topic."})
    assert r.status_code == 200
    assert tid not in [s["tid"] for s in statements(server, cid)]
    r = vote(requests.Session(), server, cid, tid, 1)
    assert r.status_code == 422 and error_of(r)["field"] == "statement"


def test_statement_length_limit(server):
    c, staff = create(server)
    cid = c["id"]
    p = requests.Session()
    before = len(all_statements(staff, server, cid))
    r = p.post(url(server, cid, "/statements"), json={"text": "é" * 281})
    assert r.status_code == 422 and error_of(r)["field"] == "text"
    assert "280" in error_of(r)["message"]
    for bad in ["", "   ", "bell\x07", None, 12]:
        r = p.post(url(server, cid, "/statements"), json={"text": bad})
        assert r.status_code == 422 and error_of(r)["field"] == "text", bad
    assert len(all_statements(staff, server, cid)) == before
    # 280 characters (not bytes) is fine.
    assert p.post(url(server, cid, "/statements"), json={"text": "é" * 280}).status_code == 201
    # A consultation with its own limit.
    c2, _ = create(server, statement_max=40)
    r = p.post(url(server, c2["id"], "/statements"), json={"text": "x" * 41})
    assert r.status_code == 422 and error_of(r)["field"] == "text"
    assert p.post(url(server, c2["id"], "/statements"), json={"text": "x" * 40}).status_code == 201


def test_duplicate_statement(server):
    c, _ = create(server)
    r = requests.post(url(server, c["id"], "/statements"), json={"text": "Seed one"})
    assert r.status_code == 409 and error_of(r)["field"] == "text"


def test_vote_last_vote_wins(server):
    c, staff = create(server)
    cid = c["id"]
    p = requests.Session()
    r = vote(p, server, cid, 0, "agree")
    assert r.status_code == 200, r.text
    assert r.json() == {"recorded": True, "statement": 0, "vote": 1}
    assert vote(p, server, cid, 0, -1).status_code == 200
    assert vote(p, server, cid, 1, 0).status_code == 200
    assert p.get(url(server, cid, "/me")).json()["votes"] == 2
    tally = {s["tid"]: s for s in all_statements(staff, server, cid)}
    assert (tally[0]["agree"], tally[0]["disagree"], tally[0]["pass"]) == (0, 1, 0)
    assert (tally[1]["agree"], tally[1]["disagree"], tally[1]["pass"]) == (0, 0, 1)
    csv = staff.get(url(server, cid, "/export/votes.csv")).text.splitlines()
    assert csv[0] == "timestamp,datetime,comment-id,voter-id,vote"
    assert [line.split(",")[2:] for line in csv[1:]] == [["0", "0", "-1"], ["1", "0", "0"]]
    assert requests.get(url(server, cid)).json()["votes"] == 2


def test_vote_bad_input_changes_nothing(server):
    c, staff = create(server)
    cid = c["id"]
    p = requests.Session()
    cases = [
        ({"statement": 99, "vote": 1}, 422, "statement"),
        ({"statement": -1, "vote": 1}, 422, "statement"),
        ({"statement": "0", "vote": 1}, 422, "statement"),
        ({"vote": 1}, 422, "statement"),
        ({"statement": 0, "vote": 2}, 422, "vote"),
        ({"statement": 0, "vote": -2}, 422, "vote"),
        ({"statement": 0, "vote": "maybe"}, 422, "vote"),
        ({"statement": 0, "vote": True}, 422, "vote"),
        ({"statement": 0}, 422, "vote"),
        ({"statement": 0, "vote": 1, "weight": 3}, 422, "weight"),
    ]
    for body, status, field in cases:
        r = p.post(url(server, cid, "/votes"), json=body)
        assert r.status_code == status, (body, r.text)
        assert error_of(r)["field"] == field, body
    r = p.post(server.url + "/api/v1/consultations/999999/votes", json={"statement": 0, "vote": 1})
    assert r.status_code == 404
    r = p.post(url(server, cid, "/votes"), data="statement=0&vote=1",
               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code in (403, 415)
    # Nothing recorded, and no participant made for the failures.
    assert "consent_participant" not in p.cookies
    got = requests.get(url(server, cid)).json()
    assert got["votes"] == 0 and got["participants"] == 0
    assert p.get(url(server, cid, "/me")).status_code == 404


def test_closed_and_upcoming_consultations_refuse(server):
    c, staff = create(server, opens_at=iso(-3), closes_at=iso(5))
    cid = c["id"]
    p = requests.Session()
    assert vote(p, server, cid, 0, 1).status_code == 200
    r = staff.patch(url(server, cid), json={"closes_at": iso(-1)})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    r = vote(p, server, cid, 1, 1)
    assert r.status_code == 409, r.text
    assert vote(p, server, cid, 0, -1).status_code == 409
    r = p.post(url(server, cid, "/statements"), json={"text": "Too late"})
    assert r.status_code == 409
    tally = {s["tid"]: s for s in all_statements(staff, server, cid)}
    assert tally[0]["agree"] == 1 and tally[0]["disagree"] == 0 and tally[1]["agree"] == 0
    assert "Too late" not in [s["text"] for s in tally.values()]
    # Closing before opening is refused.
    r = staff.patch(url(server, cid), json={"closes_at": iso(-5)})
    assert r.status_code == 422 and error_of(r)["field"] == "closes_at"
    up, _ = create(server, opens_at=iso(2), closes_at=iso(9))
    assert up["status"] == "upcoming"
    assert vote(requests.Session(), server, up["id"], 0, 1).status_code == 409
    # Only organisers change a consultation.
    r = server.bearer("t-officer@test.example").patch(url(server, cid), json={"question": "Mine?"})
    assert r.status_code == 403


def test_moderation_queue_bulk(server):
    c, staff = create(server)
    cid = c["id"]
    tids = []
    for i in range(5):
        r = requests.post(url(server, cid, "/statements"), json={"text": f"Participant idea {i}"})
        tids.append(r.json()["tid"])
    queue = staff.get(url(server, cid, "/moderation")).json()["statements"]
    assert [s["tid"] for s in queue] == tids
    # One unknown statement: the whole action is refused.
    r = staff.post(url(server, cid, "/moderation"),
                   json={"statements": [tids[0], 4242], "action": "accept"})
    assert r.status_code == 422 and error_of(r)["field"] == "statements"
    assert len(staff.get(url(server, cid, "/moderation")).json()["statements"]) == 5
    for body, field in [({"statements": [], "action": "accept"}, "statements"),
                        ({"statements": ["x"], "action": "accept"}, "statements"),
                        ({"statements": [tids[0]], "action": "delete"}, "action"),
                        ({"statements": [tids[0]]}, "action")]:
        r = staff.post(url(server, cid, "/moderation"), json=body)
        assert r.status_code == 422 and error_of(r)["field"] == field, body
    r = staff.post(url(server, cid, "/moderation"),
                   json={"statements": tids[:3], "action": "accept"})
    assert r.status_code == 200 and r.json()["moderated"] == 3
    r = staff.post(url(server, cid, "/moderation"),
                   json={"statements": tids[3:], "action": "reject", "reason": "Duplicates."})
    assert r.status_code == 200
    assert staff.get(url(server, cid, "/moderation")).json()["statements"] == []
    rejected = staff.get(url(server, cid, "/moderation?status=rejected")).json()["statements"]
    assert [s["tid"] for s in rejected] == tids[3:]
    assert all(s["reason"] == "Duplicates." for s in rejected)
    # Staff of other organisations, residents and strangers may not.
    for email in ["t-officer@test.example", "t-resident@test.example"]:
        assert server.bearer(email).get(url(server, cid, "/moderation")).status_code == 403
    assert requests.get(url(server, cid, "/moderation")).status_code == 401
    # A member of a co-organising community organisation may.
    c2, _ = create(server, orgs=["st-philips-centre", "highfields-faith-centre"])
    member = server.bearer("t-member@test.example")
    assert member.get(url(server, c2["id"], "/moderation")).status_code == 200


def test_next_statement(server):
    c, staff = create(server)
    cid = c["id"]
    p = requests.Session()
    pending = p.post(url(server, cid, "/statements"), json={"text": "Not yet moderated"}).json()["tid"]
    seen = set()
    for _ in range(3):
        n = p.get(url(server, cid, "/next")).json()["statement"]
        assert n and n["tid"] not in seen and n["tid"] != pending
        assert n["remaining"] == 3 - len(seen)
        seen.add(n["tid"])
        assert vote(p, server, cid, n["tid"], 0).status_code == 200
    assert seen == {0, 1, 2}
    assert p.get(url(server, cid, "/next")).json()["statement"] is None


def test_export_permissions(server):
    c, staff = create(server)
    cid = c["id"]
    assert requests.get(url(server, cid, "/export/votes.csv")).status_code == 401
    assert server.bearer("t-resident@test.example").get(
        url(server, cid, "/export/votes.csv")).status_code == 403
    r = server.bearer("t-overseer@test.example").get(url(server, cid, "/export/comments.csv"))
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert staff.get(url(server, cid, "/export/passwords.csv")).status_code == 404


def voting_pattern(server, cid, people):
    """Two camps on statements 0..5, with a few passes and gaps."""
    sessions = []
    for i in range(people):
        p = requests.Session()
        camp = 1 if i % 2 == 0 else -1
        for t in range(6):
            if (i + t) % 7 == 6:
                continue
            v = camp if t < 4 else (0 if i % 3 == 0 else -camp)
            assert vote(p, server, cid, t, v).status_code == 200
        sessions.append(p)
    return sessions


def export_dir(staff, server, cid, path):
    os.makedirs(path, exist_ok=True)
    for name in ["comments.csv", "votes.csv", "participants-votes.csv", "summary.csv"]:
        r = staff.get(url(server, cid, "/export/" + name))
        assert r.status_code == 200, r.text
        with open(os.path.join(path, name), "w", encoding="utf-8") as f:
            f.write(r.text)


def test_results_in_background_match_consent_opinion(server, tmp_path):
    c, staff = create(server, seed=[f"Statement {i}" for i in range(6)])
    cid = c["id"]
    assert requests.get(url(server, cid, "/results")).status_code in (200, 404)
    voting_pattern(server, cid, 24)
    nvotes = requests.get(url(server, cid)).json()["votes"]
    res = wait_results(server, cid, nvotes)
    assert res["participants"] == 24 and res["statements"] == 6
    assert len(res["groups"]) >= 2
    assert sum(g["size"] for g in res["groups"]) == res["in_conv"]
    assert res["compute_ms"] >= 0
    for g in res["groups"]:
        for s in g["repness"]:
            assert s["repful"] in ("agree", "disagree") and s["text"].startswith("Statement")
    blob = requests.get(url(server, cid, "/math")).json()
    export_dir(staff, server, cid, str(tmp_path))
    out = subprocess.run([BIN, "opinion", str(tmp_path)], capture_output=True, text=True,
                         check=True).stdout
    assert json.loads(out) == blob
    # A moderation change makes the stored math stale, then fresh again.
    staff.post(url(server, cid, "/moderation"),
               json={"statements": [5], "action": "reject", "reason": "Unclear."})
    res2 = wait_results(server, cid, nvotes)
    assert res2["version"] > res["version"]
    assert 5 in requests.get(url(server, cid, "/math")).json()["mod-out"]


@pytest.mark.skipif(not os.path.isdir(LONDON), reason="no Polis data in ../shared")
def test_polis_import_export_round_trip(server, tmp_path):
    c, staff = create(server, seed=[], moderation="permissive", closes_at=iso(1))
    cid = c["id"]
    files = {n: open(os.path.join(LONDON, n), encoding="utf-8").read()
             for n in ["comments.csv", "votes.csv"]}
    r = staff.post(url(server, cid, "/import"),
                   json={"comments_csv": files["comments.csv"], "votes_csv": files["votes.csv"]})
    assert r.status_code == 200, r.text
    assert r.json()["statements"] > 30 and r.json()["participants"] >= 20
    # Importing again into the same consultation is refused.
    r = staff.post(url(server, cid, "/import"),
                   json={"comments_csv": files["comments.csv"], "votes_csv": files["votes.csv"]})
    assert r.status_code == 409
    first = tmp_path / "first"
    export_dir(staff, server, cid, str(first))
    # The export holds the original's last vote per participant and statement.
    orig = {}
    for line in files["votes.csv"].splitlines()[1:]:
        ts, _, tid, pid, v = line.split(",")
        key = (int(pid), int(tid))
        if key not in orig or int(ts) >= orig[key][0]:
            orig[key] = (int(ts), int(v))
    got = {}
    for line in (first / "votes.csv").read_text().splitlines()[1:]:
        ts, _, tid, pid, v = line.split(",")
        got[(int(pid), int(tid))] = (int(ts), int(v))
    assert got == orig
    # Exported, then imported again: the same files.
    c2, _ = create(server, seed=[], moderation="permissive", closes_at=iso(1))
    r = staff.post(url(server, c2["id"], "/import"),
                   json={"comments_csv": (first / "comments.csv").read_text(),
                         "votes_csv": (first / "votes.csv").read_text()})
    assert r.status_code == 200, r.text
    second = tmp_path / "second"
    export_dir(staff, server, c2["id"], str(second))
    for name in ["comments.csv", "votes.csv", "participants-votes.csv"]:
        assert (first / name).read_text() == (second / name).read_text(), name
    # And the math of both is `consent opinion` on the export.
    out = json.loads(subprocess.run([BIN, "opinion", str(first)], capture_output=True,
                                    text=True, check=True).stdout)
    wait_results(server, cid, len(orig))
    wait_results(server, c2["id"], len(orig))
    assert requests.get(url(server, cid, "/math")).json() == out
    assert requests.get(url(server, c2["id"], "/math")).json() == out


def test_import_bad_files_change_nothing(server):
    c, staff = create(server, seed=[])
    cid = c["id"]
    comments = "comment-id,comment-body,moderated\n0,First,1\n1,Second,1\n"
    cases = [
        ({"comments_csv": "nonsense\n", "votes_csv": "voter-id\n"}, "comments_csv"),
        ({"comments_csv": comments, "votes_csv": "timestamp,comment-id,voter-id,vote\n1,0,0,7\n"},
         "votes_csv"),
        ({"comments_csv": comments, "votes_csv": "timestamp,comment-id,voter-id,vote\n1,5,0,1\n"},
         "votes"),
        ({"comments_csv": comments}, "votes_csv"),
    ]
    for body, field in cases:
        r = staff.post(url(server, cid, "/import"), json=body)
        assert r.status_code == 422, r.text
        assert error_of(r)["field"] == field
    assert all_statements(staff, server, cid) == []
    assert server.bearer("t-officer@test.example").post(
        url(server, cid, "/import"), json={"comments_csv": comments, "votes_csv": ""}).status_code == 403
    r = staff.post(url(server, cid, "/import"),
                   json={"comments_csv": comments,
                         "votes_csv": "timestamp,comment-id,voter-id,vote\n1,0,0,1\n2,1,3,-1\n"})
    assert r.status_code == 200, r.text
    assert r.json()["votes"] == 2 and r.json()["participants"] == 2


def test_community_spread_is_suppressed_below_five(server):
    c, staff = create(server, seed=[f"Statement {i}" for i in range(6)],
                      communities=["Somali", "Polish"])
    cid = c["id"]
    # Two clear camps of 10; Somali: 4 + 2, Polish: 3 + 0, the rest unstated.
    communities = {0: "Somali", 2: "Somali", 4: "Somali", 6: "Somali", 1: "Somali", 3: "somali ",
                   8: "Polish", 10: "Polish", 12: "Polish"}
    for i in range(20):
        p = requests.Session()
        camp = 1 if i % 2 == 0 else -1
        for t in range(6):
            assert vote(p, server, cid, t, camp if t != 5 or i % 4 else 0).status_code == 200
        if i in communities:
            r = p.patch(url(server, cid, "/me"), json={"community": communities[i]})
            assert r.status_code == 200 and r.json()["community"] == communities[i].strip()
    r = requests.Session().patch(url(server, cid, "/me"), json={"community": "x" * 61})
    assert r.status_code == 422 and error_of(r)["field"] == "community"
    # The community was set after the votes: wait for the version with it.
    res = wait_results(server, cid, 120)
    spread = res["communities"]
    assert spread is not None and spread["threshold"] == 5
    assert len(spread["groups"]) == len(res["groups"]) == 2
    names = [row["name"] for row in spread["rows"]]
    assert "Polish" not in json.dumps(res)
    kinds = [row["kind"] for row in spread["rows"]]
    assert kinds[0] == "named" and names[0] in ("Somali", "somali")
    assert "other" in kinds and "not_stated" in kinds
    published = []
    for row in spread["rows"]:
        published += [n for n in row["cells"] + [row["total"]] if n is not None]
    published += [n for n in spread["totals"] if n is not None]
    assert published and all(n == 0 or n >= 5 for n in published), spread
    somali = spread["rows"][0]
    assert somali["cells"] == [None, None]  # 4 and 2: both hidden
    # The results page shows the table with the same suppression.
    html = requests.get(f"{server.url}/consultations/{cid}/results").text
    assert "Polish" not in html and re.search(r"Somali", html, re.I)


def test_signed_in_participants_are_their_account(server):
    c, _ = create(server)
    cid = c["id"]
    s = server.bearer("t-resident@test.example")
    assert vote(s, server, cid, 0, 1).status_code == 200
    assert "consent_participant" not in s.cookies
    # The same account from another client is the same participant.
    s2 = server.bearer("t-resident@test.example")
    assert vote(s2, server, cid, 1, -1).status_code == 200
    assert s2.get(url(server, cid, "/me")).json()["votes"] == 2
    assert requests.get(url(server, cid)).json()["participants"] == 1


def test_acknowledged_votes_survive_sigterm(fresh_server, tmp_path):
    srv = fresh_server(demo=True)
    cid = 1  # the demo's open consultation, with 10 seed statements
    acknowledged = set()
    errors = []
    stop = threading.Event()
    lock = threading.Lock()

    def voter(n):
        while not stop.is_set():
            s = requests.Session()
            for t in range(10):
                try:
                    r = s.post(url(srv, cid, "/votes"), json={"statement": t, "vote": 1}, timeout=10)
                except requests.RequestException:
                    return
                if r.status_code == 200:
                    with lock:
                        acknowledged.add((s.cookies.get("consent_participant"), t))
                elif r.status_code != 503:
                    errors.append(r.status_code)
                    return

    threads = [threading.Thread(target=voter, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    deadline = time.time() + 60
    while len(acknowledged) < 300 and time.time() < deadline:
        time.sleep(0.01)
    rc = srv.stop(signal.SIGTERM)
    stop.set()
    for t in threads:
        t.join()
    assert rc == 0 and not errors, errors
    srv.db.cli("consultation", "export", "--id", str(cid), str(tmp_path))
    stored = len(open(tmp_path / "votes.csv").read().splitlines()) - 1
    assert stored >= len(acknowledged) > 0
