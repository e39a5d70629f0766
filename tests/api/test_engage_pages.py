"""The engagement pages: meetings (list, view, create and edit by form,
cancel, register), the commitments board and a commitment's page with its
moves, recommendations; in three languages; forms need the CSRF token."""
import re

import requests

from harness import PASSWORD

from test_commitments import create as create_commitment
from test_meetings import future, new_meeting


def browser_session(server, email):
    """A session signed in through the login form, like a browser."""
    s = requests.Session()
    r = s.get(server.url + "/login")
    r = s.post(server.url + "/login", data={"csrf": csrf_of(r.text), "email": email,
                                            "password": PASSWORD, "next": "/account"})
    assert r.status_code == 200 and "/account" in r.url
    return s


def csrf_of(html):
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def main(html):
    return re.search(r"<main.*?</main>", html, re.S).group(0)


def test_pages_render_in_three_languages(server):
    m = new_meeting(server)
    c = create_commitment(server)
    for path in ["/meetings", "/meetings?when=past", "/meetings?area=leicester&org=leicestershire-police",
                 f"/meetings/{m['id']}", "/commitments", "/commitments?overdue=1&status=in_progress",
                 f"/commitments/{c['id']}", "/areas/kiel/commitments", "/recommendations",
                 "/recommendations?status=open"]:
        for lang, word in [("en", "Meetings"), ("fr", "Réunions"), ("nl", "Vergaderingen")]:
            r = requests.get(server.url + path + ("&" if "?" in path else "?") + "lang=" + lang)
            assert r.status_code == 200, (path, lang)
            assert f'<html lang="{lang}">' in r.text and word in r.text, (path, lang)
    assert 'href="/areas/kiel/calendar.ics"' in requests.get(server.url + "/areas/kiel").text
    assert 'href="/orgs/comite-p/calendar.ics"' in requests.get(server.url + "/orgs/comite-p").text
    assert requests.get(server.url + "/meetings/999999").status_code == 404
    assert requests.get(server.url + "/commitments/999999").status_code == 404
    assert requests.get(server.url + "/meetings?area=atlantis").status_code == 404


def test_board_is_accessible(server):
    c = create_commitment(server, title="Board check")
    html = requests.get(server.url + "/commitments").text
    # Progress as a <progress> element with a label and the number as text.
    assert re.search(rf'<label for="p-{c["id"]}">Progress</label> <progress id="p-{c["id"]}" max="100" value="0">0%</progress> 0%', html)
    assert 'href="/commitments.csv"' in html and 'href="/commitments.json"' in html
    html = requests.get(server.url + "/commitments?area=highfields&overdue=1").text
    assert 'href="/commitments.csv?area=highfields&amp;overdue=1"' in html


def test_meeting_form_create_edit_cancel(server):
    s = browser_session(server, "t-officer@test.example")
    r = s.get(server.url + "/meetings/new")
    assert r.status_code == 200
    assert 'name="org-leicestershire-police" value="1" checked' in r.text
    form = {"csrf": csrf_of(r.text), "title": "Form-made forum", "area": "braunstone",
            "org-leicestershire-police": "1", "org-st-philips-centre": "1",
            "start": future(20), "end": future(20, 17), "tz": "Europe/London",
            "place": "Braunstone Library", "agenda": "Introductions", "public": "1"}
    r = s.post(server.url + "/meetings/new", data=form)
    assert r.status_code == 422 and "must be after the start" in r.text
    assert 'value="Form-made forum"' in r.text  # what was typed is kept
    # Without the CSRF token nothing happens.
    r = s.post(server.url + "/meetings/new", data=dict(form, csrf="forged", end=future(20, 20)))
    assert r.status_code == 403
    form["end"] = future(20, 20)
    r = s.post(server.url + "/meetings/new", data=form)
    assert r.status_code == 200 and "saved=1" in r.url, r.text[:500]
    mid = int(re.search(r"/meetings/(\d+)", r.url).group(1))
    m = requests.get(server.url + f"/api/v1/meetings/{mid}").json()
    assert m["title"] == "Form-made forum" and m["start_local"][11:16] == "18:30"
    assert {o["slug"] for o in m["organisers"]} == {"leicestershire-police", "st-philips-centre"}
    r = s.get(server.url + f"/meetings/{mid}/edit")
    assert r.status_code == 200 and f'value="{m["start_local"][:16]}"' in r.text
    form2 = dict(form, csrf=csrf_of(r.text), title="Form-made forum (moved)",
                 documents="Agenda | https://example.org/agenda.pdf\n")
    r = s.post(server.url + f"/meetings/{mid}/edit", data=form2)
    assert r.status_code == 200 and "Form-made forum (moved)" in r.text
    m = requests.get(server.url + f"/api/v1/meetings/{mid}").json()
    assert m["sequence"] == 1 and m["documents"] == [{"title": "Agenda", "url": "https://example.org/agenda.pdf"}]
    # Someone who is not staff of an organiser gets no edit page.
    other = browser_session(server, "t-member@test.example")
    assert other.get(server.url + f"/meetings/{mid}/edit").status_code == 403
    r = s.get(server.url + f"/meetings/{mid}")
    r = s.post(server.url + f"/meetings/{mid}/cancel", data={"csrf": csrf_of(r.text), "reason": "Library closed"})
    assert r.status_code == 200 and "This meeting is cancelled." in r.text and "Library closed" in r.text


def test_meeting_page_registration(server):
    m = new_meeting(server, registration=True, capacity=2)
    s = browser_session(server, "t-resident@test.example")
    r = s.get(server.url + f"/meetings/{m['id']}")
    assert ">Register<" in r.text
    r = s.post(server.url + f"/meetings/{m['id']}/register", data={"csrf": csrf_of(r.text), "action": "register"})
    assert r.status_code == 200 and "You are registered." in r.text
    assert "1 registered / 2" in main(r.text)


def test_commitment_page_moves(server):
    c = create_commitment(server)
    officer = browser_session(server, "t-officer@test.example")
    r = officer.get(server.url + f"/commitments/{c['id']}")
    assert '<option value="accepted">Accepted</option>' in r.text
    assert 'value="declined"' not in r.text  # an officer may not decline
    r = officer.post(server.url + f"/commitments/{c['id']}/status", data={"csrf": csrf_of(r.text), "status": "accepted"})
    assert r.status_code == 200 and "Your changes are saved." in r.text
    r = officer.post(server.url + f"/commitments/{c['id']}/updates",
                     data={"csrf": csrf_of(r.text), "text": "Rota agreed", "progress": "140", "evidence": ""})
    assert r.status_code == 422 and "from 0 to 100" in r.text
    r = officer.post(server.url + f"/commitments/{c['id']}/updates",
                     data={"csrf": csrf_of(r.text), "text": "Rota agreed", "progress": "40",
                           "evidence": "https://example.org/rota.pdf\r\n"})
    assert r.status_code == 200 and "Rota agreed" in r.text and "https://example.org/rota.pdf" in r.text
    r = officer.post(server.url + f"/commitments/{c['id']}/status", data={"csrf": csrf_of(r.text), "status": "done"})
    assert r.status_code == 200
    # The owner cannot confirm; the page offers it only to the co-chair.
    assert 'value="confirmed"' not in r.text
    r = officer.post(server.url + f"/commitments/{c['id']}/status", data={"csrf": csrf_of(r.text), "status": "confirmed"})
    assert r.status_code == 403
    cochair = browser_session(server, "t-orgadmin@test.example")
    r = cochair.get(server.url + f"/commitments/{c['id']}")
    assert 'value="confirmed"' in r.text and 'value="disputed"' in r.text
    r = cochair.post(server.url + f"/commitments/{c['id']}/status", data={"csrf": csrf_of(r.text), "status": "confirmed"})
    assert r.status_code == 200 and "Done, confirmed by the community" in r.text
    r = cochair.post(server.url + f"/commitments/{c['id']}/status", data={"csrf": csrf_of(r.text), "status": "confirmed"})
    assert r.status_code == 409


def test_commitment_form(server):
    s = browser_session(server, "t-supervisor@test.example")
    r = s.get(server.url + "/commitments/new")
    assert r.status_code == 200
    form = {"csrf": csrf_of(r.text), "title": "Form commitment", "raised": "r", "pledge": "p",
            "area": "highfields", "owner": "leicestershire-police", "cochair": "st-philips-centre",
            "start_date": "2026-03-01", "due_date": "2026-02-01"}
    r = s.post(server.url + "/commitments/new", data=form)
    assert r.status_code == 422 and "due_date" in r.text
    form["due_date"] = "2099-03-01"
    r = s.post(server.url + "/commitments/new", data=form)
    assert r.status_code == 200 and "Form commitment" in r.text
    assert browser_session(server, "t-resident@test.example").get(server.url + "/commitments/new").status_code == 403


def test_recommendation_page_response(server):
    s = server.bearer("t-orgadmin@test.example")
    rec = s.post(server.url + "/api/v1/recommendations", json={
        "title": "Page test recommendation", "body": "B", "from_org": "st-philips-centre",
        "to_org": "leicestershire-police"}).json()
    r = requests.get(server.url + f"/recommendations/{rec['id']}")
    assert "Page test recommendation" in r.text and "Answer this recommendation" not in r.text
    sup = browser_session(server, "t-supervisor@test.example")
    r = sup.get(server.url + f"/recommendations/{rec['id']}")
    assert "Answer this recommendation" in r.text
    r = sup.post(server.url + f"/recommendations/{rec['id']}",
                 data={"csrf": csrf_of(r.text), "status": "rejected", "reason": "", "response": ""})
    assert r.status_code == 422
    r = sup.post(server.url + f"/recommendations/{rec['id']}",
                 data={"csrf": csrf_of(r.text), "status": "accepted", "reason": "", "response": "We agree."})
    assert r.status_code == 200 and "We agree." in r.text
