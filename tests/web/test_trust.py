"""In a real browser with JavaScript turned off: answer a trust survey in
French, see the answer counted, and have a second answer from the same
browser refused (the per-wave cookie of docs/trust.md)."""
import shutil
import tempfile

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait


@pytest.fixture
def nojs_browser():
    """Headless Chromium with JavaScript disabled for every site."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="consent-chromium-nojs-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for a in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--disable-dev-shm-usage", "--window-size=412,900", f"--user-data-dir={profile}"]:
        opts.add_argument(a)
    opts.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    driver.set_page_load_timeout(90)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def click_and_wait(b, by, what):
    """Clicks and waits for the next page, without running JavaScript in it."""
    old = b.find_element(By.TAG_NAME, "html")
    b.find_element(by, what).click()
    WebDriverWait(b, 60).until(EC.staleness_of(old))
    WebDriverWait(b, 60).until(EC.presence_of_element_located((By.CSS_SELECTOR, "footer, main")))


def answer(b):
    """Fills the form: three questions and two optional fields."""
    for q in ["q-relied_on-4", "q-fair-5", "q-good_job-0"]:
        b.find_element(By.CSS_SELECTOR, f"label[for='{q}']").click()
        assert b.find_element(By.ID, q).is_selected()
    Select(b.find_element(By.ID, "ethnicity")).select_by_value("indian")
    Select(b.find_element(By.ID, "sex")).select_by_value("female")


@pytest.fixture(scope="module")
def wave(server):
    server.user("web-admin@test.example", "admin")
    s = server.bearer("web-admin@test.example")
    r = s.post(server.url + "/api/v1/areas", json={"slug": "webshire", "name": "Webshire",
                                                   "kind": "force_area"})
    assert r.status_code == 201, r.text
    r = s.post(server.url + "/api/v1/surveys", json={
        "slug": "web-wave", "title": "Confiance à Webshire", "area": "webshire",
        "org": "leicestershire-opcc", "opens_at": "2020-01-01T00:00:00Z",
        "closes_at": "2099-01-01T00:00:00Z"})
    assert r.status_code == 201, r.text
    return "web-wave"


def count(server, slug):
    return requests.get(server.url + f"/api/v1/surveys/{slug}").json()["responses"]


def test_answer_in_french_without_javascript_once(server, nojs_browser, wave):
    b = nojs_browser
    # JavaScript really is off: a page's script does not run
    b.get("data:text/html,<title>off</title><script>document.title='on'</script>")
    assert b.title == "off"
    b.get(server.url + f"/surveys/{wave}")
    assert b.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    click_and_wait(b, By.LINK_TEXT, "Français")
    assert b.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    assert "On peut compter sur la police de ce quartier quand on en a besoin" in b.page_source
    assert b.find_element(By.ID, "submit-survey").text == "Envoyer mes réponses"
    first = b.current_window_handle

    # a second tab holds the form as it was before answering
    b.switch_to.new_window("tab")
    b.get(server.url + f"/surveys/{wave}")
    assert b.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    second = b.current_window_handle

    b.switch_to.window(first)
    assert count(server, wave) == 0
    answer(b)
    click_and_wait(b, By.ID, "submit-survey")
    assert b.current_url.endswith(f"/surveys/{wave}/thanks")
    assert b.find_element(By.TAG_NAME, "h1").text == "Merci"
    assert "Vos réponses ont été comptées." in b.page_source
    assert b.find_element(By.ID, "response-count").text == "1"
    assert count(server, wave) == 1
    ind = requests.get(server.url + f"/api/v1/surveys/{wave}/indicators").json()
    assert ind["responses"] == 1
    fair = next(i for i in ind["items"] if i["code"] == "fair")["overall"]
    assert fair["suppressed"]  # one answer: counted, but too few to publish

    # the form again: this browser has answered
    b.get(server.url + f"/surveys/{wave}")
    assert "Vous avez déjà répondu à cette enquête. Merci." in b.find_element(By.ID, "already").text
    assert not b.find_elements(By.ID, "submit-survey")

    # the form loaded before answering: sending it is refused
    b.switch_to.window(second)
    answer(b)
    click_and_wait(b, By.ID, "submit-survey")
    assert "/thanks" not in b.current_url
    assert "Vous avez déjà répondu à cette enquête" in b.page_source
    assert b.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    assert count(server, wave) == 1
