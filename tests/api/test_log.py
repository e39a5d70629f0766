"""The accountability log: checkpoints, proofs, tiles and entries checked by
an independent verifier (tests/lib/tlogcheck.py); what gets logged; witness
keys and cosignatures; and `consent log verify` on logs tampered with in the
database (SQLite with Python's sqlite3, PostgreSQL with psql)."""
import base64
import json
import os
import re
import shutil
import sqlite3
import subprocess
import time
import urllib.parse
import uuid

import pytest
import requests

import tlogcheck as tc
from harness import PG_DSN, Database, error_of, pg_admin_sql, run_cli


def get_checkpoint(srv, witnesses=()):
    r = requests.get(srv.url + "/log/checkpoint")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "text/plain; charset=utf-8"
    vkey = requests.get(srv.url + "/log/key").text
    origin, size, root, cos = tc.open_checkpoint(r.text, vkey, witnesses)
    return r.text, size, root, cos


def all_entries(srv, size):
    out = []
    while len(out) < size:
        r = requests.get(srv.url + "/api/v1/log/entries",
                         params={"start": len(out), "end": min(size, len(out) + 1000)})
        assert r.status_code == 200, r.text
        body = r.json()
        assert [e["index"] for e in body["entries"]] == list(range(len(out), body["end"]))
        out += [e["entry"].encode() for e in body["entries"]]
    return out


def log_size(srv):
    return requests.get(srv.url + "/api/v1/log/entries", params={"start": 0, "end": 0}).json()["size"]


def new_entries(srv, since):
    """Entries appended since size `since`, parsed."""
    n = log_size(srv)
    return [json.loads(e) for e in all_entries(srv, n)[since:]]


# ---- published checkpoint, entries, proofs ----

def test_key_and_checkpoint(server):
    vkey = requests.get(server.url + "/log/key")
    assert vkey.status_code == 200 and vkey.text.endswith("\n")
    assert vkey.headers["Access-Control-Allow-Origin"] == "*"
    name, kid, kt, pub = tc.parse_vkey(vkey.text)
    assert kt == tc.TYPE_ED25519 and name.endswith("/log")
    text, size, root, _ = get_checkpoint(server)
    assert size >= 206  # the demo's year of activity
    # The same signature is not valid for another key of that name.
    other = tc.make_vkey(name, tc.TYPE_ED25519, tc.public_bytes(tc.new_key()))
    with pytest.raises(AssertionError):
        tc.open_checkpoint(text, other)


def test_checkpoint_root_is_that_of_the_entries(server):
    _, size, root, _ = get_checkpoint(server)
    entries = all_entries(server, size)
    assert tc.mth([tc.leaf_hash(e) for e in entries]) == root


def test_entries_are_canonical_and_impersonal(server):
    n = log_size(server)
    for raw in all_entries(server, n):
        e = json.loads(raw)
        assert raw == json.dumps(e, sort_keys=True, separators=(",", ":"),
                                 ensure_ascii=False).encode()
        assert set(e) == {"time", "actor", "action", "object", "purpose"}
        assert set(e["actor"]) == {"id", "role", "org"}
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", e["time"])
        # Nothing personal: no emails, no names; objects are references.
        assert b"@" not in raw and b"Hughes" not in raw and b"Amina" not in raw
        assert re.fullmatch(r"(membership|org|witness|commitment|meeting|recommendation|report|consultation):\S+",
                            e["object"]), e["object"]


def test_every_inclusion_proof_verifies(server):
    _, size, root, _ = get_checkpoint(server)
    leaves = [tc.leaf_hash(e) for e in all_entries(server, size)]
    for i in range(size):
        r = requests.get(server.url + "/api/v1/log/proof/inclusion",
                         params={"index": i, "size": size})
        assert r.status_code == 200, r.text
        p = r.json()
        assert set(p) == {"index", "size", "root", "hashes"}
        assert (p["index"], p["size"]) == (i, size)
        assert base64.b64decode(p["root"]) == root
        proof = [base64.b64decode(h) for h in p["hashes"]]
        assert tc.verify_inclusion(i, size, leaves[i], proof, root), i
        # The proof does not prove another entry.
        assert not tc.verify_inclusion(i, size, leaves[(i + 1) % size], proof, root)


def test_every_consistency_proof_verifies(server):
    _, size, root, _ = get_checkpoint(server)
    leaves = [tc.leaf_hash(e) for e in all_entries(server, size)]
    for m in list(range(1, size + 1)):
        r = requests.get(server.url + "/api/v1/log/proof/consistency",
                         params={"from": m, "to": size})
        assert r.status_code == 200, r.text
        p = r.json()
        assert set(p) == {"from", "to", "size", "root", "hashes"}
        assert (p["from"], p["to"], p["size"]) == (m, size, size)
        assert base64.b64decode(p["root"]) == root
        proof = [base64.b64decode(h) for h in p["hashes"]]
        assert tc.verify_consistency(m, size, tc.mth(leaves[:m]), root, proof), m
    # Between two older sizes too.
    r = requests.get(server.url + "/api/v1/log/proof/consistency", params={"from": 7, "to": 100})
    p = r.json()
    assert tc.verify_consistency(7, 100, tc.mth(leaves[:7]), tc.mth(leaves[:100]),
                                 [base64.b64decode(h) for h in p["hashes"]])


@pytest.mark.parametrize("path,params,field", [
    ("inclusion", {"index": 5, "size": 10 ** 9}, "size"),
    ("inclusion", {"index": 10, "size": 10}, "index"),
    ("inclusion", {"index": 0, "size": 0}, "index"),
    ("inclusion", {"index": "x", "size": 10}, "index"),
    ("inclusion", {"index": "-1", "size": 10}, "index"),
    ("inclusion", {"index": "1e3", "size": 10}, "index"),
    ("inclusion", {"size": 10}, "index"),
    ("inclusion", {"index": 1}, "size"),
    ("inclusion", {"index": 1, "size": "99999999999999999999999"}, "size"),
    ("consistency", {"from": 9, "to": 5}, "from"),
    ("consistency", {"from": 0, "to": 5}, "from"),
    ("consistency", {"from": 1, "to": 10 ** 9}, "to"),
    ("consistency", {"from": "", "to": 5}, "from"),
    ("consistency", {"to": 5}, "from"),
])
def test_bad_proof_parameters(server, path, params, field):
    r = requests.get(server.url + "/api/v1/log/proof/" + path, params=params)
    assert r.status_code == 400, r.text
    err = error_of(r)
    assert err["code"] == "invalid" and err["field"] == field


def test_bad_entry_ranges(server):
    u = server.url + "/api/v1/log/entries"
    n = log_size(server)
    assert requests.get(u, params={"start": 0, "end": 1001}).status_code == 400
    r = requests.get(u, params={"start": 0, "end": n + 1})
    assert r.status_code == 400 and error_of(r)["field"] == "end"
    r = requests.get(u, params={"start": 5, "end": 4})
    assert r.status_code == 400 and error_of(r)["field"] == "start"
    assert error_of(requests.get(u))["field"] == "start"
    assert requests.get(u, params={"start": "abc"}).status_code == 400
    # Without end: up to 1000, up to the size.
    r = requests.get(u, params={"start": n - 2})
    assert r.status_code == 200 and [e["index"] for e in r.json()["entries"]] == [n - 2, n - 1]


def test_bad_tile_paths(server):
    for p in ["0/1", "0/0001", "x/000", "0/000.p/0", "0/000.p/256", "entries", "-1/000",
              "0/x000/001", "0/000.p/07"]:
        r = requests.get(server.url + "/log/tile/" + p)
        assert r.status_code == 400, p
        assert error_of(r)["field"] == "path"
    # Well formed, but the log is not that big.
    assert requests.get(server.url + "/log/tile/0/x001/000").status_code == 404
    assert requests.get(server.url + "/log/tile/entries/x001/000.p/5").status_code == 404
    assert requests.get(server.url + "/log/tile/3/000.p/1").status_code == 404


# ---- what is logged ----

def test_membership_changes_are_logged(server):
    admin = server.bearer("t-admin@test.example")
    orgadmin = server.bearer("t-orgadmin@test.example")
    server.user("logged-volunteer@test.example")
    u = server.url + "/api/v1/orgs/st-philips-centre/members"
    n0 = log_size(server)
    r = admin.post(u, json={"email": "logged-volunteer@test.example", "role": "org_member"})
    assert r.status_code == 201, r.text
    uid = [m["user_id"] for m in r.json()["members"]
           if m["email"] == "logged-volunteer@test.example"][0]
    (e,) = new_entries(server, n0)
    assert e["action"] == "member.add" and e["purpose"] == "grant role org_member"
    assert e["actor"]["role"] == "admin" and e["actor"]["org"] is None
    assert re.fullmatch(r"membership:st-philips-centre/[A-Za-z0-9_-]{16}", e["object"])
    admin_id = e["actor"]["id"]
    member_ref = e["object"]

    # Refused or failed changes leave no entry.
    n1 = log_size(server)
    officer = server.bearer("t-officer@test.example")
    assert officer.patch(u + "/%d" % uid, json={"role": "org_admin"}).status_code == 403
    r = admin.post(u, json={"email": "logged-volunteer@test.example", "role": "org_member"})
    assert r.status_code == 409
    assert orgadmin.patch(u + "/%d" % uid, json={"role": "officer"}).status_code == 422
    assert log_size(server) == n1

    # The organisation's own admin acts in that role and organisation.
    assert orgadmin.patch(u + "/%d" % uid, json={"role": "org_admin"}).status_code == 200
    assert orgadmin.delete(u + "/%d" % uid).status_code == 200
    upd, rem = new_entries(server, n1)
    assert (upd["action"], upd["purpose"]) == ("member.update", "change role to org_admin")
    assert (rem["action"], rem["purpose"]) == ("member.remove", "end membership")
    for e in (upd, rem):
        assert e["actor"]["role"] == "org_admin" and e["actor"]["org"] == "st-philips-centre"
        assert e["actor"]["id"] != admin_id and e["object"] == member_ref


def test_org_update_is_logged(server):
    s = server.bearer("t-supervisor@test.example")
    n0 = log_size(server)
    r = s.patch(server.url + "/api/v1/orgs/leicestershire-police",
                json={"description": "The police force for Leicester, Leicestershire and Rutland."})
    assert r.status_code == 200, r.text
    (e,) = new_entries(server, n0)
    assert e["action"] == "org.update" and e["object"] == "org:leicestershire-police"
    assert e["purpose"] == "update description"
    assert (e["actor"]["role"], e["actor"]["org"]) == ("supervisor", "leicestershire-police")


# ---- witnesses ----

def witness_key(name="witness.opcc-test.example"):
    sk = tc.new_key()
    return sk, name, tc.make_vkey(name, tc.TYPE_COSIG, tc.public_bytes(sk))


def test_witness_registration(server):
    admin = server.bearer("t-admin@test.example")
    u = server.url + "/api/v1/log/witnesses"
    sk, name, vkey = witness_key("witness.reg-test.example")
    for email in ["t-overseer@test.example", "t-orgadmin@test.example"]:
        assert server.bearer(email).post(u, json={"org": "leicestershire-opcc", "key": vkey}).status_code == 403
    assert requests.post(u, json={"org": "leicestershire-opcc", "key": vkey}).status_code == 401
    r = admin.post(u, json={"org": "leicestershire-police", "key": vkey})
    assert r.status_code == 422 and error_of(r)["field"] == "org"
    r = admin.post(u, json={"org": "no-such-org", "key": vkey})
    assert r.status_code == 422 and error_of(r)["field"] == "org"
    log_vkey = tc.make_vkey(name, tc.TYPE_ED25519, tc.public_bytes(sk))  # wrong type
    for bad in [log_vkey, "not a key", vkey.replace("+", "-", 1), vkey[:-4]]:
        r = admin.post(u, json={"org": "leicestershire-opcc", "key": bad})
        assert r.status_code == 422 and error_of(r)["field"] == "key", bad
    n0 = log_size(server)
    r = admin.post(u, json={"org": "leicestershire-opcc", "key": vkey})
    assert r.status_code == 201, r.text
    assert r.json() == {"org": "leicestershire-opcc", "name": name,
                        "key_id": tc.key_id(name, 4, tc.public_bytes(sk)).hex(), "key": vkey}
    assert admin.post(u, json={"org": "leicestershire-opcc", "key": vkey}).status_code == 409
    (e,) = new_entries(server, n0)
    assert e["action"] == "log.witness.add" and e["object"].startswith("witness:" + name + "+")
    listed = requests.get(u).json()["witnesses"]
    assert {"org": "leicestershire-opcc", "name": name, "key_id": r.json()["key_id"],
            "key": vkey} in listed


def test_cosignature(server):
    admin = server.bearer("t-admin@test.example")
    u = server.url + "/api/v1/log/witnesses"
    sk, name, vkey = witness_key("witness.cosign-test.example")
    assert admin.post(u, json={"org": "leicestershire-opcc", "key": vkey}).status_code == 201
    sk2, name2, vkey2 = witness_key("witness.comite-test.example")
    assert admin.post(u, json={"org": "comite-p", "key": vkey2}).status_code == 201

    time.sleep(1.1)  # so that the checkpoint covers the registrations
    text, size, root, _ = get_checkpoint(server)
    body, _ = tc.parse_note(text)
    now = int(time.time())
    cosigned = body + "\n" + tc.cosign_line(sk, name, body, now)
    cu = server.url + "/api/v1/log/cosign"
    overseer = server.bearer("t-overseer@test.example")

    # Only overseers, with their own organisation's key, correctly signed.
    assert requests.post(cu, json={"checkpoint": cosigned}).status_code == 401
    r = server.bearer("t-officer@test.example").post(cu, json={"checkpoint": cosigned})
    assert r.status_code == 403
    r = overseer.post(cu, json={"checkpoint": body + "\n" + tc.cosign_line(sk2, name2, body, now)})
    assert r.status_code == 403, r.text
    bad = body + "\n" + tc.cosign_line(sk, name, body, now)
    bad = bad[:-6] + ("A" if bad[-6] != "A" else "B") + bad[-5:]
    r = overseer.post(cu, json={"checkpoint": bad})
    assert r.status_code == 400 and error_of(r)["field"] == "checkpoint"
    # A checkpoint this log never signed.
    forged = body.replace("\n%d\n" % size, "\n%d\n" % (size + 1000))
    r = overseer.post(cu, json={"checkpoint": forged + "\n" + tc.cosign_line(sk, name, forged, now)})
    assert r.status_code == 422 and error_of(r)["field"] == "checkpoint"
    r = overseer.post(cu, json={"checkpoint": "garbage"})
    assert r.status_code == 422
    unknown_sk, unknown_name, _ = witness_key("witness.unknown.example")
    r = overseer.post(cu, json={"checkpoint": body + "\n" + tc.cosign_line(unknown_sk, unknown_name, body, now)})
    assert r.status_code == 422

    n0 = log_size(server)
    r = overseer.post(cu, json={"checkpoint": cosigned})
    assert r.status_code == 200, r.text
    assert r.json() == {"size": size, "cosigned_by": [name], "added": 1}
    # Posting the whole note (log signature included) again changes nothing.
    r = overseer.post(cu, json={"checkpoint": text + tc.cosign_line(sk, name, body, now + 5)})
    assert r.status_code == 200 and r.json()["added"] == 0
    assert log_size(server) == n0  # cosigning is not itself logged

    # The served checkpoint now carries it, and it verifies.
    r = requests.get(server.url + "/log/checkpoint")
    if tc.parse_checkpoint(tc.parse_note(r.text)[0])[1] == size:
        _, _, _, cos = tc.open_checkpoint(r.text, requests.get(server.url + "/log/key").text,
                                          [vkey, vkey2])
        assert cos == [name]


# ---- tiles and the signing rate, on a server of their own ----

def test_tiles_are_byte_correct(fresh_server):
    srv = fresh_server(demo=True)
    srv.user("tile-admin@test.example", "admin")
    srv.user("tile-officer@test.example", "officer", "politie-antwerpen")
    admin = srv.bearer("tile-admin@test.example")
    members = admin.get(srv.url + "/api/v1/orgs/politie-antwerpen/members").json()["members"]
    uid = [m["user_id"] for m in members if m["email"] == "tile-officer@test.example"][0]
    u = srv.url + "/api/v1/orgs/politie-antwerpen/members/%d" % uid
    while log_size(srv) < 300:  # acting up and back, for more than a full tile
        for role in ("supervisor", "officer"):
            assert admin.patch(u, json={"role": role}).status_code == 200
    size = log_size(srv)
    entries = all_entries(srv, size)
    leaves = [tc.leaf_hash(e) for e in entries]

    def tile(path):
        r = requests.get(srv.url + "/log/" + path)
        assert r.status_code == 200, (path, r.text)
        assert r.headers["Content-Type"] == "application/octet-stream"
        return r

    r = tile(tc.tile_path(0, 0))
    assert r.content == tc.hash_tile(leaves, 0, 0, 256)
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    w = size - 256
    r = tile(tc.tile_path(0, 1, w))
    assert r.content == tc.hash_tile(leaves, 0, 1, w)
    assert r.headers["Cache-Control"] == "no-store"
    assert tile(tc.tile_path(0, 1, 3)).content == tc.hash_tile(leaves, 0, 1, 3)
    assert requests.get(srv.url + "/log/" + tc.tile_path(0, 1, w + 1)).status_code == 404
    # Level 1: the root of the full level-0 tile.
    assert tile(tc.tile_path(1, 0, 1)).content == tc.mth(leaves[:256])
    # Entry bundles.
    assert tile("tile/entries/000").content == tc.bundle(entries[:256])
    assert tile("tile/entries/001.p/%d" % w).content == tc.bundle(entries[256:size])
    # A client rebuilds the checkpoint's root from tiles alone (a second
    # after the demo's checkpoint, the server signs one of the grown log).
    time.sleep(1.1)
    _, csize, root, _ = get_checkpoint(srv)
    t0 = tile(tc.tile_path(0, 0)).content
    t1 = tile(tc.tile_path(0, 1, csize - 256)).content
    hashes = [t0[i:i + 32] for i in range(0, len(t0), 32)] + \
             [t1[i:i + 32] for i in range(0, len(t1), 32)]
    assert tc.mth(hashes) == root


def test_checkpoint_signed_at_most_every_second(fresh_server):
    srv = fresh_server(start=False)
    run_cli("org", "add", "--db", srv.db.dsn, "--slug", "leicestershire-police",
            "--name", "Leicestershire Police", "--kind", "police")
    srv.start()
    srv.user("cp-a@test.example", "officer", "leicestershire-police")
    time.sleep(1.1)
    _, s1, _, _ = get_checkpoint(srv)  # signs the grown log
    t1 = time.monotonic()
    assert s1 == 1
    srv.user("cp-b@test.example", "officer", "leicestershire-police")
    _, s2, _, _ = get_checkpoint(srv)
    if time.monotonic() - t1 < 0.9:
        assert s2 == 1  # grown, but the last one is under a second old
    time.sleep(1.1)
    _, s3, root, _ = get_checkpoint(srv)
    assert s3 == 2
    assert tc.mth([tc.leaf_hash(e) for e in all_entries(srv, 2)]) == root
    # The command line signs one at once, on demand.
    srv.user("cp-c@test.example", "officer", "leicestershire-police")
    out = run_cli("log", "checkpoint", "--db", srv.db.dsn, "--keys", srv.db.keys).stdout
    assert out.split("\n")[1] == "3"


# ---- consent log verify, on logs tampered with in the database ----

def sql_run(db, sql, params=()):
    """Runs sql on the database of db (a dict with dsn and path)."""
    if db["path"]:
        con = sqlite3.connect(db["path"])
        if params:
            con.execute(sql, params)
        else:
            con.executescript(sql)
        con.commit()
        con.close()
        return
    for p in params:  # inline, dollar-quoted (our own values, without '$')
        assert "$" not in str(p)
        sql = sql.replace("?", "$q$%s$q$" % p, 1)
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", db["dsn"], "-c", sql],
                   check=True, capture_output=True, text=True)


def sql_one(db, sql):
    if db["path"]:
        con = sqlite3.connect(db["path"])
        v = con.execute(sql).fetchone()[0]
        con.close()
        return v
    p = subprocess.run(["psql", "-X", "-q", "-t", "-A", db["dsn"], "-c", sql],
                       check=True, capture_output=True, text=True)
    return p.stdout.rstrip("\n")


def sql_all(db, sql):
    """The first column of every row."""
    if db["path"]:
        con = sqlite3.connect(db["path"])
        v = [r[0] for r in con.execute(sql).fetchall()]
        con.close()
        return v
    p = subprocess.run(["psql", "-X", "-q", "-t", "-A", db["dsn"], "-c", sql],
                       check=True, capture_output=True, text=True)
    return [l for l in p.stdout.splitlines() if l]


@pytest.fixture(scope="module")
def signed_log(tmp_path_factory):
    """A log made by the command line: the demo (with its cosigned
    checkpoint), one more entry and a second checkpoint."""
    tmp = str(tmp_path_factory.mktemp("tlog"))
    db = Database(tmp)
    run_cli("init", "--db", db.dsn, "--keys", db.keys)
    run_cli("demo", "--db", db.dsn, "--keys", db.keys)
    run_cli("user", "add", "--db", db.dsn, "--email", "late@test.example", "--role", "officer",
            "--org", "leicestershire-police", stdin="a long enough password\n")
    run_cli("log", "checkpoint", "--db", db.dsn, "--keys", db.keys)
    # D: the size of the demo's checkpoint; N = D + 1, the log's size.
    demo = int(db.query("SELECT MIN(size) FROM tlog_checkpoints")[0][0])
    return {"tmp": tmp, "db": db, "D": demo, "N": demo + 1}


def sized(signed_log, text):
    """text with {D} and {N} replaced by the sizes of signed_log."""
    return text.replace("{D}", str(signed_log["D"])).replace("{N}", str(signed_log["N"]))


def clone(signed_log):
    src = signed_log["db"]
    if src.path:
        path = os.path.join(signed_log["tmp"], "copy-%s.db" % uuid.uuid4().hex[:8])
        a, b = sqlite3.connect(src.path), sqlite3.connect(path)
        a.backup(b)
        a.close()
        b.close()
        return {"dsn": "sqlite:" + path, "path": path}
    name = "t" + uuid.uuid4().hex[:12]
    orig = urllib.parse.urlsplit(src.dsn).path.lstrip("/")
    pg_admin_sql("CREATE DATABASE %s TEMPLATE %s" % (name, orig))
    u = urllib.parse.urlsplit(src.dsn)
    return {"dsn": urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + name, u.query, "")),
            "path": None}


def verify(signed_log, db, *extra):
    return run_cli("log", "verify", "--db", db["dsn"], "--keys", signed_log["db"].keys, *extra,
                   check=False)


def test_verify_sound_log(signed_log):
    db = clone(signed_log)
    p = verify(signed_log, db)
    assert p.returncode == 0, p.stderr
    n = signed_log["N"]
    hashes = 2 * n - bin(n).count("1")
    assert ": %d entries, %d subtree hashes, 2 checkpoints, 2 cosignatures" % (n, hashes) \
        in p.stdout
    # With the published key instead of the key file.
    vkey = run_cli("log", "key", "--keys", signed_log["db"].keys, "--db", db["dsn"]).stdout.strip()
    p = run_cli("log", "verify", "--db", db["dsn"], "--vkey", vkey, check=False)
    assert p.returncode == 0, p.stderr
    # Another key: every checkpoint fails.
    other = tc.make_vkey(vkey.split("+")[0], 1, tc.public_bytes(tc.new_key()))
    p = run_cli("log", "verify", "--db", db["dsn"], "--vkey", other, check=False)
    assert p.returncode == 1 and sized(signed_log, "checkpoint of size {D}: the log's signature") \
        in p.stderr


def test_prove_command(signed_log):
    db = clone(signed_log)
    D, N = signed_log["D"], signed_log["N"]
    p = json.loads(run_cli("log", "prove", "--db", db["dsn"], "--index", "17").stdout)
    n = signed_log["N"]
    assert (p["index"], p["size"]) == (17, n)
    entry = sql_one(db, "SELECT entry FROM tlog_entries WHERE idx = 17").encode()
    assert tc.verify_inclusion(17, n, tc.leaf_hash(entry),
                               [base64.b64decode(h) for h in p["hashes"]],
                               base64.b64decode(p["root"]))
    c = json.loads(run_cli("log", "prove", "--db", db["dsn"], "--from", str(n - 1)).stdout)
    assert (c["from"], c["to"]) == (n - 1, n)
    assert run_cli("log", "prove", "--db", db["dsn"], "--index", str(n),
                   check=False).returncode == 1
    assert run_cli("log", "prove", "--db", db["dsn"], "--index", "x", check=False).returncode == 2


FLIP = ("UPDATE tlog_entries SET entry = SUBSTR(entry, 1, ({p}) - 1) || "
        "CASE WHEN SUBSTR(entry, {p}, 1) = 'a' THEN 'b' ELSE 'a' END || "
        "SUBSTR(entry, ({p}) + 1) WHERE idx = 100")


@pytest.mark.parametrize("sql,want", [
    # Any byte of an entry changed.
    (FLIP.format(p="1"), "entry 100 "),
    (FLIP.format(p="2"), "entry 100 "),
    (FLIP.format(p="40"), "entry 100"),
    (FLIP.format(p="LENGTH(entry) / 2"), "entry 100"),
    (FLIP.format(p="LENGTH(entry) - 3"), "entry 100"),
    (FLIP.format(p="LENGTH(entry)"), "entry 100 "),
    # Deleted.
    ("DELETE FROM tlog_entries WHERE idx = 57", "entry 57 is missing"),
    ("DELETE FROM tlog_entries WHERE idx >= 200", "entries 200 to {D} are missing"),
    # Reordered.
    ("UPDATE tlog_entries SET entry = CASE idx WHEN 10 THEN (SELECT entry FROM tlog_entries "
     "WHERE idx = 11) ELSE (SELECT entry FROM tlog_entries WHERE idx = 10) END "
     "WHERE idx IN (10, 11)", "entry 10:"),
    # Truncated, with the size and the hashes: the checkpoints tell.
    ("DELETE FROM tlog_entries WHERE idx >= 150; DELETE FROM tlog_hashes WHERE node >= 299; "
     "UPDATE tlog_state SET size = 150", "checkpoint of size {D} is beyond the log"),
    # Truncated, and the checkpoints too: the hashes left tell.
    ("DELETE FROM tlog_cosignatures; DELETE FROM tlog_checkpoints WHERE size > 150; "
     "DELETE FROM tlog_entries WHERE idx >= 150; UPDATE tlog_state SET size = 150",
     "tlog_hashes holds"),
    # An entry added beyond the size.
    ("INSERT INTO tlog_entries (idx, entry) SELECT {N}, entry FROM tlog_entries WHERE idx = 0",
     "entry {N} is beyond the log's recorded size {N}"),
    # A stored hash changed: entry 0's leaf.
    ("UPDATE tlog_hashes SET hash = (SELECT hash FROM tlog_hashes WHERE node = 2) WHERE node = 0",
     "entry 0:"),
    # A checkpoint replaced by another one of the log's.
    ("UPDATE tlog_checkpoints SET note = (SELECT note FROM tlog_checkpoints WHERE size = {N}) "
     "WHERE size = {D}", "checkpoint of size {D}: its note says size {N}"),
    # A cosignature changed.
    ("UPDATE tlog_cosignatures SET line = REPLACE(line, ' ', ' AAAA') WHERE witness_id = 2",
     "checkpoint of size {D}: the cosignature of witness witness.comite-p.example"),
])
def test_verify_names_the_tampering(signed_log, sql, want):
    db = clone(signed_log)
    sql_run(db, sized(signed_log, sql))
    p = verify(signed_log, db)
    assert p.returncode == 1, p.stdout
    assert sized(signed_log, want) in p.stderr, p.stderr


def test_verify_rejects_a_forged_checkpoint(signed_log):
    """A checkpoint of the same size and root, signed by another key under
    the log's name, replacing the real one."""
    db = clone(signed_log)
    note = sql_one(db, sized(signed_log, "SELECT note FROM tlog_checkpoints WHERE size = {N}"))
    body, _ = tc.parse_note(note + "\n" if not note.endswith("\n") else note)
    name = body.split("\n")[0]
    forged = body + "\n" + tc.sign_line(tc.new_key(), name, body)
    sql_run(db, sized(signed_log, "UPDATE tlog_checkpoints SET note = ? WHERE size = {N}"),
            (forged,))
    p = verify(signed_log, db)
    assert p.returncode == 1
    assert sized(signed_log, "checkpoint of size {N}: the log's signature does not verify") \
        in p.stderr
