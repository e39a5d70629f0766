"""Consultations in a real browser: voting with JavaScript turned off (a
form per statement), adding a statement and describing one's community;
then with JavaScript, where static/consult.js votes without reloading."""
import shutil
import tempfile

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from test_browser import gone


def make_driver(javascript):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="consent-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for a in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--disable-dev-shm-usage", "--window-size=1280,900", f"--user-data-dir={profile}"]:
        opts.add_argument(a)
    if not javascript:
        opts.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    driver.set_page_load_timeout(30)
    return driver, profile


@pytest.fixture
def nojs():
    driver, profile = make_driver(False)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def withjs():
    driver, profile = make_driver(True)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def click_and_wait(b, by, what):
    """Clicks and waits for the next page (without asking the page's
    JavaScript, which may be off)."""
    old = b.find_element(By.TAG_NAME, "html")
    b.find_element(by, what).click()
    WebDriverWait(b, 15).until(gone(old))
    WebDriverWait(b, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, "footer.site")))


def open_consultation(b, url):
    b.get(url + "/consultations")
    click_and_wait(b, By.PARTIAL_LINK_TEXT, "build trust together")
    assert "/consultations/" in b.current_url
    return b.current_url.split("?")[0].split("#")[0]


def test_vote_without_javascript(server, nojs):
    b = nojs
    page = open_consultation(b, server.url)
    cid = page.rstrip("/").split("/")[-1]
    seen = []
    remaining = int(b.find_element(By.ID, "remaining-n").text)
    assert remaining == 10
    for i in range(remaining):
        text = b.find_element(By.ID, "statement-text").text
        assert text not in seen
        seen.append(text)
        button = ["button.agree", "button.disagree", "button.pass"][i % 3]
        click_and_wait(b, By.CSS_SELECTOR, "form.vote-form " + button)
        assert "Your vote is saved." in b.page_source
        if i + 1 < remaining:
            assert int(b.find_element(By.ID, "remaining-n").text) == remaining - i - 1
    assert "You have voted on every statement" in b.find_element(By.ID, "all-done").text
    assert b.find_element(By.ID, "all-done").is_displayed()
    cookie = b.get_cookie("consent_participant")
    assert cookie and cookie["httpOnly"]
    # The votes are there, from one participant.
    c = requests.get(f"{server.url}/api/v1/consultations/{cid}").json()
    assert c["votes"] >= 10 and c["participants"] >= 1
    # Add a statement: it waits for moderation and the author sees it.
    b.find_element(By.ID, "text").send_keys("Officers should visit youth clubs every month.")
    click_and_wait(b, By.CSS_SELECTOR, "form[action$='/statements'] button")
    assert "your statement is saved" in b.page_source
    assert "Officers should visit youth clubs every month." in b.find_element(By.CSS_SELECTOR, "ul.mine").text
    assert "waiting for moderation" in b.find_element(By.CSS_SELECTOR, "ul.mine").text
    # The browser itself keeps a statement within the limit.
    field = b.find_element(By.ID, "text")
    field.send_keys("x" * 300)  # maxlength stops the browser at 280
    assert len(field.get_attribute("value")) == 280
    # Describe one's community.
    b.find_element(By.ID, "community").send_keys("Somali")
    click_and_wait(b, By.CSS_SELECTOR, "form[action$='/community'] button")
    assert "Saved." in b.page_source
    assert b.find_element(By.ID, "community").get_attribute("value") == "Somali"
    # The results page, in French.
    b.get(f"{server.url}/consultations/{cid}/results?lang=fr")
    assert b.find_element(By.TAG_NAME, "h1").text == "Résultats"


def test_vote_with_javascript_stays_on_the_page(server, withjs):
    b = withjs
    open_consultation(b, server.url)
    html = b.find_element(By.TAG_NAME, "html")
    first = b.find_element(By.ID, "statement-text").text
    n = int(b.find_element(By.ID, "remaining-n").text)
    b.find_element(By.CSS_SELECTOR, "form.vote-form button.agree").click()
    WebDriverWait(b, 15).until(lambda d: d.find_element(By.ID, "remaining-n").text == str(n - 1))
    # Same document (no reload), a new statement.
    assert html.is_displayed()
    assert b.find_element(By.ID, "statement-text").text != first
    for _ in range(n - 1):
        left = b.find_element(By.ID, "remaining-n").text
        b.find_element(By.CSS_SELECTOR, "form.vote-form button.pass").click()
        WebDriverWait(b, 15).until(
            lambda d: d.find_element(By.ID, "all-done").is_displayed()
            or d.find_element(By.ID, "remaining-n").text != left)
    WebDriverWait(b, 15).until(lambda d: d.find_element(By.ID, "all-done").is_displayed())
    assert html.is_displayed()


def test_results_page_shows_the_opinion_map(server, withjs):
    b = withjs
    b.get(server.url + "/consultations")
    click_and_wait(b, By.PARTIAL_LINK_TEXT, "young people in local scrutiny")
    click_and_wait(b, By.LINK_TEXT, "See the results")
    assert b.find_element(By.TAG_NAME, "h1").text == "Results"
    svg = b.find_element(By.CSS_SELECTOR, "figure.opinion-map svg")
    assert svg.get_attribute("role") == "img"
    assert len(b.find_elements(By.CSS_SELECTOR, "svg circle.pt")) >= 10
    assert len(b.find_elements(By.CSS_SELECTOR, "div.group")) >= 2
    # Colours come from the stylesheet (no inline styles under the CSP).
    fill = b.execute_script(
        "return getComputedStyle(document.querySelector('svg circle.g0')).fill")
    assert fill.startswith("rgb(11, 79, 138)")


def sign_in(b, url):
    from harness import PASSWORD
    b.get(url + "/login")
    b.find_element(By.ID, "email").send_keys("browser@test.example")
    b.find_element(By.ID, "password").send_keys(PASSWORD)
    click_and_wait(b, By.CSS_SELECTOR, "form.stack button[type=submit]")


def test_staff_open_a_consultation_and_moderate(server, nojs):
    from selenium.webdriver.support.ui import Select

    b = nojs
    sign_in(b, server.url)
    b.get(server.url + "/consultations")
    click_and_wait(b, By.LINK_TEXT, "Open a consultation")
    b.find_element(By.ID, "question").send_keys("Where should the new youth hub open?")
    Select(b.find_element(By.ID, "area")).select_by_value("belgrave")
    Select(b.find_element(By.ID, "org2")).select_by_value("leicestershire-police")
    b.find_element(By.ID, "seed").send_keys("Near the library\nAt the leisure centre\n")
    # A closing date before the opening one comes back with an error, the
    # choices kept.
    b.find_element(By.ID, "opens").send_keys("03012030")
    b.find_element(By.ID, "closes").send_keys("01012030")
    click_and_wait(b, By.CSS_SELECTOR, "form.stack button[type=submit]")
    assert "The closing date must come after the opening date." in b.page_source
    assert Select(b.find_element(By.ID, "area")).first_selected_option.get_attribute("value") == "belgrave"
    b.find_element(By.ID, "opens").clear()
    b.find_element(By.ID, "closes").send_keys("01012031")
    click_and_wait(b, By.CSS_SELECTOR, "form.stack button[type=submit]")
    assert b.find_element(By.TAG_NAME, "h1").text == "Where should the new youth hub open?"
    assert "St Philip" in b.page_source and "Leicestershire Police" in b.page_source
    cid = b.current_url.rstrip("/").split("/")[-1]
    # Two participants' statements wait in the queue.
    for text in ["Next to the mosque", "Shame on PC Smith"]:
        r = requests.post(f"{server.url}/api/v1/consultations/{cid}/statements", json={"text": text})
        assert r.status_code == 201, r.text
    click_and_wait(b, By.LINK_TEXT, "Moderation queue")
    rows = b.find_elements(By.CSS_SELECTOR, "form.moderate tbody tr")
    assert len(rows) == 2
    b.find_element(By.XPATH, "//label[text()='Shame on PC Smith']/../../td/input").click()
    click_and_wait(b, By.CSS_SELECTOR, "button[value=reject]")
    assert "Give the authors a reason" in b.page_source
    b.find_element(By.XPATH, "//label[text()='Shame on PC Smith']/../../td/input").click()
    b.find_element(By.ID, "reason").send_keys("Statements may not name officers.")
    click_and_wait(b, By.CSS_SELECTOR, "button[value=reject]")
    assert "The statements are moderated." in b.page_source
    b.find_element(By.XPATH, "//label[text()='Next to the mosque']/../../td/input").click()
    click_and_wait(b, By.CSS_SELECTOR, "button[value=accept]")
    assert "Nothing is waiting for moderation." in b.page_source
    assert "Statements may not name officers." in b.page_source
    texts = [s["text"] for s in requests.get(
        f"{server.url}/api/v1/consultations/{cid}/statements").json()["statements"]]
    assert texts == ["Near the library", "At the leisure centre", "Next to the mosque"]
