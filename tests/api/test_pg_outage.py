"""On PostgreSQL: while the database is down the server answers 503 with the
error body, and it recovers by itself when the database comes back. Runs on
a cluster of its own, so the other tests' database stays up."""
import os
import subprocess
import time

import pytest
import requests

from harness import PG_DSN, ROOT, Server, error_of

pytestmark = pytest.mark.skipif(not PG_DSN, reason="PostgreSQL only (CONSENT_TEST_DSN)")


def pg(*args, env):
    return subprocess.run([os.path.join(ROOT, "scripts", "pg"), *args], env=env,
                          capture_output=True, text=True, check=True, timeout=120).stdout.strip()


def test_503_while_down_then_recovers(tmp_path):
    env = dict(os.environ, CONSENT_PG_STATE=str(tmp_path / "pg.state"))
    dsn = pg("start", env=env)
    srv = None
    try:
        class Db:
            pass
        db = Db()
        db.dsn, db.keys, db.path = dsn, str(tmp_path / "k.keys"), None
        srv = Server(str(tmp_path), db=db)
        srv.start()
        assert requests.get(srv.url + "/api/v1/orgs").status_code == 200
        pg("down", env=env)
        statuses = set()
        for _ in range(8):
            r = requests.get(srv.url + "/healthz", timeout=30)
            statuses.add(r.status_code)
            assert r.status_code == 503, r.text
            assert error_of(r)["code"] == "unavailable"
        r = requests.get(srv.url + "/api/v1/orgs", timeout=30)
        assert r.status_code == 503
        assert srv.proc.poll() is None  # still running
        pg("up", env=env)
        ok = False
        for _ in range(50):
            if requests.get(srv.url + "/healthz", timeout=30).status_code == 200:
                ok = True
                break
            time.sleep(0.1)
        assert ok, "did not recover"
        # Every worker thread is back: a run of requests all succeed.
        for _ in range(20):
            assert requests.get(srv.url + "/api/v1/orgs", timeout=30).status_code == 200
    finally:
        if srv:
            srv.stop()
        pg("stop", env=env)
