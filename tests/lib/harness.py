"""Shared fixtures for the API tests: a real consent server on a free port,
over a real database (a temporary SQLite file, or the PostgreSQL cluster whose
DSN is in CONSENT_TEST_DSN), reached with a real HTTP client."""
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
import uuid

import pytest
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("CONSENT_BIN", os.path.join(ROOT, "build", "consent"))
PG_DSN = os.environ.get("CONSENT_TEST_DSN", "")
PASSWORD = "correct horse battery staple"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(*args, stdin=None, env=None, check=True):
    e = dict(os.environ)
    e.pop("CONSENT_DB", None)
    if env:
        e.update(env)
    p = subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True,
                       env=e, timeout=120)
    if check and p.returncode != 0:
        raise AssertionError(f"consent {' '.join(args)} failed ({p.returncode}): {p.stderr}")
    return p


def pg_admin_sql(sql):
    """Runs sql on the PostgreSQL cluster of CONSENT_TEST_DSN (database postgres)."""
    u = urllib.parse.urlsplit(PG_DSN)
    q = urllib.parse.parse_qs(u.query)
    host = q.get("host", [u.hostname or ""])[0]
    user = q.get("user", [u.username or "postgres"])[0]
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", host, "-U", user,
                    "-d", "postgres", "-c", sql], check=True, capture_output=True, text=True)


class Database:
    """A fresh, empty database for one server: a SQLite file, or a new
    database on the PostgreSQL test cluster."""

    def __init__(self, tmpdir):
        self.keys = os.path.join(tmpdir, "consent.keys")
        if PG_DSN:
            name = "t" + uuid.uuid4().hex[:12]
            pg_admin_sql(f"CREATE DATABASE {name}")
            u = urllib.parse.urlsplit(PG_DSN)
            self.dsn = urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + name, u.query, ""))
            self.path = None
        else:
            self.path = os.path.join(tmpdir, "consent.db")
            self.dsn = "sqlite:" + self.path

    def cli(self, *args, **kw):
        return run_cli(*args, "--db", self.dsn, **kw)

    def query(self, sql):
        """Rows of a read-only SQL query, as tuples of strings (None for NULL),
        read straight from the database (SQLite file or PostgreSQL)."""
        if self.path:
            import sqlite3
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
            try:
                return [tuple(None if v is None else str(v) for v in row)
                        for row in con.execute(sql).fetchall()]
            finally:
                con.close()
        u = urllib.parse.urlsplit(self.dsn)
        q = urllib.parse.parse_qs(u.query)
        host = q.get("host", [u.hostname or ""])[0]
        user = q.get("user", [u.username or "postgres"])[0]
        p = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\x1f", "-v", "ON_ERROR_STOP=1",
                            "-h", host, "-U", user, "-d", u.path.lstrip("/"), "-c", sql],
                           check=True, capture_output=True, text=True)
        return [tuple(v for v in line.split("\x1f")) for line in p.stdout.splitlines() if line]

    def count(self, table):
        return int(self.query(f"SELECT COUNT(*) FROM {table}")[0][0])


class Server:
    """consent serve on a free port; .url is its base address."""

    def __init__(self, tmpdir, env=None, db=None, demo=False):
        self.tmpdir = tmpdir
        self.db = db or Database(tmpdir)
        self.env = env or {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(tmpdir, f"server-{self.port}.log")
        self.proc = None
        run_cli("init", "--db", self.db.dsn, "--keys", self.db.keys)
        if demo:
            run_cli("demo", "--db", self.db.dsn, "--keys", self.db.keys)

    def start(self):
        e = dict(os.environ)
        e.update({"CONSENT_KEYS": self.db.keys, "CONSENT_LOGIN_ADDR_LIMIT": "1000"})
        e.update(self.env)
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--db", self.db.dsn, "--listen", f"127.0.0.1:{self.port}",
             "--threads", "4"], stdout=self.log, stderr=self.log, env=e)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("server exited: " + self.read_log())
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.ConnectionError:
                time.sleep(0.05)
        raise AssertionError("server did not start: " + self.read_log())

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.log.close()
        return self.proc.returncode if self.proc else None

    def read_log(self):
        try:
            with open(self.log_path, "r", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def user(self, email, role="resident", org=None, password=PASSWORD, name=None):
        args = ["user", "add", "--db", self.db.dsn, "--email", email, "--role", role]
        if org:
            args += ["--org", org]
        if name:
            args += ["--name", name]
        run_cli(*args, stdin=password + "\n")
        return email

    def login(self, email, password=PASSWORD):
        """A requests.Session signed in by cookie, with .token for Bearer use."""
        s = requests.Session()
        r = s.post(self.url + "/api/v1/login", json={"email": email, "password": password})
        assert r.status_code == 200, r.text
        s.token = r.json()["token"]
        return s

    def bearer(self, email, password=PASSWORD):
        token = self.login(email, password).token
        s = requests.Session()
        s.headers["Authorization"] = "Bearer " + token
        return s


def error_of(resp):
    """The error object of an error response, checking its shape."""
    body = resp.json()
    assert set(body) == {"error"}, body
    err = body["error"]
    assert set(err) == {"code", "message", "field"}, err
    assert isinstance(err["code"], str) and err["code"]
    assert isinstance(err["message"], str) and err["message"]
    return err
