"""Sign-in, sessions, cookies, bearer tokens and the account."""
import requests

from harness import PASSWORD, error_of


def test_login_sets_session_cookie_and_returns_token(server):
    r = requests.post(server.url + "/api/v1/login",
                      json={"email": "t-officer@test.example", "password": PASSWORD})
    assert r.status_code == 200
    body = r.json()
    assert len(body["token"]) == 43
    assert body["user"]["email"] == "t-officer@test.example"
    assert body["user"]["memberships"] == [{
        "org": "leicestershire-police", "org_name": "Leicestershire Police",
        "kind": "police", "role": "officer"}]
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("consent_session=" + body["token"])
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "password" not in r.text


def test_email_is_case_insensitive(server):
    r = requests.post(server.url + "/api/v1/login",
                      json={"email": "T-Resident@Test.Example", "password": PASSWORD})
    assert r.status_code == 200


def test_wrong_password_and_unknown_account_look_the_same(server):
    a = requests.post(server.url + "/api/v1/login",
                      json={"email": "t-resident@test.example", "password": "wrong password!"})
    b = requests.post(server.url + "/api/v1/login",
                      json={"email": "nobody@test.example", "password": "wrong password!"})
    assert a.status_code == b.status_code == 401
    assert error_of(a) == error_of(b)
    assert "Set-Cookie" not in a.headers


def test_cookie_session_reads_me(server):
    s = server.login("t-member@test.example")
    r = s.get(server.url + "/api/v1/me")
    assert r.status_code == 200
    me = r.json()
    assert me["email"] == "t-member@test.example"
    assert me["admin"] is False
    assert me["memberships"][0]["role"] == "org_member"


def test_bearer_token_reads_me(server):
    s = server.bearer("t-supervisor@test.example")
    r = s.get(server.url + "/api/v1/me")
    assert r.status_code == 200
    assert r.json()["memberships"][0]["role"] == "supervisor"


def test_me_without_session_is_401(server):
    r = requests.get(server.url + "/api/v1/me")
    assert r.status_code == 401
    assert error_of(r)["code"] == "unauthorized"
    r = requests.get(server.url + "/api/v1/me", headers={"Authorization": "Bearer " + "x" * 43})
    assert r.status_code == 401
    r = requests.get(server.url + "/api/v1/me", cookies={"consent_session": "garbage"})
    assert r.status_code == 401


def test_logout_ends_the_session(server):
    s = server.login("t-resident@test.example")
    token = s.token
    r = s.post(server.url + "/api/v1/logout", json={})
    assert r.status_code == 200
    assert "consent_session=;" in r.headers["Set-Cookie"]
    assert "Max-Age=0" in r.headers["Set-Cookie"]
    r = requests.get(server.url + "/api/v1/me", headers={"Authorization": "Bearer " + token})
    assert r.status_code == 401


def test_logout_with_bearer(server):
    s = server.bearer("t-resident@test.example")
    assert s.post(server.url + "/api/v1/logout").status_code == 200
    assert s.get(server.url + "/api/v1/me").status_code == 401


def test_sessions_are_independent(server):
    a = server.login("t-resident@test.example")
    b = server.login("t-resident@test.example")
    a.post(server.url + "/api/v1/logout", json={})
    assert b.get(server.url + "/api/v1/me").status_code == 200


def test_update_me_language_and_name(server):
    s = server.login("t-overseer@test.example")
    r = s.patch(server.url + "/api/v1/me", json={"lang": "nl", "name": "Sam O."})
    assert r.status_code == 200, r.text
    assert r.json()["lang"] == "nl" and r.json()["name"] == "Sam O."
    r = s.patch(server.url + "/api/v1/me", json={"lang": "de"})
    assert r.status_code == 422
    assert error_of(r)["field"] == "lang"
    assert s.get(server.url + "/api/v1/me").json()["lang"] == "nl"
    r = s.patch(server.url + "/api/v1/me", json={"lang": None})
    assert r.status_code == 200 and r.json()["lang"] is None


def test_change_password(fresh_server):
    srv = fresh_server()
    srv.user("pw@test.example")
    s = srv.login("pw@test.example")
    other = srv.login("pw@test.example")
    r = s.patch(srv.url + "/api/v1/me", json={"password": "a new long password"})
    assert r.status_code == 422 and error_of(r)["field"] == "current_password"
    r = s.patch(srv.url + "/api/v1/me",
                json={"password": "short", "current_password": PASSWORD})
    assert r.status_code == 422 and error_of(r)["field"] == "password"
    r = s.patch(srv.url + "/api/v1/me",
                json={"password": "a new long password", "current_password": PASSWORD})
    assert r.status_code == 200
    assert requests.post(srv.url + "/api/v1/login", json={
        "email": "pw@test.example", "password": PASSWORD}).status_code == 401
    srv.login("pw@test.example", "a new long password")
    assert other.get(srv.url + "/api/v1/me").status_code == 200


def test_login_rate_limit_per_account(fresh_server):
    srv = fresh_server(env={"CONSENT_LOGIN_ACCOUNT_LIMIT": "3", "CONSENT_LOGIN_WINDOW": "60"})
    srv.user("victim@test.example")
    for _ in range(3):
        r = requests.post(srv.url + "/api/v1/login",
                          json={"email": "victim@test.example", "password": "guess guess 1"})
        assert r.status_code == 401
    r = requests.post(srv.url + "/api/v1/login",
                      json={"email": "victim@test.example", "password": PASSWORD})
    assert r.status_code == 429
    assert error_of(r)["code"] == "too_many_requests"
    assert 0 < int(r.headers["Retry-After"]) <= 60
    # Another account from the same address is not blocked by it.
    srv.user("other@test.example")
    srv.login("other@test.example")


def test_login_rate_limit_per_address(fresh_server):
    srv = fresh_server(env={"CONSENT_LOGIN_ADDR_LIMIT": "4", "CONSENT_LOGIN_WINDOW": "60"})
    srv.user("ok@test.example")
    for i in range(4):
        r = requests.post(srv.url + "/api/v1/login",
                          json={"email": f"u{i}@test.example", "password": "guess guess 1"})
        assert r.status_code == 401
    r = requests.post(srv.url + "/api/v1/login",
                      json={"email": "ok@test.example", "password": PASSWORD})
    assert r.status_code == 429
