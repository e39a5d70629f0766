"""The consent command line: help, errors, init, demo, user add, org add."""
import json
import os
import stat
import subprocess

import pytest
import requests

from harness import BIN, PASSWORD, PG_DSN, Database, run_cli

COMMANDS = [["init"], ["serve"], ["demo"], ["user", "add"], ["org", "add"], ["copy"],
            ["survey", "import"], ["survey", "indicators"], ["population", "import"],
            ["workforce", "import"], ["apikey", "add"]]


def test_help_everywhere():
    p = run_cli("--help")
    assert "usage: consent" in p.stdout
    for cmd in COMMANDS:
        p = run_cli(*cmd, "--help")
        assert p.stdout.startswith("usage: consent " + " ".join(cmd)), cmd
        assert "--help" in p.stdout


@pytest.mark.parametrize("args", [["frobnicate"], ["init", "--nope"], ["serve", "--bogus=1"],
                                  ["demo", "--db"], ["user", "remove"], ["org", "add", "stray"],
                                  ["user", "add", "--email"], ["copy", "--wat"],
                                  ["survey", "import", "--wave"], ["survey", "frob"],
                                  ["population", "import", "--bogus"], ["workforce", "export"],
                                  ["apikey", "add"], ["apikey", "drop"]])
def test_usage_errors_exit_2_with_one_line(args):
    p = run_cli(*args, check=False)
    assert p.returncode == 2, (args, p.returncode, p.stderr)
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1, p.stderr
    assert args[-1].split("=")[0] in lines[0] or args[0] in lines[0]


def test_no_command_is_a_usage_error():
    p = subprocess.run([BIN], capture_output=True, text=True)
    assert p.returncode == 2


def test_bad_dsn_names_what_failed():
    p = run_cli("init", "--db", "mysql://localhost/x", "--keys", "/tmp/x.keys", check=False)
    assert p.returncode != 0 and "DSN" in p.stderr
    p = run_cli("init", "--db", "sqlite:/no/such/dir/c.db", check=False)
    assert p.returncode == 1 and "/no/such/dir/c.db" in p.stderr
    p = run_cli("init", "--db", "postgresql://nobody@127.0.0.1:1/none", "--keys", "/tmp/x.keys",
                check=False)
    assert p.returncode == 1 and "PostgreSQL" in p.stderr
    assert "password" not in p.stderr.lower() or "no password" in p.stderr.lower()


def test_init_is_idempotent_and_key_file_private(tmp_path):
    db = Database(str(tmp_path))
    a = run_cli("init", "--db", db.dsn, "--keys", db.keys)
    st = os.stat(db.keys)
    assert stat.S_IMODE(st.st_mode) == 0o600
    key_bytes = open(db.keys, "rb").read()
    b = run_cli("init", "--db", db.dsn, "--keys", db.keys)
    assert "present" in b.stdout and "created" in a.stdout
    assert open(db.keys, "rb").read() == key_bytes


def test_default_key_file_beside_sqlite(tmp_path):
    if PG_DSN:
        pytest.skip("SQLite-only default")
    path = tmp_path / "c.db"
    run_cli("init", "--db", f"sqlite:{path}")
    assert (tmp_path / "c.db.keys").exists()
    assert stat.S_IMODE(os.stat(tmp_path / "c.db.keys").st_mode) == 0o600


def test_key_file_readable_by_others_is_refused(tmp_path):
    db = Database(str(tmp_path))
    run_cli("init", "--db", db.dsn, "--keys", db.keys)
    os.chmod(db.keys, 0o644)
    p = run_cli("serve", "--db", db.dsn, "--keys", db.keys, "--listen", "127.0.0.1:1",
                check=False)
    assert p.returncode == 1 and "chmod 600" in p.stderr


def demo_accounts(stdout):
    """The "  email role password" lines of consent demo's account list."""
    lines = stdout.splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("accounts ("))
    out = []
    for l in lines[start + 1:]:
        if not l.startswith("  "):
            break
        out.append(l)
    return out


def test_demo_needs_the_key_file(tmp_path):
    db = Database(str(tmp_path))
    run_cli("init", "--db", db.dsn, "--keys", db.keys)
    p = run_cli("demo", "--db", db.dsn, "--keys", db.keys + ".missing", check=False)
    assert p.returncode == 1 and "key" in p.stderr
    assert db.count("users") == 0


def test_demo_reports_cover_every_category_and_consent(tmp_path):
    db = Database(str(tmp_path))
    run_cli("init", "--db", db.dsn, "--keys", db.keys)
    p = run_cli("demo", "--db", db.dsn, "--keys", db.keys)
    assert "reports: 21" in p.stdout
    cats = {c for (c,) in db.query("SELECT DISTINCT c.code FROM reports r JOIN "
                                   "report_categories c ON c.id = r.category_id")}
    assert cats == {"hate_incident", "hate_crime", "anti_social_behaviour", "community_tension",
                    "police_conduct", "other"}
    pairs = set(db.query("SELECT consent, CASE WHEN via_org_id IS NULL THEN 'direct' ELSE "
                         "'via' END FROM reports"))
    for consent in ["statistics", "anonymous", "identified"]:
        assert (consent, "direct") in pairs and (consent, "via") in pairs, consent
    actions = {a for (a,) in db.query("SELECT entry FROM tlog_entries WHERE entry LIKE "
                                      "'%report:%'")}
    for action in ["report.read", "report.read.identity", "report.status", "report.message",
                   "report.override", "report.consent", "report.erase"]:
        assert any(f'"action":"{action}"' in a for a in actions), action
    assert int(db.query("SELECT COUNT(*) FROM reports WHERE erased_at IS NOT NULL")[0][0]) == 1


def test_demo_only_into_empty_database(tmp_path):
    db = Database(str(tmp_path))
    run_cli("init", "--db", db.dsn, "--keys", db.keys)
    p = run_cli("demo", "--db", db.dsn, "--keys", db.keys)
    roles = {l.split()[1] for l in demo_accounts(p.stdout)}
    assert roles == {"admin", "resident", "org_member", "org_admin", "officer", "supervisor",
                     "overseer"}
    p2 = run_cli("demo", "--db", db.dsn, "--keys", db.keys, check=False)
    assert p2.returncode == 1 and "not empty" in p2.stderr
    p3 = run_cli("demo", "--db", db.dsn, "--keys", db.keys, "--if-empty")
    assert p3.returncode == 0 and p3.stdout == ""


def test_demo_passwords_work(fresh_server):
    srv = fresh_server(demo=False, start=False)
    p = run_cli("demo", "--db", srv.db.dsn, "--keys", srv.db.keys)
    srv.start()
    accounts = [l.split() for l in demo_accounts(p.stdout)]
    for email, role, password in accounts[:3]:
        r = requests.post(srv.url + "/api/v1/login", json={"email": email, "password": password})
        assert r.status_code == 200, (email, role)


def test_user_and_org_add(fresh_server):
    srv = fresh_server(start=False)
    db = srv.db
    run_cli("org", "add", "--db", db.dsn, "--slug", "fc", "--name", "Faith Centre",
            "--kind", "community")
    p = run_cli("org", "add", "--db", db.dsn, "--slug", "fc", "--name", "Again",
                "--kind", "community", check=False)
    assert p.returncode == 1 and "slug" in p.stderr
    p = run_cli("org", "add", "--db", db.dsn, "--slug", "x", "--name", "X", "--kind", "army",
                check=False)
    assert p.returncode == 2 and "army" in p.stderr
    p = run_cli("org", "add", "--db", db.dsn, "--slug", "y", "--name", "Y", "--kind", "police",
                "--area", "atlantis", check=False)
    assert p.returncode == 1 and "area" in p.stderr
    run_cli("user", "add", "--db", db.dsn, "--email", "lead@fc.example", "--role", "org_admin",
            "--org", "fc", stdin=PASSWORD + "\n")
    p = run_cli("user", "add", "--db", db.dsn, "--email", "x@fc.example", "--role", "officer",
                "--org", "fc", stdin=PASSWORD + "\n", check=False)
    assert p.returncode == 1 and "role" in p.stderr
    p = run_cli("user", "add", "--db", db.dsn, "--email", "y@fc.example", "--role", "org_member",
                stdin=PASSWORD + "\n", check=False)
    assert p.returncode == 2 and "--org" in p.stderr
    p = run_cli("user", "add", "--db", db.dsn, "--email", "z@fc.example", "--role", "resident",
                stdin="short\n", check=False)
    assert p.returncode == 1 and "password" in p.stderr
    srv.start()
    s = srv.login("lead@fc.example")
    me = s.get(srv.url + "/api/v1/me").json()
    assert me["memberships"][0]["org"] == "fc" and me["memberships"][0]["role"] == "org_admin"
    # The failed officer account was not half-created.
    r = requests.post(srv.url + "/api/v1/login", json={"email": "x@fc.example", "password": PASSWORD})
    assert r.status_code == 401


def test_copy_keeps_the_log_root(tmp_path):
    """consent copy of a demo instance (to SQLite, from either backend):
    the same row counts, the same accountability log root, and the copy
    verifies with the source's key."""
    src = Database(str(tmp_path))
    run_cli("init", "--db", src.dsn, "--keys", src.keys)
    run_cli("demo", "--db", src.dsn, "--keys", src.keys)
    target = "sqlite:" + str(tmp_path / "copy.db")
    p = run_cli("copy", "--from", src.dsn, "--to", target)
    assert "MISMATCH" not in p.stdout
    roots = [l for l in p.stdout.splitlines() if l.startswith("accountability log:")]
    assert len(roots) == 1 and "on both sides" in roots[0]
    size = int(roots[0].split()[2])
    assert size > 200
    cp = json.loads(run_cli("log", "prove", "--db", target, "--index", "0").stdout)
    orig = json.loads(run_cli("log", "prove", "--db", src.dsn, "--index", "0").stdout)
    assert cp["root"] == orig["root"] and cp["size"] == orig["size"] == size
    v = run_cli("log", "verify", "--db", target, "--keys", src.keys, check=False)
    assert v.returncode == 0, v.stderr
    # A second copy into the same target is refused and changes nothing.
    p2 = run_cli("copy", "--from", src.dsn, "--to", target, check=False)
    assert p2.returncode == 1 and "not empty" in p2.stderr


def test_apikey_add_prints_the_key_once(tmp_path):
    db = Database(str(tmp_path))
    run_cli("init", "--db", db.dsn, "--keys", db.keys)
    p = run_cli("apikey", "add", "--db", db.dsn, "--name", "FixMyStreet")
    key = p.stdout.strip()
    assert len(key) == 43 and "shown only now" in p.stderr
    assert key not in str(db.query("SELECT * FROM open311_keys"))
    p = run_cli("apikey", "add", "--db", db.dsn, "--name", "FixMyStreet", check=False)
    assert p.returncode == 1 and "name" in p.stderr
