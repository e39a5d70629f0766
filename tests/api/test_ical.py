"""iCalendar feeds (specs/ical.md): every feed passes python3-vobject, a
libical round trip and the project's own checks; the checks themselves
reject every bad sample of shared/data/ical and pass the valid one."""
import glob
import os
import re

import pytest
import requests

from harness import ROOT
from icalcheck import check_feed, libical_checks, own_checks, vobject_checks
from test_meetings import U, future, new_meeting

SAMPLES = os.path.join(os.path.dirname(ROOT), "shared", "data", "ical")
if not os.path.isdir(SAMPLES):
    SAMPLES = "/work/shared/data/ical"


def unfold(text):
    return re.sub(r"\r\n[ \t]", "", text)


def events(text):
    return re.findall(r"BEGIN:VEVENT\r\n(.*?)END:VEVENT", unfold(text), re.S)


def prop(ev, name):
    m = re.search(rf"^{name}[;:](.*)$", ev, re.M)
    return m.group(1).rstrip("\r") if m else None


@pytest.mark.skipif(not glob.glob(os.path.join(SAMPLES, "*.ics")), reason="no shared samples")
def test_checks_reject_every_bad_sample():
    valid = open(os.path.join(SAMPLES, "feed-valid.ics"), "rb").read()
    assert check_feed(valid) == []
    bad = sorted(glob.glob(os.path.join(SAMPLES, "bad-*.ics")))
    assert len(bad) == 8
    for path in bad:
        data = open(path, "rb").read()
        assert check_feed(data), os.path.basename(path)
    # What each check alone catches (shared/data/ical/README.md).
    by = {os.path.basename(p): open(p, "rb").read() for p in bad}
    for name in ["bad-dtstamp-not-utc.ics", "bad-lf-only-unfolded.ics", "bad-tzid-without-vtimezone.ics"]:
        assert own_checks(by[name]), name
        assert not vobject_checks(by[name].decode()), name
        assert not libical_checks(by[name]), name
    assert libical_checks(by["bad-no-version.ics"])
    assert vobject_checks(by["bad-no-uid.ics"].decode())


@pytest.fixture(scope="module")
def tricky(server):
    """Meetings whose text needs escaping and folding, one cancelled, one private."""
    s = server.bearer("t-admin@test.example")
    long_text = ("Réunion publique – «sécurité», échanges; questions\\réponses. " * 6 +
                 "Ωμέγα 😀 " * 10)
    a = new_meeting(server, s, title="Safety; trust, and \\ reporting – Highfields",
                    place="St Philip's Centre, 2A Stoughton Drive; Room 1",
                    agenda=long_text + "\nLine two, with commas; and semicolons",
                    organisers=["leicestershire-police", "st-philips-centre"], area="highfields")
    b = new_meeting(server, s, title="Online surgery", place="", online_url="https://meet.example.org/x?a=1&b=2",
                    organisers=["leicestershire-police"], area="belgrave")
    r = s.post(server.url + f"{U}/{b['id']}/cancel", json={"reason": "Officer on duty elsewhere, sorry"})
    assert r.status_code == 200
    c = new_meeting(server, s, title="Private planning", public=False, area="highfields")
    d = new_meeting(server, s, title="Kiel buurtoverleg", area="kiel", tz="Europe/Brussels",
                    organisers=["politie-antwerpen", "dialoog-antwerpen"])
    return {"a": a, "b": b, "c": c, "d": d}


def get_ics(server, path):
    r = requests.get(server.url + path)
    assert r.status_code == 200, (path, r.text)
    assert r.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return r


@pytest.mark.parametrize("path", ["/calendar.ics", "/areas/leicester/calendar.ics",
                                  "/areas/highfields/calendar.ics", "/orgs/leicestershire-police/calendar.ics",
                                  "/areas/kiel/calendar.ics"])
def test_feeds_are_valid(server, tricky, path):
    r = get_ics(server, path)
    assert check_feed(r.content) == [], path
    assert "METHOD" not in unfold(r.text)


def test_per_meeting_ics(server, tricky):
    for m in tricky["a"], tricky["b"], tricky["d"]:
        r = get_ics(server, f"/meetings/{m['id']}.ics")
        assert check_feed(r.content) == []
        evs = events(r.text)
        assert len(evs) == 1 and prop(evs[0], "UID") == m["uid"]
    assert requests.get(server.url + f"/meetings/{tricky['c']['id']}.ics").status_code == 404
    assert requests.get(server.url + "/meetings/999999.ics").status_code == 404
    assert requests.get(server.url + "/areas/atlantis/calendar.ics").status_code == 404


def test_feed_content(server, tricky):
    text = get_ics(server, "/calendar.ics").text
    evs = {prop(e, "UID"): e for e in events(text)}
    a, b = evs[tricky["a"]["uid"]], evs[tricky["b"]["uid"]]
    assert tricky["c"]["uid"] not in evs  # private
    assert prop(a, "SUMMARY") == "Safety\\; trust\\, and \\\\ reporting – Highfields"
    assert prop(a, "STATUS") == "CONFIRMED" and prop(a, "SEQUENCE") == "0"
    assert prop(b, "STATUS") == "CANCELLED" and prop(b, "SEQUENCE") == "1"
    assert "Officer on duty elsewhere\\, sorry" in prop(b, "DESCRIPTION")
    assert prop(b, "LOCATION") == "https://meet.example.org/x?a=1&b=2"
    start = tricky["a"]["start"].replace("-", "").replace(":", "")
    assert prop(a, "DTSTART") == start
    assert re.match(r"^\d{8}T\d{6}Z$", prop(a, "DTSTAMP"))
    # The long, non-ASCII agenda was folded.
    assert max(len(line) for line in text.encode().split(b"\r\n")) <= 75
    assert "\r\n " in text


def test_uid_stable_sequence_rises(server):
    s = server.bearer("t-officer@test.example")
    m = new_meeting(server, s)
    path = f"/meetings/{m['id']}.ics"
    ev = events(get_ics(server, path).text)[0]
    assert prop(ev, "SEQUENCE") == "0"
    for i, title in enumerate(["First change", "Second change"], 1):
        assert s.patch(server.url + f"{U}/{m['id']}", json={"title": title}).status_code == 200
        ev = events(get_ics(server, path).text)[0]
        assert prop(ev, "UID") == m["uid"] and prop(ev, "SEQUENCE") == str(i)
        assert prop(ev, "SUMMARY") == title
    s.post(server.url + f"{U}/{m['id']}/cancel", json={"reason": "Postponed"})
    ev = events(get_ics(server, path).text)[0]
    assert prop(ev, "STATUS") == "CANCELLED" and prop(ev, "SEQUENCE") == "3"
    assert prop(ev, "UID") == m["uid"]
    assert check_feed(get_ics(server, path).content) == []
    # The UID says nothing about anyone: a random UUID.
    assert re.match(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", m["uid"])


def test_demo_feed_is_valid(server):
    assert check_feed(get_ics(server, "/calendar.ics").content) == []
