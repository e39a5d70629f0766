"""The page form to make a recommendation: sign-in and the policy table
decide who sees it; a "make a recommendation from this" link carries its
source; sources typed by hand; bad input shows the form again (422) and
creates nothing."""
import html
import re
import urllib.parse

import requests

from test_commitments import create as create_commitment
from test_engage_pages import browser_session, csrf_of, main
from test_meetings import new_meeting

NEW = "/recommendations/new"
API = "/api/v1/recommendations"


def count(server):
    return len(requests.get(server.url + API).json()["recommendations"])


def form_of(s, server, query=""):
    r = s.get(server.url + NEW + query)
    assert r.status_code == 200, r.text[:500]
    return r


def test_member_creates_with_carried_and_typed_sources(server):
    c = create_commitment(server, title="Recruitment open days in Highfields")
    s = browser_session(server, "t-member@test.example")
    r = form_of(s, server, f"?source=commitment:{c['id']}")
    page = main(r.text)
    # The carried source is shown, linked, and kept in a hidden field.
    assert f'<a href="/commitments/{c["id"]}" rel="nofollow noopener">Recruitment open days in Highfields</a>' in page
    assert f'name="source" value="commitment:{c["id"]}"' in page
    # Only the organisation the member acts for is offered as the author.
    froms = re.search(r'<select id="from_org".*?</select>', page, re.S).group(0)
    assert re.findall(r'value="([^"]*)"', froms) == ["highfields-faith-centre"]
    tos = re.search(r'<select id="to_org".*?</select>', page, re.S).group(0)
    assert 'value="leicestershire-police"' in tos and 'value="st-philips-centre"' in tos
    before = count(server)
    form = {"csrf": csrf_of(r.text), "title": "Recruit from the communities you police",
            "body": "Hold open days in Highfields and publish the workforce figures each year.",
            "from_org": "highfields-faith-centre", "to_org": "leicestershire-police",
            "area": "highfields", "source": f"commitment:{c['id']}",
            "extra_kind_1": "figure", "extra_title_1": "Workforce by ethnicity",
            "extra_url_1": "https://example.org/workforce", "extra_kind_2": "link",
            "extra_title_2": "", "extra_url_2": ""}
    r = s.post(server.url + NEW, data=form, allow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    m = re.fullmatch(r"/recommendations/(\d+)(\?saved=1)?", r.headers["Location"])
    assert m, r.headers["Location"]
    rec = requests.get(server.url + f"{API}/{m.group(1)}").json()
    assert rec["title"] == "Recruit from the communities you police"
    assert rec["from"]["slug"] == "highfields-faith-centre" and rec["to"]["slug"] == "leicestershire-police"
    assert rec["area"]["slug"] == "highfields" and rec["status"] == "open"
    assert [(x["kind"], x["id"], x["title"], x["url"]) for x in rec["sources"]] == [
        ("commitment", c["id"], "Recruitment open days in Highfields", f"/commitments/{c['id']}"),
        ("figure", None, "Workforce by ethnicity", "https://example.org/workforce")]
    assert count(server) == before + 1
    r = s.get(server.url + r.headers["Location"])
    assert r.status_code == 200 and "Recruit from the communities you police" in r.text


def test_carried_consultation_meeting_and_link(server):
    mt = new_meeting(server, title="Open forum on stop and search")
    s = browser_session(server, "t-orgadmin@test.example")
    q = "?" + urllib.parse.urlencode({"source": f"meeting:{mt['id']}", "source_kind": "figure",
                                      "source_title": "Stop and search by ethnicity",
                                      "source_url": "/trust/leicester"})
    r = form_of(s, server, q)
    assert "Open forum on stop and search" in main(r.text)
    assert 'name="source_url" value="/trust/leicester"' in r.text
    form = {"csrf": csrf_of(r.text), "title": "Explain every search", "body": "Give a written record.",
            "from_org": "st-philips-centre", "to_org": "leicestershire-police",
            "source": f"meeting:{mt['id']}", "source_kind": "figure",
            "source_title": "Stop and search by ethnicity", "source_url": "/trust/leicester"}
    r = s.post(server.url + NEW, data=form)
    assert r.status_code == 200 and re.search(r"/recommendations/\d+", r.url), r.text[:500]
    rec_id = re.search(r"/recommendations/(\d+)", r.url).group(1)
    rec = requests.get(server.url + f"{API}/{rec_id}").json()
    assert [(x["kind"], x["url"]) for x in rec["sources"]] == [
        ("meeting", f"/meetings/{mt['id']}"), ("figure", "/trust/leicester")]
    # consultation:ID becomes a title and a path.
    r = form_of(s, server, "?source=consultation:12")
    form = dict(form, csrf=csrf_of(r.text), source="consultation:12", source_kind="",
                source_title="", source_url="")
    r = s.post(server.url + NEW, data=form)
    assert r.status_code == 200, r.text[:500]
    rec_id = re.search(r"/recommendations/(\d+)", r.url).group(1)
    rec = requests.get(server.url + f"{API}/{rec_id}").json()
    assert [(x["kind"], x["title"], x["url"]) for x in rec["sources"]] == [
        ("consultation", "Consultation 12", "/consultations/12")]


def test_bad_input_shows_the_form_again(server):
    s = browser_session(server, "t-member@test.example")
    r = form_of(s, server)
    base = {"csrf": csrf_of(r.text), "title": "Interpreters at the front desk",
            "body": "Offer interpreters for Gujarati and Somali.", "from_org": "highfields-faith-centre",
            "to_org": "leicestershire-police", "area": ""}
    before = count(server)
    for over, field in [({"title": ""}, "title"), ({"body": ""}, "body"),
                        ({"to_org": "nobody"}, "to_org"), ({"to_org": ""}, "to_org"),
                        ({"from_org": "nobody"}, "from_org"),
                        ({"from_org": "st-philips-centre"}, "from_org"),  # not the member's
                        ({"from_org": ""}, "from_org"),
                        ({"area": "atlantis"}, "area"),
                        ({"extra_title_1": "x", "extra_url_1": "javascript:alert(1)"}, "sources"),
                        ({"extra_title_1": "x", "extra_url_1": "//evil.example/x"}, "sources"),
                        ({"extra_title_1": "", "extra_url_1": "https://example.org/"}, "sources"),
                        ({"source": "meeting:999999"}, "sources"),
                        ({"source": "rumour:3"}, "source"),
                        ({"source_kind": "gossip", "source_title": "t", "source_url": "/x"}, "source_kind")]:
        r = s.post(server.url + NEW, data=dict(base, **over), allow_redirects=False)
        assert r.status_code == 422, (over, r.status_code, r.text[:300])
        err = re.search(r'<p class="error" role="alert">(.*?)</p>', r.text).group(1)
        assert html.unescape(err).startswith(field + ": "), (over, err)
        # What was typed is kept.
        if over.get("title", "x"):
            assert 'value="Interpreters at the front desk"' in r.text, over
        assert "Offer interpreters" in r.text or over.get("body") == ""
        for k in ("extra_url_1", "source"):
            if over.get(k):
                assert html.escape(over[k]) in r.text, (over, k)
    assert count(server) == before
    # A bad link is never made a link.
    r = s.get(server.url + NEW + "?source_title=x&source_url=javascript:alert(1)")
    assert r.status_code == 200 and 'href="javascript' not in r.text
    # A malformed carried source is named before anything is typed.
    r = s.get(server.url + NEW + "?source=meeting:abc")
    assert r.status_code == 422 and "source: " in r.text
    # Without the CSRF token nothing happens.
    r = s.post(server.url + NEW, data=dict(base, csrf="forged"), allow_redirects=False)
    assert r.status_code == 403 and count(server) == before


def test_anonymous_is_sent_to_sign_in(server):
    r = requests.get(server.url + NEW + "?source=meeting:3", allow_redirects=False)
    assert r.status_code == 303
    loc = r.headers["Location"]
    assert loc.startswith("/login?next=")
    nxt = urllib.parse.parse_qs(urllib.parse.urlsplit(loc).query)["next"][0]
    assert nxt == "/recommendations/new?source=meeting%3A3"
    # After signing in, the form comes back with the source.
    s = requests.Session()
    r = s.get(server.url + loc)
    r = s.post(server.url + "/login", data={"csrf": csrf_of(r.text), "email": "t-member@test.example",
                                            "password": "correct horse battery staple", "next": nxt})
    assert r.status_code == 200 and 'name="source" value="meeting:3"' in r.text
    assert 'action="/recommendations/new"' not in requests.get(server.url + "/recommendations").text
    assert "/recommendations/new" not in requests.get(server.url + "/recommendations").text


def test_who_may_make_one(server):
    """recommendation.create: org_member, org_admin and overseer in their own
    organisation, admin anywhere; not residents, officers or supervisors."""
    for email in ["t-officer@test.example", "t-supervisor@test.example", "t-resident@test.example"]:
        s = browser_session(server, email)
        r = s.get(server.url + NEW)
        assert r.status_code == 403, email
        assert "community organisations and oversight bodies" in r.text
        assert 'href="/recommendations/new"' not in s.get(server.url + "/recommendations").text
        r = s.post(server.url + NEW, data={"csrf": csrf_of(s.get(server.url + "/account").text),
                                           "title": "T", "body": "B", "to_org": "comite-p"})
        assert r.status_code == 403, email
    r = browser_session(server, "t-officer@test.example").get(server.url + NEW + "?lang=fr")
    assert r.status_code == 403 and "organes de contrôle" in r.text
    s = browser_session(server, "t-overseer@test.example")
    page = main(form_of(s, server).text)
    froms = re.search(r'<select id="from_org".*?</select>', page, re.S).group(0)
    assert re.findall(r'value="([^"]*)"', froms) == ["leicestershire-opcc"]
    s = browser_session(server, "t-admin@test.example")
    froms = re.search(r'<select id="from_org".*?</select>', form_of(s, server).text, re.S).group(0)
    values = re.findall(r'value="([^"]*)"', froms)
    assert values[0] == "" and "leicestershire-police" in values and "st-philips-centre" in values


def test_links_to_the_form(server):
    c = create_commitment(server)
    mt = new_meeting(server)
    s = browser_session(server, "t-member@test.example")
    assert 'href="/recommendations/new"' in s.get(server.url + "/recommendations").text
    assert f'href="/recommendations/new?source=commitment:{c["id"]}"' in s.get(
        server.url + f"/commitments/{c['id']}").text
    assert f'href="/recommendations/new?source=meeting:{mt["id"]}"' in s.get(
        server.url + f"/meetings/{mt['id']}").text
    # Not offered to who may not make one.
    o = browser_session(server, "t-officer@test.example")
    assert "/recommendations/new" not in o.get(server.url + f"/commitments/{c['id']}").text
    assert "/recommendations/new" not in requests.get(server.url + f"/meetings/{mt['id']}").text
    for lang, text in [("fr", "Faire une recommandation"), ("nl", "Een aanbeveling doen")]:
        r = s.get(server.url + NEW + "?lang=" + lang)
        assert r.status_code == 200 and text in r.text
