"""Security headers on every response, and CSRF protection of form posts."""
import re

import requests

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def check_headers(r):
    for k, v in HEADERS.items():
        assert r.headers.get(k) == v, (r.url, k, r.headers.get(k))
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_security_headers_everywhere(server):
    s = server.bearer("t-admin@test.example")
    responses = [
        requests.get(server.url + "/"),
        requests.get(server.url + "/healthz"),
        requests.get(server.url + "/metrics"),
        requests.get(server.url + "/static/consent.css"),
        requests.get(server.url + "/orgs"),
        requests.get(server.url + "/login"),
        requests.get(server.url + "/no/such/page"),
        requests.get(server.url + "/api/v1/me"),
        requests.put(server.url + "/api/v1/orgs"),
        s.get(server.url + "/api/v1/users"),
        requests.post(server.url + "/login", data={"email": "x"}),
    ]
    for r in responses:
        check_headers(r)


def test_personal_responses_are_not_cached(server):
    s = server.bearer("t-admin@test.example")
    assert s.get(server.url + "/api/v1/me").headers["Cache-Control"] == "no-store"


def csrf_of(html):
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no csrf field in the page"
    return m.group(1)


def test_form_post_without_token_is_rejected(server):
    s = requests.Session()
    s.get(server.url + "/login")
    r = s.post(server.url + "/login", data={"email": "t-resident@test.example",
                                              "password": "correct horse battery staple"},
               allow_redirects=False)
    assert r.status_code == 403
    assert "consent_session" not in r.headers.get("Set-Cookie", "")


def test_form_post_with_token_from_another_browser_is_rejected(server):
    a = requests.Session()
    token_a = csrf_of(a.get(server.url + "/login").text)
    b = requests.Session()
    b.get(server.url + "/login")
    r = b.post(server.url + "/login", data={"csrf": token_a, "email": "t-resident@test.example",
                                              "password": "correct horse battery staple"},
               allow_redirects=False)
    assert r.status_code == 403


def test_form_post_with_token_signs_in(server):
    s = requests.Session()
    token = csrf_of(s.get(server.url + "/login").text)
    r = s.post(server.url + "/login", data={"csrf": token, "email": "t-resident@test.example",
                                              "password": "correct horse battery staple",
                                              "next": "/account"},
               allow_redirects=False)
    assert r.status_code == 303
    assert r.headers["Location"] == "/account"
    assert "consent_session=" in r.headers["Set-Cookie"]
    page = s.get(server.url + "/account")
    assert page.status_code == 200 and "t-resident@test.example" in page.text


def test_login_next_must_be_local(server):
    s = requests.Session()
    token = csrf_of(s.get(server.url + "/login").text)
    r = s.post(server.url + "/login", data={"csrf": token, "email": "t-resident@test.example",
                                              "password": "correct horse battery staple",
                                              "next": "//evil.example/"},
               allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"] == "/account"


def test_cookie_authenticated_api_write_needs_json(server):
    """A cross-site form can post text/plain with the user's cookie; the API
    refuses anything but JSON from a cookie session."""
    s = server.login("t-admin@test.example")
    r = s.post(server.url + "/api/v1/logout", data="x", headers={"Content-Type": "text/plain"})
    assert r.status_code == 403
    assert s.get(server.url + "/api/v1/me").status_code == 200


def test_logout_form(server):
    s = requests.Session()
    token = csrf_of(s.get(server.url + "/login").text)
    s.post(server.url + "/login", data={"csrf": token, "email": "t-resident@test.example",
                                          "password": "correct horse battery staple"})
    page = s.get(server.url + "/account").text
    r = s.post(server.url + "/logout", data={"csrf": csrf_of(page)}, allow_redirects=False)
    assert r.status_code == 303
    assert s.get(server.url + "/account", allow_redirects=False).status_code == 303
