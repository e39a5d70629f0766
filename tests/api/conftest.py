"""Fixtures of the API tests; the harness itself is tests/lib/harness.py."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server  # noqa: E402


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """One server for the session, with the demo organisations and a known
    account per role (password PASSWORD)."""
    tmp = str(tmp_path_factory.mktemp("server"))
    srv = Server(tmp, demo=True)
    srv.user("t-admin@test.example", "admin")
    srv.user("t-resident@test.example", "resident")
    srv.user("t-member@test.example", "org_member", "highfields-faith-centre")
    srv.user("t-orgadmin@test.example", "org_admin", "st-philips-centre")
    srv.user("t-officer@test.example", "officer", "leicestershire-police")
    srv.user("t-supervisor@test.example", "supervisor", "leicestershire-police")
    srv.user("t-overseer@test.example", "overseer", "leicestershire-opcc")
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def fresh_server(tmp_path):
    """A server of its own (for tests that change limits or stop it)."""
    servers = []

    def make(env=None, demo=False, start=True):
        srv = Server(str(tmp_path), env=env, demo=demo)
        servers.append(srv)
        return srv.start() if start else srv

    yield make
    for s in servers:
        s.stop()


