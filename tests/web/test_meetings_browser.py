"""In a real browser: create a meeting through the form (no JavaScript in
the page), then see it listed and offered as an iCalendar file."""
import datetime

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_browser import click_and_wait, sign_in


def test_create_meeting_with_the_form(server, browser):
    b = browser
    sign_in(b, server.url)
    b.get(server.url + "/meetings/new")
    assert b.find_element(By.TAG_NAME, "h1").text == "New meeting"
    # The organisation of the signed-in organiser is ticked already.
    assert b.find_element(By.NAME, "org-st-philips-centre").is_selected()
    b.find_element(By.NAME, "org-leicestershire-police").click()
    b.find_element(By.ID, "title").send_keys("Browser-made interfaith forum")
    Select(b.find_element(By.ID, "area")).select_by_value("belgrave")
    day = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    # datetime-local inputs: set the value the way a date picker would.
    for field, time in [("start", "18:30"), ("end", "20:00")]:
        b.execute_script("arguments[0].value = arguments[1]", b.find_element(By.ID, field),
                         f"{day}T{time}")
    Select(b.find_element(By.ID, "tz")).select_by_value("Europe/London")
    b.find_element(By.ID, "place").send_keys("St Philip's Centre, Leicester")
    b.find_element(By.ID, "agenda").send_keys("1. Welcome\n2. Festival safety")
    click_and_wait(b, By.CSS_SELECTOR, "form.meeting-form button[type=submit]")
    assert "saved=1" in b.current_url
    assert b.find_element(By.TAG_NAME, "h1").text == "Browser-made interfaith forum"
    assert "Your changes are saved." in b.page_source
    assert f"{day} 18:30" in b.find_element(By.CSS_SELECTOR, "dl.facts").text
    assert b.find_element(By.LINK_TEXT, "Add to your calendar (iCalendar)").get_attribute("href").endswith(".ics")
    b.get(server.url + "/meetings?area=belgrave")
    assert "Browser-made interfaith forum" in b.page_source
