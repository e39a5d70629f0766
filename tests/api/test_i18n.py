"""English, French and Dutch: chosen by ?lang=, the cookie it sets, the
account's setting or Accept-Language; every UI string translated."""
import glob
import os
import re

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def title(html):
    return re.search(r"<title>(.*?)</title>", html).group(1)


def test_default_is_english(server):
    r = requests.get(server.url + "/")
    assert '<html lang="en">' in r.text
    assert "Police and communities, in partnership" in title(r.text)
    assert r.headers["Content-Language"] == "en"


def test_accept_language(server):
    r = requests.get(server.url + "/", headers={"Accept-Language": "nl-BE,nl;q=0.9,en;q=0.5"})
    assert '<html lang="nl">' in r.text and "Politie en gemeenschappen" in r.text
    r = requests.get(server.url + "/", headers={"Accept-Language": "de, fr-CH;q=0.8"})
    assert '<html lang="fr">' in r.text and "Police et communautés" in r.text
    r = requests.get(server.url + "/", headers={"Accept-Language": "de, es"})
    assert '<html lang="en">' in r.text


def test_query_switch_sticks_with_cookie(server):
    s = requests.Session()
    r = s.get(server.url + "/orgs?lang=fr")
    assert '<html lang="fr">' in r.text and "Organisations communautaires" in r.text
    assert "consent_lang=fr" in r.headers["Set-Cookie"]
    r = s.get(server.url + "/areas")
    assert '<html lang="fr">' in r.text and "Zones" in title(r.text)
    r = s.get(server.url + "/areas?lang=en")
    assert '<html lang="en">' in r.text
    assert s.get(server.url + "/").text.count('<html lang="en">') == 1
    # An unknown language is ignored.
    r = requests.get(server.url + "/?lang=xx")
    assert '<html lang="en">' in r.text


def test_every_page_offers_the_three_languages(server):
    for path in ["/", "/orgs", "/areas", "/login", "/orgs/st-philips-centre", "/areas/kiel", "/nope"]:
        html = requests.get(server.url + path).text
        for code in ["en", "fr", "nl"]:
            if f'aria-current="true" lang="{code}"' not in html:
                assert f'href="{path}?lang={code}"' in html, (path, code)


def test_account_language_setting(server):
    server.user("nl-user@test.example")
    s = server.login("nl-user@test.example")
    s.patch(server.url + "/api/v1/me", json={"lang": "nl"})
    r = s.get(server.url + "/account", headers={"Accept-Language": "fr"})
    assert '<html lang="nl">' in r.text and "Uw account" in r.text
    # ?lang= still switches for the page.
    r = s.get(server.url + "/account?lang=fr")
    assert '<html lang="fr">' in r.text


def catalogue(lang):
    text = open(os.path.join(ROOT, "po", lang + ".po"), encoding="utf-8").read()
    ids = {}
    for m in re.finditer(r'msgid "((?:[^"\\]|\\.)*)"\nmsgstr "((?:[^"\\]|\\.)*)"', text):
        ids[m.group(1).replace('\\"', '"')] = m.group(2)
    return ids


def test_strings_in_c_are_translated():
    """UI text chosen in C (titles, labels) has French and Dutch too."""
    ids = set()
    for f in glob.glob(os.path.join(ROOT, "src", "web", "*.c")):
        s = open(f, encoding="utf-8").read()
        ids.update(re.findall(r'web_t\(r, "([^"]+)"\)', s))
        ids.update(re.findall(r'web_page\(r, [^,]+, "[^"]+", "([^"]+)"', s))
        ids.update(re.findall(r'\{"(?:police|community|oversight)", "([^"]+)"\}', s))
    assert len(ids) > 10
    for lang in ["fr", "nl"]:
        cat = catalogue(lang)
        missing = sorted(i for i in ids if not cat.get(i))
        assert not missing, (lang, missing)


def test_strings_in_templates_are_translated():
    """Every {{_ text}} of the templates has French and Dutch."""
    ids = set()
    for f in glob.glob(os.path.join(ROOT, "templates", "*.html")):
        ids.update(re.findall(r"\{\{_ (.+?)\}\}", open(f, encoding="utf-8").read()))
    assert len(ids) > 50
    for lang in ["fr", "nl"]:
        cat = catalogue(lang)
        missing = sorted(i for i in ids if not cat.get(i))
        assert not missing, (lang, missing)
