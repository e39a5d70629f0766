"""The HTML side of reports, over real HTTP without JavaScript: the form
(no account, no map), the receipt page, staff pages and the statistics
page with its chart and table."""
import html
import re

import requests

from harness import PASSWORD


def csrf_of(text):
    return re.search(r'name="csrf" value="([^"]+)"', text).group(1)


def form_session(server, path="/report"):
    s = requests.Session()
    r = s.get(server.url + path)
    assert r.status_code == 200, r.text
    return s, csrf_of(r.text)


def signed_in(server, email):
    s = requests.Session()
    r = s.post(server.url + "/api/v1/login", json={"email": email, "password": PASSWORD})
    assert r.status_code == 200
    return s


FORM = {
    "category": "hate_incident", "strand": ["disability", "other"],
    "description": "The bus driver refused to lower the ramp and laughed at me.",
    "date": "2025-05-04", "time": "08:40", "area": "belgrave", "address": "Belgrave Road stop",
    "consent": "anonymous", "name": "Pat Pagetest", "email": "pat.pagetest@example.org",
    "phone": "",
}


def file_by_form(server, **changes):
    s, csrf = form_session(server)
    data = dict(FORM, csrf=csrf, **changes)
    r = s.post(server.url + "/report", data=data, allow_redirects=False)
    return s, r


def test_form_without_account_in_three_languages(server):
    r = requests.get(server.url + "/report")
    assert r.status_code == 200
    assert 'type="date"' in r.text and "Hate crime" in r.text and "Religion or belief" in r.text
    assert "<script" not in r.text and "map" not in r.text.lower()
    fr = requests.get(server.url + "/report?lang=fr").text
    assert "Crime de haine" in fr and "Qui peut voir votre signalement" in fr
    nl = requests.get(server.url + "/report?lang=nl").text
    assert "Haatmisdrijf" in nl and "Wie mag uw melding zien" in nl
    # Community staff may file for their organisation.
    member = signed_in(server, "t-member@test.example")
    assert 'value="highfields-faith-centre"' in member.get(server.url + "/report").text
    assert 'name="via"' not in r.text


def test_file_follow_and_handle_through_pages(server):
    s, r = file_by_form(server)
    assert r.status_code == 200, r.text
    token = re.search(r'href="/r/([A-Za-z0-9_-]{43})"', r.text).group(1)
    assert "shown only now" in r.text
    # The receipt page.
    page = s.get(server.url + "/r/" + token).text
    assert html.escape(FORM["description"], quote=True) in page
    assert "never your name" in page  # anonymous, in plain words
    assert "Nobody has opened your report yet." in page
    # The reporter writes.
    csrf = csrf_of(page)
    r = s.post(server.url + f"/r/{token}/reply", data={"csrf": csrf, "body": "I have a ticket."},
               allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"] == f"/r/{token}?done=reply"
    # Staff: the list, the report (one log entry), a status, a message.
    officer = signed_in(server, "t-officer@test.example")
    listing = officer.get(server.url + "/reports").text
    rid = re.search(r'href="/reports/([A-Za-z0-9_-]{16})"', listing).group(1)
    rc = requests.get(server.url + "/api/v1/receipts/" + token).json()
    rid = rc["id"]
    assert f'href="/reports/{rid}"' in officer.get(server.url + "/reports?category=hate_incident"
                                                   "&area=belgrave&age=1d").text
    before = server.db.count("tlog_entries")
    page = officer.get(server.url + f"/reports/{rid}").text
    assert server.db.count("tlog_entries") == before + 1
    assert html.escape(FORM["description"], quote=True) in page
    assert "Pagetest" not in page and "pat.pagetest" not in page
    assert "I have a ticket." in page
    assert f"entry</span>" not in page and re.search(r"entry\s*#\d+", page)
    csrf = csrf_of(page)
    r = officer.post(server.url + f"/reports/{rid}/status",
                     data={"csrf": csrf, "status": "acknowledged", "note": "We are on it."},
                     allow_redirects=False)
    assert r.status_code == 303
    r = officer.post(server.url + f"/reports/{rid}/message",
                     data={"csrf": csrf, "body": "Which bus route was it?"}, allow_redirects=False)
    assert r.status_code == 303
    r = officer.post(server.url + f"/reports/{rid}/status",
                     data={"csrf": csrf, "status": "closed"})
    assert r.status_code == 422 and "reason" in r.text
    # Back on the receipt: the update, the message (from the force, no
    # officer's name), the access history.
    page = s.get(server.url + "/r/" + token).text
    assert "We are on it." in page and "Acknowledged" in page
    assert "Which bus route was it?" in page and "Leicestershire Police" in page
    assert "t-officer" not in page
    assert "Read the report, without your identity" in page
    assert "police officer" in page
    # Consent and erasure through the page.
    csrf = csrf_of(page)
    r = s.post(server.url + f"/r/{token}/consent", data={"csrf": csrf, "consent": "statistics"},
               allow_redirects=False)
    assert r.status_code == 303
    assert officer.get(server.url + f"/reports/{rid}").status_code == 404
    r = s.post(server.url + f"/r/{token}/erase", data={"csrf": csrf})
    assert r.status_code == 422 and "Tick the box" in r.text
    r = s.post(server.url + f"/r/{token}/erase", data={"csrf": csrf, "confirm": "yes"},
               allow_redirects=False)
    assert r.status_code == 303
    page = s.get(server.url + r.headers["Location"]).text
    assert "You erased this report" in page
    assert html.escape(FORM["description"], quote=True) not in page


def test_form_errors_keep_what_was_typed_and_store_nothing(server):
    before = server.db.count("reports")
    for change, words in [({"description": ""}, "What happened?"),
                          ({"category": "burglary"}, "What is it about?"),
                          ({"strand": []}, "hostility"),
                          ({"date": "yesterday"}, "When did it happen?"),
                          ({"time": "8am"}, "When did it happen?"),
                          ({"area": ""}, "In which area?"),
                          ({"consent": "identified", "email": "", "phone": ""}, "contact"),
                          ({"email": "not-an-email"}, "Email")]:
        _, r = file_by_form(server, **change)
        assert r.status_code == 422, (change, r.text)
        assert 'role="alert"' in r.text and words in html.unescape(r.text), change
        if "description" not in change:
            assert html.escape(FORM["description"], quote=True) in r.text
    assert server.db.count("reports") == before
    # Without the form's CSRF token nothing is accepted.
    r = requests.post(server.url + "/report", data=FORM)
    assert r.status_code == 403
    assert server.db.count("reports") == before


def test_wrong_receipt_page(server):
    r = requests.get(server.url + "/r/" + "x" * 43)
    assert r.status_code == 404 and "<html" in r.text


def test_staff_pages_need_a_staff_account(server):
    r = requests.get(server.url + "/reports", allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"].startswith("/login")
    resident = signed_in(server, "t-resident@test.example")
    assert resident.get(server.url + "/reports").status_code == 403
    assert 'href="/reports"' not in resident.get(server.url + "/").text
    officer = signed_in(server, "t-officer@test.example")
    assert 'href="/reports"' in officer.get(server.url + "/").text
    supervisor = signed_in(server, "t-supervisor@test.example")
    assert "Open a report beyond its consent" in supervisor.get(server.url + "/reports").text
    assert "Open a report beyond its consent" not in officer.get(server.url + "/reports").text


def test_override_from_the_triage_page(server):
    member = requests.post(server.url + "/api/v1/login",
                           json={"email": "t-member@test.example", "password": PASSWORD})
    s = requests.Session()
    s.headers["Authorization"] = "Bearer " + member.json()["token"]
    made = s.post(server.url + "/api/v1/reports", json={
        "category": "community_tension", "description": "Threats posted about Friday prayers.",
        "occurred_at": "2025-06-01T10:00:00Z", "area": "highfields", "consent": "statistics",
        "via": "highfields-faith-centre", "reporter": {"email": "tension@example.org"}}).json()
    supervisor = signed_in(server, "t-supervisor@test.example")
    csrf = csrf_of(supervisor.get(server.url + "/reports").text)
    r = supervisor.post(server.url + "/reports/override",
                        data={"csrf": csrf, "id": made["id"],
                              "reason": "Threat to worshippers this Friday; we must act now."})
    assert r.status_code == 200, r.text
    assert "Threats posted about Friday prayers." in r.text and "tension@example.org" in r.text
    page = requests.get(server.url + "/r/" + made["receipt"]).text
    assert "Threat to worshippers this Friday" in page and "Opened beyond your choice" in page


def test_statistics_page(server):
    r = requests.get(server.url + "/stats")
    assert r.status_code == 200
    assert "<svg" in r.text and 'role="img"' in r.text and "<table>" in r.text
    assert "Hate crime" in r.text
    for by in ["strand", "area", "month"]:
        page = requests.get(server.url + "/stats?by=" + by).text
        assert "<svg" in page and 'aria-current="page"' in page
    # Numbers in the table and the chart are the suppressed ones.
    cells = re.findall(r"<td>([^<]*)</td>", requests.get(server.url + "/stats?by=area").text)
    for c in cells:
        assert html.unescape(c) in ("<5", "*") or int(c) == 0 or int(c) >= 5, c
    fr = requests.get(server.url + "/stats?lang=fr").text
    assert "Signalements par catégorie" in fr
