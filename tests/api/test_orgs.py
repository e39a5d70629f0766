"""Organisations, areas, memberships and accounts: CRUD and who may do it."""
import requests

from harness import error_of


def test_public_lists(server):
    r = requests.get(server.url + "/api/v1/orgs")
    assert r.status_code == 200
    slugs = {o["slug"] for o in r.json()["orgs"]}
    assert {"leicestershire-police", "politie-antwerpen", "st-philips-centre",
            "leicestershire-opcc"} <= slugs
    r = requests.get(server.url + "/api/v1/orgs?kind=oversight")
    assert {o["kind"] for o in r.json()["orgs"]} == {"oversight"}
    assert requests.get(server.url + "/api/v1/orgs?kind=army").status_code == 400
    areas = requests.get(server.url + "/api/v1/areas").json()["areas"]
    by = {a["slug"]: a for a in areas}
    assert by["leicestershire"]["depth"] == 0 and by["leicestershire"]["parent"] is None
    assert by["leicester"]["parent"] == "leicestershire" and by["leicester"]["depth"] == 1
    assert by["highfields"]["parent"] == "leicester" and by["highfields"]["depth"] == 2


def test_area_detail(server):
    a = requests.get(server.url + "/api/v1/areas/leicester").json()
    assert a["kind"] == "district"
    assert a["parent"] == {"slug": "leicestershire", "name": "Leicestershire"}
    assert "highfields" in {c["slug"] for c in a["children"]}
    assert "st-philips-centre" in {o["slug"] for o in a["orgs"]}


def test_area_hierarchy_rules(server):
    s = server.bearer("t-admin@test.example")
    u = server.url + "/api/v1/areas"
    r = s.post(u, json={"slug": "x-hood", "name": "X", "kind": "neighbourhood", "parent": "leicestershire"})
    assert r.status_code == 422 and error_of(r)["field"] == "parent"
    r = s.post(u, json={"slug": "x-force", "name": "X", "kind": "force_area", "parent": "leicester"})
    assert r.status_code == 422 and error_of(r)["field"] == "parent"
    r = s.post(u, json={"slug": "x-dist", "name": "X", "kind": "district"})
    assert r.status_code == 422 and error_of(r)["field"] == "parent"
    r = s.post(u, json={"slug": "x-dist", "name": "X", "kind": "county", "parent": "leicestershire"})
    assert r.status_code == 422 and error_of(r)["field"] == "kind"
    r = s.post(u, json={"slug": "evington", "name": "Evington", "kind": "neighbourhood", "parent": "leicester"})
    assert r.status_code == 201, r.text
    assert r.json()["parent"]["slug"] == "leicester"
    r = s.patch(u + "/evington", json={"name": "Evington and Goodwood"})
    assert r.status_code == 200 and r.json()["name"] == "Evington and Goodwood"
    # In use: cannot delete a parent.
    r = s.delete(u + "/leicester")
    assert r.status_code == 409
    assert s.delete(u + "/evington").status_code == 200
    assert requests.get(u + "/evington").status_code == 404


def test_only_admins_manage_areas(server):
    for email in ["t-officer@test.example", "t-orgadmin@test.example", "t-overseer@test.example"]:
        s = server.bearer(email)
        r = s.post(server.url + "/api/v1/areas",
                   json={"slug": "nope", "name": "N", "kind": "force_area"})
        assert r.status_code == 403, email
        assert s.delete(server.url + "/api/v1/areas/kiel").status_code == 403


def test_org_crud_by_admin(server):
    s = server.bearer("t-admin@test.example")
    r = s.post(server.url + "/api/v1/orgs", json={
        "slug": "belgrave-mandir", "name": "Belgrave Mandir", "kind": "community",
        "description": "A Hindu temple", "areas": ["belgrave"]})
    assert r.status_code == 201, r.text
    assert r.headers["Location"] == "/api/v1/orgs/belgrave-mandir"
    o = r.json()
    assert o["areas"] == [{"slug": "belgrave", "name": "Belgrave", "kind": "neighbourhood"}]
    r = s.patch(server.url + "/api/v1/orgs/belgrave-mandir", json={"areas": ["belgrave", "highfields"]})
    assert r.status_code == 200
    assert {a["slug"] for a in r.json()["areas"]} == {"belgrave", "highfields"}
    r = s.patch(server.url + "/api/v1/orgs/belgrave-mandir", json={"areas": ["nowhere"]})
    assert r.status_code == 422
    # The failed update changed nothing.
    o = requests.get(server.url + "/api/v1/orgs/belgrave-mandir").json()
    assert {a["slug"] for a in o["areas"]} == {"belgrave", "highfields"}
    assert s.delete(server.url + "/api/v1/orgs/belgrave-mandir").status_code == 200
    assert requests.get(server.url + "/api/v1/orgs/belgrave-mandir").status_code == 404


def test_org_admin_updates_own_org_only(server):
    s = server.bearer("t-orgadmin@test.example")
    r = s.patch(server.url + "/api/v1/orgs/st-philips-centre", json={"description": "Interfaith centre, Leicester"})
    assert r.status_code == 200
    assert r.json()["description"] == "Interfaith centre, Leicester"
    r = s.patch(server.url + "/api/v1/orgs/highfields-faith-centre", json={"description": "hijack"})
    assert r.status_code == 403
    assert s.delete(server.url + "/api/v1/orgs/st-philips-centre").status_code == 403


def test_memberships(server):
    admin = server.bearer("t-orgadmin@test.example")
    server.user("volunteer@test.example", name="Volunteer")
    u = server.url + "/api/v1/orgs/st-philips-centre/members"
    r = admin.post(u, json={"email": "volunteer@test.example", "role": "officer"})
    assert r.status_code == 422 and error_of(r)["field"] == "role"
    r = admin.post(u, json={"email": "ghost@test.example", "role": "org_member"})
    assert r.status_code == 422 and error_of(r)["field"] == "email"
    r = admin.post(u, json={"email": "volunteer@test.example", "role": "org_member"})
    assert r.status_code == 201, r.text
    members = {m["email"]: m for m in r.json()["members"]}
    assert members["volunteer@test.example"]["role"] == "org_member"
    uid = members["volunteer@test.example"]["user_id"]
    r = admin.post(u, json={"email": "volunteer@test.example", "role": "org_member"})
    assert r.status_code == 409
    r = admin.patch(f"{u}/{uid}", json={"role": "org_admin"})
    assert r.status_code == 200
    me = server.bearer("volunteer@test.example").get(server.url + "/api/v1/me").json()
    assert me["memberships"] == [{"org": "st-philips-centre", "org_name": me["memberships"][0]["org_name"],
                                  "kind": "community", "role": "org_admin"}]
    # Another organisation's admin cannot see or change these members.
    other = server.bearer("t-member@test.example")
    assert other.get(u).status_code == 403
    assert other.delete(f"{u}/{uid}").status_code == 403
    assert admin.delete(f"{u}/{uid}").status_code == 200
    assert admin.delete(f"{u}/{uid}").status_code == 404
    assert admin.patch(f"{u}/abc", json={"role": "org_admin"}).status_code == 404


def test_supervisor_manages_police_members(server):
    s = server.bearer("t-supervisor@test.example")
    server.user("newpc@test.example")
    u = server.url + "/api/v1/orgs/leicestershire-police/members"
    r = s.post(u, json={"email": "newpc@test.example", "role": "officer"})
    assert r.status_code == 201
    assert s.post(server.url + "/api/v1/orgs/politie-antwerpen/members",
                  json={"email": "newpc@test.example", "role": "officer"}).status_code == 403
    officer = server.bearer("t-officer@test.example")
    assert officer.get(u).status_code == 200
    assert officer.post(u, json={"email": "newpc@test.example", "role": "supervisor"}).status_code == 403


def test_users_admin_only(server):
    admin = server.bearer("t-admin@test.example")
    r = admin.get(server.url + "/api/v1/users")
    assert r.status_code == 200
    assert "t-officer@test.example" in {u["email"] for u in r.json()["users"]}
    assert "password_hash" not in r.text
    r = admin.post(server.url + "/api/v1/users", json={"email": "made@test.example", "password": "long enough pw"})
    assert r.status_code == 201 and r.json()["admin"] is False
    r = admin.post(server.url + "/api/v1/users", json={"email": "made@test.example", "password": "long enough pw"})
    assert r.status_code == 409 and error_of(r)["field"] == "email"
    r = admin.post(server.url + "/api/v1/users", json={"email": "not-an-email", "password": "long enough pw"})
    assert r.status_code == 422 and error_of(r)["field"] == "email"
    r = admin.post(server.url + "/api/v1/users", json={"email": "x@test.example", "password": "long enough pw", "admin": "yes"})
    assert r.status_code == 422 and error_of(r)["field"] == "admin"
    for email in ["t-orgadmin@test.example", "t-supervisor@test.example", "t-resident@test.example"]:
        s = server.bearer(email)
        assert s.get(server.url + "/api/v1/users").status_code == 403
        assert s.post(server.url + "/api/v1/users", json={"email": "y@test.example", "password": "long enough pw"}).status_code == 403
