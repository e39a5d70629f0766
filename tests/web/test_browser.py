"""In a real browser: sign in, switch to French and back, sign out. No
JavaScript is needed for any of it."""
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from harness import PASSWORD


def gone(old):
    """Like EC.staleness_of, but chromedriver sometimes reports a node of the
    page being replaced as "does not belong to the document" (an unknown
    error) rather than as stale: that counts as gone too."""
    def pred(_):
        try:
            old.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as e:
            if "does not belong to the document" in str(e):
                return True
            raise
    return pred


def click_and_wait(b, by, what):
    """Clicks and waits until the browser has loaded the next page."""
    old = b.find_element(By.TAG_NAME, "html")
    b.find_element(by, what).click()
    WebDriverWait(b, 60).until(gone(old))
    WebDriverWait(b, 60).until(lambda d: d.execute_script("return document.readyState") == "complete")


def sign_in(b, url):
    b.get(url + "/login")
    b.find_element(By.ID, "email").send_keys("browser@test.example")
    b.find_element(By.ID, "password").send_keys(PASSWORD)
    click_and_wait(b, By.CSS_SELECTOR, "form.stack button[type=submit]")


def html_lang(driver):
    return driver.find_element(By.TAG_NAME, "html").get_attribute("lang")


def test_login_switch_language_logout(server, browser):
    b = browser
    b.get(server.url + "/")
    assert html_lang(b) == "en"
    # The skip link is the first focusable element and targets <main>.
    skip = b.find_element(By.CSS_SELECTOR, "a.skip")
    assert skip.get_attribute("href").endswith("#main")
    click_and_wait(b, By.LINK_TEXT, "Sign in")
    assert b.current_url.endswith("/login")
    b.find_element(By.ID, "email").send_keys("browser@test.example")
    b.find_element(By.ID, "password").send_keys(PASSWORD)
    click_and_wait(b, By.CSS_SELECTOR, "form.stack button[type=submit]")
    assert b.current_url.endswith("/account")
    assert "browser@test.example" in b.page_source
    assert "St Philip" in b.page_source

    click_and_wait(b, By.LINK_TEXT, "Français")
    assert html_lang(b) == "fr"
    assert b.find_element(By.TAG_NAME, "h1").text == "Votre compte"
    assert b.find_element(By.CSS_SELECTOR, ".signout button").text == "Se déconnecter"
    # The choice holds on the next page.
    click_and_wait(b, By.LINK_TEXT, "Organisations")
    assert html_lang(b) == "fr"
    assert "Organisations communautaires" in b.page_source

    click_and_wait(b, By.LINK_TEXT, "English")
    assert html_lang(b) == "en"
    assert b.find_element(By.TAG_NAME, "h1").text == "Organisations"

    click_and_wait(b, By.CSS_SELECTOR, ".signout button")
    assert "Sign in" in b.find_element(By.CSS_SELECTOR, "header nav").text
    b.get(server.url + "/account")
    assert "/login" in b.current_url


def test_wrong_password_shows_error(server, browser):
    b = browser
    b.get(server.url + "/login")
    b.find_element(By.ID, "email").send_keys("browser@test.example")
    b.find_element(By.ID, "password").send_keys("not the password")
    click_and_wait(b, By.CSS_SELECTOR, "form.stack button[type=submit]")
    assert "wrong email or password" in b.page_source


def test_account_language_setting_in_browser(server, browser):
    b = browser
    sign_in(b, server.url)
    Select(b.find_element(By.ID, "lang")).select_by_value("nl")
    click_and_wait(b, By.CSS_SELECTOR, "form.stack button[type=submit]")
    assert html_lang(b) == "nl"
    assert "Uw wijzigingen zijn opgeslagen." in b.page_source
    click_and_wait(b, By.CSS_SELECTOR, ".signout button")
