"""In a real browser: report an incident with the form (no account, no map,
no JavaScript needed), open the receipt, answer, change the consent; the
statistics page shows its chart."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_browser import click_and_wait


def test_report_and_follow_the_receipt(server, browser):
    b = browser
    b.get(server.url + "/")
    click_and_wait(b, By.LINK_TEXT, "Report")
    assert b.find_element(By.TAG_NAME, "h1").text == "Report an incident or a concern"
    b.find_element(By.ID, "cat-hate_crime").click()
    b.find_element(By.ID, "strand-religion").click()
    b.find_element(By.ID, "description").send_keys(
        "Someone threw eggs at the gurdwara door and shouted insults.")
    date = b.find_element(By.ID, "date")
    b.execute_script("arguments[0].value = '2025-04-12'", date)  # locale-proof
    Select(b.find_element(By.ID, "area")).select_by_value("belgrave")
    b.find_element(By.ID, "consent-anonymous").click()
    b.find_element(By.ID, "email").send_keys("browser.reporter@example.org")
    click_and_wait(b, By.CSS_SELECTOR, "form button[type=submit]")
    assert b.find_element(By.TAG_NAME, "h1").text == "Your report has been sent"
    b.save_screenshot("/tmp/consent-report-filed.png")
    click_and_wait(b, By.LINK_TEXT, "Open your receipt")
    assert "/r/" in b.current_url
    assert "gurdwara" in b.page_source and "never your name" in b.page_source
    b.find_element(By.ID, "body").send_keys("It happens every Sunday.")
    click_and_wait(b, By.XPATH, "//form[contains(@action, '/reply')]//button")
    assert "Your message is sent." in b.page_source
    assert "It happens every Sunday." in b.page_source
    b.find_element(By.ID, "consent-statistics").click()
    click_and_wait(b, By.XPATH, "//form[contains(@action, '/consent')]//button")
    assert "Your choice is saved." in b.page_source
    assert b.find_element(By.ID, "consent-statistics").is_selected()
    b.save_screenshot("/tmp/consent-receipt.png")


def test_statistics_chart(server, browser):
    b = browser
    b.get(server.url + "/stats?lang=nl")
    svg = b.find_element(By.CSS_SELECTOR, "figure svg")
    assert svg.get_attribute("role") == "img"
    assert svg.size["width"] > 100
    assert b.find_element(By.TAG_NAME, "h1").text == "Meldingen in cijfers"
    b.save_screenshot("/tmp/consent-stats.png")
