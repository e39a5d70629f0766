"""Who sees what of a report: the consent x role matrix (for every level,
after a consent change and after an override), one accountability-log entry
per staff read, triage lists, the status workflow, messages both ways, and
the receipt's access history with inclusion proofs that verify against the
signed checkpoint; erasure."""
import base64
import copy

import pytest
import requests
import tlogcheck as tc

from harness import error_of

BODY = {
    "category": "hate_incident",
    "strands": ["sexual_orientation"],
    "description": "Someone wrote slurs on our door in Highfields.",
    "occurred_at": "2025-06-11T22:15:00Z",
    "area": "highfields",
    "location": {"address": "Evington Road"},
    "reporter": {"name": "Rowan Matrixcase", "email": "rowan.matrix@example.org",
                 "phone": "0116 496 0999"},
}

# Who: email of the session's accounts (conftest.py), plus an officer of
# another force, added below.
MEMBER = "t-member@test.example"        # org_member, highfields-faith-centre (the via org)
ORGADMIN = "t-orgadmin@test.example"    # org_admin, st-philips-centre (another community org)
OFFICER = "t-officer@test.example"      # officer, leicestershire-police (the report's force)
SUPERVISOR = "t-supervisor@test.example"
AGENT = "t-agent@test.example"          # officer, politie-antwerpen (another force)
OVERSEER = "t-overseer@test.example"
ADMIN = "t-admin@test.example"
RESIDENT = "t-resident@test.example"

# Expected view for each staff account, by consent: None = 404 (nothing,
# not even that it exists), "content" = no identity, "full".
MATRIX = {
    "statistics": {MEMBER: "full", ORGADMIN: None, OFFICER: None, SUPERVISOR: None, AGENT: None},
    "anonymous": {MEMBER: "full", ORGADMIN: None, OFFICER: "content", SUPERVISOR: "content",
                  AGENT: None},
    "identified": {MEMBER: "full", ORGADMIN: None, OFFICER: "full", SUPERVISOR: "full",
                   AGENT: None},
}


@pytest.fixture(scope="module")
def staff(server):
    server.user(AGENT, "officer", "politie-antwerpen")
    return {e: server.bearer(e) for e in [MEMBER, ORGADMIN, OFFICER, SUPERVISOR, AGENT,
                                          OVERSEER, ADMIN, RESIDENT]}


def file_via(server, staff, consent, **kw):
    body = copy.deepcopy(BODY)
    body.update(consent=consent, via="highfields-faith-centre", **kw)
    r = staff[MEMBER].post(server.url + "/api/v1/reports", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def log_size(server):
    return server.db.count("tlog_entries")


def check_view(server, staff, rid, email, want):
    """GET the report as email; check the view and that exactly one log
    entry was added for a read (none for a refusal)."""
    before = log_size(server)
    r = staff[email].get(server.url + f"/api/v1/reports/{rid}?purpose=matrix+test")
    if want is None:
        assert r.status_code == 404, (email, r.text)
        assert error_of(r)["field"] == "id"
        assert log_size(server) == before, email
        return None
    assert r.status_code == 200, (email, r.text)
    o = r.json()
    assert o["view"] == want, email
    assert o["description"] == BODY["description"]
    assert o["location"] == BODY["location"]
    if want == "full":
        assert o["reporter"]["email"] == BODY["reporter"]["email"]
    else:
        assert "reporter" not in o, email
        assert BODY["reporter"]["email"] not in r.text and "Matrixcase" not in r.text
    assert log_size(server) == before + 1, email
    assert o["log_index"] == before
    return o


@pytest.mark.parametrize("consent", ["statistics", "anonymous", "identified"])
def test_consent_role_matrix(server, staff, consent):
    made = file_via(server, staff, consent)
    for email, want in MATRIX[consent].items():
        check_view(server, staff, made["id"], email, want)
    # Roles without any report access: refused by the policy, nothing logged.
    before = log_size(server)
    for email in [OVERSEER, ADMIN, RESIDENT]:
        r = staff[email].get(server.url + f"/api/v1/reports/{made['id']}")
        assert r.status_code == 403, email
    assert requests.get(server.url + f"/api/v1/reports/{made['id']}").status_code == 401
    assert log_size(server) == before


def test_direct_report_is_not_the_organisations(server, staff):
    body = {**BODY, "consent": "identified"}
    r = requests.post(server.url + "/api/v1/reports", json=body)
    rid = r.json()["id"]
    check_view(server, staff, rid, MEMBER, None)
    check_view(server, staff, rid, OFFICER, "full")


def test_matrix_follows_consent_changes(server, staff):
    made = file_via(server, staff, "anonymous")
    u = server.url + "/api/v1/receipts/" + made["receipt"] + "/consent"
    seq = ["identified", "statistics", "anonymous", "identified"]
    for consent in seq:
        before = log_size(server)
        r = requests.post(u, json={"consent": consent})
        assert r.status_code == 200, r.text
        assert r.json()["consent"] == consent
        assert log_size(server) == before + 1  # the change is logged
        for email, want in MATRIX[consent].items():
            check_view(server, staff, made["id"], email, want)
    r = requests.post(u, json={"consent": "everyone"})
    assert r.status_code == 422 and error_of(r)["field"] == "consent"


def test_raising_to_identified_needs_contact(server, staff):
    body = {**BODY, "consent": "anonymous"}
    body.pop("reporter")
    made = requests.post(server.url + "/api/v1/reports", json=body).json()
    u = server.url + "/api/v1/receipts/" + made["receipt"] + "/consent"
    before = log_size(server)
    r = requests.post(u, json={"consent": "identified"})
    assert r.status_code == 422 and error_of(r)["field"] == "reporter"
    r = requests.post(u, json={"consent": "identified", "reporter": {"email": "bad"}})
    assert r.status_code == 422 and error_of(r)["field"] == "reporter.email"
    assert log_size(server) == before
    r = requests.post(u, json={"consent": "identified",
                               "reporter": {"name": "Late Contact", "phone": "07700 900123"}})
    assert r.status_code == 200, r.text
    assert r.json()["reporter"]["phone"] == "07700 900123"
    o = staff[OFFICER].get(server.url + f"/api/v1/reports/{made['id']}").json()
    assert o["view"] == "full" and o["reporter"]["name"] == "Late Contact"


def test_override_by_a_supervisor_with_a_reason(server, staff):
    made = file_via(server, staff, "statistics")
    u = server.url + f"/api/v1/reports/{made['id']}/override"
    reason = "Credible threat to life reported by the centre; we must contact the victim."
    # Officers cannot override; other forces and community staff see nothing.
    r = staff[OFFICER].post(u, json={"reason": reason})
    assert r.status_code == 403
    assert staff[AGENT].post(u, json={"reason": reason}).status_code == 403
    assert staff[MEMBER].post(u, json={"reason": reason}).status_code == 403
    before = log_size(server)
    r = staff[SUPERVISOR].post(u, json={"reason": ""})
    assert r.status_code == 422 and error_of(r)["field"] == "reason"
    r = staff[SUPERVISOR].post(u, json={"reason": "because"})
    assert r.status_code == 422 and error_of(r)["field"] == "reason"
    assert log_size(server) == before
    r = staff[SUPERVISOR].post(u, json={"reason": reason})
    assert r.status_code == 200, r.text
    o = r.json()
    assert o["view"] == "full" and o["override"] is True
    assert o["reporter"]["email"] == BODY["reporter"]["email"]
    assert log_size(server) == before + 1
    # The override opened it once: the consent still rules every other read.
    for email, want in MATRIX["statistics"].items():
        check_view(server, staff, made["id"], email, want)
    # The reporter is told, with the reason.
    rc = requests.get(server.url + "/api/v1/receipts/" + made["receipt"]).json()
    assert [(v["org"]["slug"], v["reason"]) for v in rc["overrides"]] == [
        ("leicestershire-police", reason)]
    assert "report.override" in [e["action"] for e in rc["access"]["entries"]]
    # The reason is never in the log itself.
    assert reason not in str(server.db.query("SELECT entry FROM tlog_entries"))


def test_triage_lists(server, staff):
    made = {c: file_via(server, staff, c) for c in ["statistics", "anonymous", "identified"]}
    police = staff[OFFICER].get(server.url + "/api/v1/reports?page_size=200").json()
    assert police["org"]["slug"] == "leicestershire-police"
    ids = {r["id"]: r for r in police["reports"]}
    assert made["statistics"]["id"] not in ids
    assert made["anonymous"]["id"] in ids and made["identified"]["id"] in ids
    assert all(r["consent"] != "statistics" for r in police["reports"])
    # No personal data in a list, and listing is not a read (nothing logged).
    before = log_size(server)
    text = staff[MEMBER].get(server.url + "/api/v1/reports?page_size=200").text
    assert log_size(server) == before
    assert BODY["description"] not in text and "Matrixcase" not in text
    mine = {r["id"] for r in staff[MEMBER].get(
        server.url + "/api/v1/reports?page_size=200").json()["reports"]}
    assert {m["id"] for m in made.values()} <= mine
    # Filters.
    q = staff[OFFICER].get(server.url + "/api/v1/reports?category=hate_incident&area=leicester"
                           "&status=received&max_age_days=1&page_size=200").json()
    assert made["anonymous"]["id"] in {r["id"] for r in q["reports"]}
    assert all(r["category"]["code"] == "hate_incident" for r in q["reports"])
    q = staff[OFFICER].get(server.url + "/api/v1/reports?area=charnwood").json()
    assert made["anonymous"]["id"] not in {r["id"] for r in q["reports"]}
    q = staff[OFFICER].get(server.url + "/api/v1/reports?min_age_days=3").json()
    assert made["anonymous"]["id"] not in {r["id"] for r in q["reports"]}
    q = staff[OFFICER].get(server.url + "/api/v1/reports?page_size=1").json()
    assert len(q["reports"]) == 1 and q["more"] is True
    for bad, field in [("status=lost", "status"), ("category=x", "category"),
                       ("area=atlantis", "area"), ("page=0", "page"), ("page_size=500", "page_size"),
                       ("min_age_days=-2", "min_age_days"), ("org=comite-p", "org")]:
        r = staff[OFFICER].get(server.url + "/api/v1/reports?" + bad)
        assert r.status_code in (400, 403), bad
        assert error_of(r)["field"] == field, bad
    assert staff[OVERSEER].get(server.url + "/api/v1/reports").status_code == 403


def test_status_workflow_and_public_notes(server, staff):
    made = file_via(server, staff, "anonymous")
    u = server.url + f"/api/v1/reports/{made['id']}/status"
    officer = staff[OFFICER]
    before = log_size(server)
    r = officer.post(u, json={"status": "acknowledged", "note": "Thank you, we are on it."})
    assert r.status_code == 200, r.text
    assert log_size(server) == before + 1
    assert officer.post(u, json={"status": "received"}).status_code == 409
    assert officer.post(u, json={"status": "acknowledged"}).status_code == 409
    r = officer.post(u, json={"status": "closed"})
    assert r.status_code == 422 and error_of(r)["field"] == "note"
    r = officer.post(u, json={"status": "lost"})
    assert r.status_code == 422 and error_of(r)["field"] == "status"
    assert officer.post(u, json={"status": "in_progress"}).status_code == 200
    # The community organisation handles it too.
    r = staff[MEMBER].post(u, json={"status": "resolved", "note": "Door cleaned, patrols added."})
    assert r.status_code == 200
    r = officer.post(u, json={"status": "closed", "note": "Resolved with the reporter's agreement."})
    assert r.status_code == 200
    assert officer.post(u, json={"status": "in_progress", "note": "Reopened"}).status_code == 200
    # Others cannot.
    assert staff[AGENT].post(u, json={"status": "resolved"}).status_code == 404
    assert staff[ORGADMIN].post(u, json={"status": "resolved"}).status_code == 404
    rc = requests.get(server.url + "/api/v1/receipts/" + made["receipt"]).json()
    assert rc["status"] == "in_progress"
    assert [(x["status"], x["note"], x["org"]["slug"]) for x in rc["updates"]] == [
        ("acknowledged", "Thank you, we are on it.", "leicestershire-police"),
        ("in_progress", None, "leicestershire-police"),
        ("resolved", "Door cleaned, patrols added.", "highfields-faith-centre"),
        ("closed", "Resolved with the reporter's agreement.", "leicestershire-police"),
        ("in_progress", "Reopened", "leicestershire-police"),
    ]
    # A statistics report: the police cannot act on what they cannot see.
    stat = file_via(server, staff, "statistics")
    r = officer.post(server.url + f"/api/v1/reports/{stat['id']}/status",
                     json={"status": "acknowledged"})
    assert r.status_code == 404


def test_messages_both_ways_without_identities(server, staff):
    made = file_via(server, staff, "anonymous")
    officer = staff[OFFICER]
    u = server.url + f"/api/v1/reports/{made['id']}/messages"
    before = log_size(server)
    r = officer.post(u, json={"body": "Did you see which way they went?"})
    assert r.status_code == 201, r.text
    assert log_size(server) == before + 1
    rurl = server.url + "/api/v1/receipts/" + made["receipt"]
    rc = requests.get(rurl).json()
    msg = rc["messages"][-1]
    assert msg == {"from": "staff", "org": {"slug": "leicestershire-police",
                                            "name": "Leicestershire Police"},
                   "body": "Did you see which way they went?", "time": msg["time"]}
    # No officer's name or account anywhere on the receipt.
    assert "t-officer" not in requests.get(rurl).text
    r = requests.post(rurl + "/messages", json={"body": "Towards the park."})
    assert r.status_code == 201
    o = officer.get(server.url + f"/api/v1/reports/{made['id']}").json()
    assert [m["body"] for m in o["messages"]][-2:] == ["Did you see which way they went?",
                                                       "Towards the park."]
    assert "reporter" not in o
    assert staff[AGENT].post(u, json={"body": "hello"}).status_code == 404
    assert officer.post(u, json={"body": ""}).status_code == 422
    stat = file_via(server, staff, "statistics")
    r = officer.post(server.url + f"/api/v1/reports/{stat['id']}/messages", json={"body": "hi"})
    assert r.status_code == 404
    r = staff[MEMBER].post(server.url + f"/api/v1/reports/{stat['id']}/messages",
                           json={"body": "The centre here: are you safe?"})
    assert r.status_code == 201


# --- the access history and its proofs (tests/lib/tlogcheck.py verifies) ---

def test_access_history_with_proofs(server, staff):
    made = file_via(server, staff, "identified")
    check_view(server, staff, made["id"], OFFICER, "full")
    check_view(server, staff, made["id"], MEMBER, "full")
    staff[SUPERVISOR].post(server.url + f"/api/v1/reports/{made['id']}/status",
                           json={"status": "acknowledged"})
    requests.post(server.url + "/api/v1/receipts/" + made["receipt"] + "/consent",
                  json={"consent": "anonymous"})
    rc = requests.get(server.url + "/api/v1/receipts/" + made["receipt"]).json()
    acc = rc["access"]
    assert [(e["action"], e["role"], e["org"]) for e in acc["entries"]] == [
        ("report.read.identity", "officer", "leicestershire-police"),
        ("report.read.identity", "org_member", "highfields-faith-centre"),
        ("report.status", "supervisor", "leicestershire-police"),
        ("report.consent", "reporter", None),
    ]
    assert acc["entries"][0]["org_name"] == "Leicestershire Police"
    assert acc["entries"][0]["purpose"] == "matrix test"
    # The checkpoint is signed by the log's published key.
    vkey = requests.get(server.url + "/log/key").text.strip()
    origin, size, root, _ = tc.open_checkpoint(acc["checkpoint"], vkey)
    assert origin == acc["origin"]
    assert size == acc["size"] and base64.b64decode(acc["root"]) == root
    for e in acc["entries"]:
        assert e["index"] < size
        data = e["entry"].encode()
        assert f'"object":"report:{made["id"]}"'.encode() in data
        proof = [base64.b64decode(p) for p in e["proof"]]
        assert tc.verify_inclusion(e["index"], size, tc.leaf_hash(data), proof, root)
        # A changed entry does not verify.
        forged = data.replace(b"report.", b"report!")
        assert not tc.verify_inclusion(e["index"], size, tc.leaf_hash(forged), proof, root)
    # The entries are the log's own, at those positions.
    stored = dict(server.db.query("SELECT idx, entry FROM tlog_entries WHERE idx >= %d"
                                  % acc["entries"][0]["index"]))
    for e in acc["entries"]:
        assert stored[str(e["index"])] == e["entry"]
    # Nothing personal in the log.
    assert "Matrixcase" not in str(server.db.query("SELECT entry FROM tlog_entries"))


def test_erasure(server, staff):
    made = file_via(server, staff, "identified")
    staff[OFFICER].post(server.url + f"/api/v1/reports/{made['id']}/messages",
                        json={"body": "Can we call you?"})
    staff[OFFICER].post(server.url + f"/api/v1/reports/{made['id']}/status",
                        json={"status": "acknowledged", "note": "Seen by PC on duty"})
    rurl = server.url + "/api/v1/receipts/" + made["receipt"]
    r = requests.post(rurl + "/erase", json={})
    assert r.status_code == 422 and error_of(r)["field"] == "confirm"
    before = log_size(server)
    r = requests.post(rurl + "/erase", json={"confirm": True})
    assert r.status_code == 200, r.text
    rc = r.json()
    assert log_size(server) == before + 1
    assert rc["erased"] is True
    for k in ["description", "location", "reporter", "messages"]:
        assert k not in rc, k
    assert rc["category"]["code"] == "hate_incident" and rc["area"]["slug"] == "highfields"
    assert rc["occurred_at"] == "2025-06-01T00:00:00Z"  # only the month is kept
    assert [u["note"] for u in rc["updates"]] == [None]
    assert rc["access"]["entries"][-1]["action"] == "report.erase"
    # Staff see only the facts now, and nothing is logged for that.
    before = log_size(server)
    o = staff[OFFICER].get(server.url + f"/api/v1/reports/{made['id']}").json()
    assert o["erased"] is True and "description" not in o and "reporter" not in o
    assert log_size(server) == before
    assert requests.post(rurl + "/erase", json={"confirm": True}).status_code == 409
    assert requests.post(rurl + "/messages", json={"body": "hi"}).status_code == 409
    assert requests.post(rurl + "/consent", json={"consent": "anonymous"}).status_code == 409
    r = staff[SUPERVISOR].post(server.url + f"/api/v1/reports/{made['id']}/override",
                               json={"reason": "Trying to reopen an erased report"})
    assert r.status_code == 409
    row = server.db.query("SELECT data_key, content, identity FROM reports WHERE public_id = '%s'"
                          % made["id"])[0]
    assert all(v in (None, "") for v in row)
    assert server.db.query("SELECT COUNT(*) FROM report_messages m JOIN reports r ON "
                           "r.id = m.report_id WHERE r.public_id = '%s'" % made["id"]) == [("0",)]
