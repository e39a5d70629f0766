"""Every error status of the API, with the error body naming the field, and
bad input that changes nothing."""
import socket

import requests

from harness import error_of


def test_400_malformed_json(server):
    s = server.bearer("t-admin@test.example")
    r = s.post(server.url + "/api/v1/orgs", data="{not json",
               headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    e = error_of(r)
    assert e["code"] == "malformed_json" and e["field"] == "body"
    r = s.post(server.url + "/api/v1/orgs", data="[1, 2]",
               headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    r = s.post(server.url + "/api/v1/orgs", data='{"a": 1, "a": 2}',
               headers={"Content-Type": "application/json"})
    assert r.status_code == 400


def test_401_and_403(server):
    r = requests.post(server.url + "/api/v1/orgs", json={"slug": "x", "name": "X", "kind": "police"})
    assert r.status_code == 401
    s = server.bearer("t-officer@test.example")
    r = s.post(server.url + "/api/v1/orgs", json={"slug": "x", "name": "X", "kind": "police"})
    assert r.status_code == 403
    assert error_of(r)["code"] == "forbidden"


def test_404(server):
    r = requests.get(server.url + "/api/v1/orgs/no-such-org")
    assert r.status_code == 404
    assert error_of(r)["field"] == "slug"
    r = requests.get(server.url + "/api/v1/nothing-here")
    assert r.status_code == 404
    assert error_of(r)["code"] == "not_found"


def test_405_with_allow(server):
    r = requests.put(server.url + "/api/v1/orgs")
    assert r.status_code == 405
    assert set(r.headers["Allow"].split(", ")) == {"GET", "POST"}
    assert error_of(r)["code"] == "method_not_allowed"
    r = requests.delete(server.url + "/healthz")
    assert r.status_code == 405


def test_409_duplicate(server):
    s = server.bearer("t-admin@test.example")
    body = {"slug": "dup-org", "name": "Dup", "kind": "community"}
    assert s.post(server.url + "/api/v1/orgs", json=body).status_code == 201
    r = s.post(server.url + "/api/v1/orgs", json=body)
    assert r.status_code == 409
    assert error_of(r)["field"] == "slug"


def test_413_body_too_large(server):
    s = server.bearer("t-admin@test.example")
    big = '{"name": "' + "x" * (1024 * 1024 + 10) + '"}'
    r = s.post(server.url + "/api/v1/orgs", data=big,
               headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    e = error_of(r)
    assert e["code"] == "too_large" and e["field"] == "body"
    # The server is still fine.
    assert requests.get(server.url + "/healthz").status_code == 200


def test_413_chunked_body_too_large(server):
    s = server.bearer("t-admin@test.example")

    def gen():
        for _ in range(1100):
            yield b"x" * 1024

    r = s.post(server.url + "/api/v1/orgs", data=gen(),
               headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_415_wrong_content_type(server):
    s = server.bearer("t-admin@test.example")
    r = s.post(server.url + "/api/v1/orgs", data="slug=x",
               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 415
    assert error_of(r)["field"] == "Content-Type"
    r = s.post(server.url + "/api/v1/orgs", data='{"slug": "x"}',
               headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def test_422_names_the_field(server):
    s = server.bearer("t-admin@test.example")
    cases = [
        ({"slug": "Bad Slug", "name": "X", "kind": "police"}, "slug"),
        ({"slug": "ok-slug", "name": "", "kind": "police"}, "name"),
        ({"slug": "ok-slug", "name": "X", "kind": "army"}, "kind"),
        ({"slug": "ok-slug", "name": "X"}, "kind"),
        ({"slug": "ok-slug", "name": 5, "kind": "police"}, "name"),
        ({"slug": "ok-slug", "name": "X", "kind": "police", "areas": ["nowhere"]}, "areas"),
        ({"slug": "ok-slug", "name": "X", "kind": "police", "areas": "leicester"}, "areas"),
        ({"slug": "ok-slug", "name": "X", "kind": "police", "colour": "red"}, "colour"),
        ({"slug": "ok-slug", "name": "X" * 300, "kind": "police"}, "name"),
    ]
    for body, field in cases:
        r = s.post(server.url + "/api/v1/orgs", json=body)
        assert r.status_code == 422, (body, r.text)
        e = error_of(r)
        assert e["field"] == field, (body, e)
        assert e["code"] == "invalid"
    # None of them created anything.
    assert s.get(server.url + "/api/v1/orgs/ok-slug").status_code == 404


def test_login_body_errors(server):
    r = requests.post(server.url + "/api/v1/login", json={"email": "a@b.c"})
    assert r.status_code == 422 and error_of(r)["field"] == "password"
    r = requests.post(server.url + "/api/v1/login", json={"email": ["x"], "password": "y"})
    assert r.status_code == 422 and error_of(r)["field"] == "email"
    # A NUL inside a JSON string is refused as malformed.
    r = requests.post(server.url + "/api/v1/login", json={"email": "a\u0000b@c.d", "password": "y" * 12})
    assert r.status_code == 400 and error_of(r)["field"] == "body"


def test_oversized_headers_do_not_crash(server):
    r = requests.get(server.url + "/healthz", headers={"X-Big": "y" * 100000})
    assert r.status_code in (413, 431, 400)
    assert requests.get(server.url + "/healthz").status_code == 200


def test_garbage_request_line_does_not_crash(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        s.sendall(b"\x00\x01\x02 GARBAGE\r\n\r\n")
        try:
            s.recv(1000)
        except OSError:
            pass
    assert requests.get(server.url + "/healthz").status_code == 200


def test_html_pages_answer_errors_as_html(server):
    r = requests.get(server.url + "/orgs/no-such-org")
    assert r.status_code == 404
    assert r.headers["Content-Type"].startswith("text/html")
    assert "<main" in r.text


def test_idle_connections_are_closed(fresh_server):
    """A client that sends half a request and stalls is cut off after the
    connection timeout (CONSENT_CONN_TIMEOUT seconds)."""
    import time
    srv = fresh_server(env={"CONSENT_CONN_TIMEOUT": "1"})
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as s:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        start = time.time()
        data = s.recv(1000)
        assert data == b""  # closed without an answer
        assert time.time() - start < 8
    assert requests.get(srv.url + "/healthz").status_code == 200
