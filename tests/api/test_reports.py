"""Reports with consent: categories, filing (directly and through an
organisation), receipts, messages, bad input, and personal data at rest."""
import copy

import pytest
import requests

from harness import error_of

GOOD = {
    "category": "hate_crime",
    "strands": ["religion", "race"],
    "description": "Two men shouted abuse at me outside the mosque on Melbourne Road.",
    "occurred_at": "2025-03-01T18:30:00Z",
    "area": "highfields",
    "location": {"address": "Melbourne Road, near the mosque"},
    "consent": "anonymous",
    "reporter": {"name": "Zainab Testcase", "email": "zainab.testcase@example.org",
                 "phone": "+44 116 496 0000"},
}


def file_report(server, session=None, **changes):
    body = copy.deepcopy(GOOD)
    for k, v in changes.items():
        if v is None:
            body.pop(k, None)
        else:
            body[k] = v
    r = (session or requests).post(server.url + "/api/v1/reports", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def receipt(server, token):
    r = requests.get(server.url + "/api/v1/receipts/" + token)
    assert r.status_code == 200, r.text
    return r.json()


def test_categories_are_seeded_with_three_languages(server):
    r = requests.get(server.url + "/api/v1/categories")
    assert r.status_code == 200
    body = r.json()
    cats = {c["code"]: c for c in body["categories"]}
    assert set(cats) >= {"hate_incident", "hate_crime", "anti_social_behaviour",
                         "community_tension", "police_conduct", "other"}
    assert cats["anti_social_behaviour"]["public"] is True
    for code in ["hate_incident", "hate_crime", "community_tension", "police_conduct", "other"]:
        assert cats[code]["public"] is False, code
    assert cats["hate_crime"]["strands"] and cats["hate_incident"]["strands"]
    assert not cats["anti_social_behaviour"]["strands"]
    for c in body["categories"]:
        assert set(c["label"]) == {"en", "fr", "nl"} and all(c["label"].values())
    strands = {s["code"] for s in body["strands"]}
    assert strands == {"race", "religion", "sexual_orientation", "disability", "transgender",
                       "sex_gender", "other"}
    assert cats["hate_crime"]["label"]["fr"] == "Crime de haine"


def test_admins_edit_categories(server):
    admin = server.bearer("t-admin@test.example")
    u = server.url + "/api/v1/categories"
    new = {"code": "graffiti", "public": True,
           "label": {"en": "Graffiti", "fr": "Graffiti", "nl": "Graffiti"},
           "description": {"en": "Paint on walls", "fr": "Peinture", "nl": "Verf"}}
    assert server.bearer("t-officer@test.example").post(u, json=new).status_code == 403
    assert requests.post(u, json=new).status_code == 401
    r = admin.post(u, json=new)
    assert r.status_code == 201, r.text
    assert r.json()["public"] is True and r.json()["active"] is True
    assert admin.post(u, json=new).status_code == 409
    r = admin.post(u, json={**new, "code": "x", "label": {"en": "X", "fr": "X"}})
    assert r.status_code == 422 and error_of(r)["field"] == "label.nl"
    r = admin.post(u, json={**new, "code": "Bad Code"})
    assert r.status_code == 422 and error_of(r)["field"] == "code"
    r = admin.patch(u + "/graffiti", json={"active": False, "label": {"nl": "Graffiti!"}})
    assert r.status_code == 200 and r.json()["active"] is False
    assert r.json()["label"]["nl"] == "Graffiti!" and r.json()["label"]["en"] == "Graffiti"
    assert "graffiti" not in {c["code"] for c in requests.get(u).json()["categories"]}
    assert "graffiti" in {c["code"] for c in requests.get(u + "?all=1").json()["categories"]}
    # An inactive category takes no new reports.
    r = requests.post(server.url + "/api/v1/reports",
                      json={**GOOD, "category": "graffiti", "strands": []})
    assert r.status_code == 422 and error_of(r)["field"] == "category"
    assert admin.patch(u + "/nope", json={"active": True}).status_code == 404


def test_file_a_report_and_read_the_receipt(server):
    made = file_report(server)
    assert len(made["id"]) == 16 and len(made["receipt"]) == 43
    assert made["receipt_url"] == "/r/" + made["receipt"]
    rc = receipt(server, made["receipt"])
    assert rc["id"] == made["id"]
    assert rc["status"] == "received" and rc["consent"] == "anonymous"
    assert rc["category"]["code"] == "hate_crime"
    assert [s["code"] for s in rc["strands"]] == ["race", "religion"]
    assert rc["area"]["slug"] == "highfields"
    # Highfields -> Leicester -> Leicestershire, served by Leicestershire Police.
    assert rc["police"]["slug"] == "leicestershire-police"
    assert rc["via"] is None
    assert rc["description"] == GOOD["description"]
    assert rc["location"] == GOOD["location"]
    assert rc["reporter"]["email"] == GOOD["reporter"]["email"]
    assert rc["occurred_at"] == "2025-03-01T18:30:00Z"
    assert rc["messages"] == [] and rc["updates"] == [] and rc["overrides"] == []


def test_receipt_in_french(server):
    made = file_report(server)
    r = requests.get(server.url + "/api/v1/receipts/" + made["receipt"] + "?lang=fr")
    assert r.json()["category"]["label"] == "Crime de haine"


def test_position_instead_of_address_and_antwerp_routing(server):
    made = file_report(server, area="borgerhout", location={"lat": 51.2125, "long": 4.4378},
                       category="anti_social_behaviour", strands=None, reporter=None,
                       consent="statistics")
    rc = receipt(server, made["receipt"])
    assert rc["police"]["slug"] == "politie-antwerpen"
    assert rc["location"] == {"lat": 51.2125, "long": 4.4378}
    assert rc["reporter"] is None and rc["strands"] == []


def test_no_location_is_fine(server):
    made = file_report(server, location=None)
    assert receipt(server, made["receipt"])["location"] is None


def test_filed_via_an_organisation(server):
    member = server.bearer("t-member@test.example")
    made = file_report(server, member, via="highfields-faith-centre", consent="statistics")
    rc = receipt(server, made["receipt"])
    assert rc["via"]["slug"] == "highfields-faith-centre"
    assert rc["police"]["slug"] == "leicestershire-police"
    # Only members of that organisation may file through it.
    for s in [requests, server.bearer("t-orgadmin@test.example"),
              server.bearer("t-officer@test.example")]:
        r = s.post(server.url + "/api/v1/reports", json={**GOOD, "via": "highfields-faith-centre"})
        assert r.status_code == 403 and error_of(r)["field"] == "via"
    r = member.post(server.url + "/api/v1/reports", json={**GOOD, "via": "leicestershire-police"})
    assert r.status_code == 422 and error_of(r)["field"] == "via"


def test_reporter_writes_through_the_receipt(server):
    made = file_report(server)
    u = server.url + "/api/v1/receipts/" + made["receipt"] + "/messages"
    r = requests.post(u, json={"body": "It happened again last night."})
    assert r.status_code == 201, r.text
    msgs = r.json()["messages"]
    assert [(m["from"], m["body"], m["org"]) for m in msgs] == [
        ("reporter", "It happened again last night.", None)]
    r = requests.post(u, json={"body": ""})
    assert r.status_code == 422 and error_of(r)["field"] == "body"
    r = requests.post(u, json={"body": "x" * 4001})
    assert r.status_code == 422 and error_of(r)["field"] == "body"
    assert len(receipt(server, made["receipt"])["messages"]) == 1


def test_wrong_receipt_token(server):
    for token in ["nope", "A" * 43, "A" * 44, "A" * 42 + "!"]:
        r = requests.get(server.url + "/api/v1/receipts/" + token)
        assert r.status_code == 404 and error_of(r)["field"] == "token", token
    assert requests.get(server.url + "/api/v1/receipts/%00").status_code == 404
    r = requests.post(server.url + "/api/v1/receipts/" + "B" * 43 + "/messages", json={"body": "hi"})
    assert r.status_code == 404


BAD = [
    ({"category": "burglary"}, "category"),
    ({"category": None}, "category"),
    ({"category": 3}, "category"),
    ({"strands": []}, "strands"),
    ({"strands": ["race", "height"]}, "strands"),
    ({"strands": "race"}, "strands"),
    ({"category": "anti_social_behaviour", "strands": ["race"]}, "strands"),
    ({"description": ""}, "description"),
    ({"description": None}, "description"),
    ({"description": "x" * 4001}, "description"),
    ({"description": "bell \x07"}, "description"),
    ({"occurred_at": "yesterday"}, "occurred_at"),
    ({"occurred_at": "2025-02-30T10:00:00Z"}, "occurred_at"),
    ({"occurred_at": "2025-03-01 18:30"}, "occurred_at"),
    ({"occurred_at": "2025-03-01T18:30:00"}, "occurred_at"),
    ({"occurred_at": "2999-01-01T00:00:00Z"}, "occurred_at"),
    ({"occurred_at": None}, "occurred_at"),
    ({"area": "atlantis"}, "area"),
    ({"area": None}, "area"),
    ({"location": {"lat": 91, "long": 0}}, "location.lat"),
    ({"location": {"lat": 52.6}}, "location.long"),
    ({"location": {"address": "x" * 1001}}, "location.address"),
    ({"location": {"street": "High St"}}, "location.street"),
    ({"location": "High St"}, "location"),
    ({"consent": "public"}, "consent"),
    ({"consent": None}, "consent"),
    ({"consent": "identified", "reporter": {"name": "No Contact"}}, "reporter"),
    ({"consent": "identified", "reporter": None}, "reporter"),
    ({"reporter": {"email": "not-an-email"}}, "reporter.email"),
    ({"reporter": {"phone": "call me maybe"}}, "reporter.phone"),
    ({"reporter": {"age": 40}}, "reporter.age"),
    ({"reporter": "me"}, "reporter"),
    ({"via": "no-such-org"}, "via"),
    ({"colour": "red"}, "colour"),
]


@pytest.mark.parametrize("change,field", BAD, ids=[f for _, f in BAD])
def test_bad_input_is_refused_and_stores_nothing(server, change, field):
    before = server.db.count("reports")
    body = copy.deepcopy(GOOD)
    body.update(change)
    body = {k: v for k, v in body.items() if v is not None}
    r = requests.post(server.url + "/api/v1/reports", json=body)
    assert r.status_code == 422, (change, r.text)
    assert error_of(r)["field"] == field
    assert server.db.count("reports") == before


def test_not_json_is_refused(server):
    before = server.db.count("reports")
    r = requests.post(server.url + "/api/v1/reports", data="category=hate_crime",
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code in (403, 415)
    r = requests.post(server.url + "/api/v1/reports", data="{", headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert server.db.count("reports") == before


def test_personal_data_is_never_in_the_database_in_clear(server):
    secret = "Marmalade-Umbrella-7731 pushed me off my bike"
    email = "quentin.unique-7731@example.org"
    made = file_report(server, description=secret, reporter={"name": "Quentin Sevenseven",
                                                             "email": email},
                       location={"address": "41 Rutabaga Crescent"}, consent="identified")
    requests.post(server.url + "/api/v1/receipts/" + made["receipt"] + "/messages",
                  json={"body": "Reply-Xylophone-9921"})
    assert receipt(server, made["receipt"])["description"] == secret
    needles = [secret, "Marmalade-Umbrella", email, "Quentin Sevenseven", "Rutabaga",
               "Xylophone-9921", made["receipt"]]
    if server.db.path:
        import glob
        for f in glob.glob(server.db.path + "*"):
            if f.endswith(".keys"):
                continue
            data = open(f, "rb").read()
            for n in needles:
                assert n.encode() not in data, (f, n)
    else:
        tables = [t for (t,) in server.db.query(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")]
        assert "reports" in tables
        for t in tables:
            dump = "\n".join(v or "" for row in server.db.query(f"SELECT t::text FROM {t} t")
                             for v in row)
            for n in needles:
                assert n not in dump, (t, n)
                assert n.encode().hex() not in dump, (t, n)
    for n in needles:
        assert n not in server.read_log()


def test_erasure_leaves_no_key_in_the_sqlite_file(fresh_server):
    """SQLite zeroes what erasure frees (secure_delete): the report's wrapped
    data key and sealed parts are not left in the file's free space."""
    from harness import PG_DSN
    if PG_DSN:
        pytest.skip("a SQLite file property (PostgreSQL keeps dead rows until vacuum)")
    srv = fresh_server(demo=True)
    made = file_report(srv, consent="identified")
    import sqlite3
    con = sqlite3.connect(srv.db.path)
    key, content, identity = con.execute(
        "SELECT data_key, content, identity FROM reports WHERE public_id = ?",
        (made["id"],)).fetchone()
    con.close()
    r = requests.post(srv.url + "/api/v1/receipts/" + made["receipt"] + "/erase",
                      json={"confirm": True})
    assert r.status_code == 200
    srv.stop()  # the last connection checkpoints the WAL into the file
    data = b"".join(open(f, "rb").read() for f in [srv.db.path, srv.db.path + "-wal"]
                    if __import__("os").path.exists(f))
    for blob in [key, content, identity]:
        assert len(blob) >= 72
        assert bytes(blob) not in data
        assert bytes(blob)[:32] not in data
