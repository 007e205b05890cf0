"""The « where do you live » picker on /territoire/, with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import tab_to

pytestmark = pytest.mark.browser


def find_button(page):
    return page.locator("main form button[type=submit]")


# With JavaScript: the text box is a combobox over the places.


def test_type_ahead_then_arrow_and_enter_choose_a_village(page, live_server):
    page.goto(live_server + "/territoire/")
    box = page.get_by_role("combobox")
    expect(box).to_have_attribute("id", "place-q")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#place")).to_be_hidden()  # the select is replaced, not removed

    box.press_sequentially("barb")
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options.first).to_contain_text("Barbençon")
    expect(options.first).to_contain_text("Beaumont")  # the commune, to tell villages apart

    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    box.press("Enter")
    expect(listbox).to_be_hidden()
    expect(box).to_have_value(re.compile(r"^Barbençon"))
    expect(page.locator("#place")).to_have_value("s:56005B")
    assert page.url == live_server + "/territoire/"  # Enter chose; it did not submit

    find_button(page).click()
    page.wait_for_url(live_server + "/territoire/56005#56005B")
    expect(page.locator("h1")).to_have_text("Beaumont")
    expect(page.locator("tr[id='56005B']")).to_contain_text("Barbençon")


def test_keyboard_only_path_through_the_picker(page, live_server):
    page.goto(live_server + "/territoire/")
    tab_to(page, "#place-q")
    page.keyboard.type("barb")
    expect(page.get_by_role("listbox")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # chooses the highlighted village
    expect(page.locator("#place")).to_have_value("s:56005B")
    page.keyboard.press("Enter")  # submits the form
    page.wait_for_url(live_server + "/territoire/56005#56005B")
    expect(page.locator("h1")).to_have_text("Beaumont")


def test_typing_something_unknown_says_nothing_was_found(page, live_server):
    page.goto(live_server + "/territoire/")
    page.get_by_role("combobox").press_sequentially("xyzzy")
    # Only the « other answers » remain, and the live region tells screen-reader users.
    options = page.get_by_role("option")
    expect(options).to_have_count(2)
    expect(page.locator(".combo [aria-live=polite]")).not_to_be_empty()


# Without JavaScript: a text box and a grouped select.


def test_without_javascript_a_shared_postcode_offers_the_villages(page_nojs, live_server):
    page = page_nojs
    page.goto(live_server + "/territoire/")
    expect(page.locator("#place")).to_be_visible()
    page.locator("#place-q").fill("5660")
    find_button(page).click()

    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".place-picker .error-message")).to_contain_text("5660")
    radios = page.locator("input[type=radio][name=place]")
    expect(radios).to_have_count(14)
    expect(page.locator("#place-q")).to_have_value("5660")

    page.get_by_role("radio", name=re.compile("Mariembourg")).check()
    find_button(page).click()
    page.wait_for_url(live_server + "/territoire/93014#93014P")
    expect(page.locator("h1")).to_have_text("Couvin")
    expect(page.locator("tr[id='93014P']")).to_contain_text("Mariembourg")


def test_without_javascript_choose_from_the_grouped_select(page_nojs, live_server):
    page = page_nojs
    page.goto(live_server + "/territoire/")
    select = page.locator("select#place")
    expect(select.locator("optgroup[label='Chimay']")).to_have_count(1)
    select.select_option("c:56016")
    find_button(page).click()
    page.wait_for_url(live_server + "/territoire/56016")
    expect(page.locator("h1")).to_have_text("Chimay")


def test_without_javascript_a_village_from_the_select_goes_to_its_row(page_nojs, live_server):
    page = page_nojs
    page.goto(live_server + "/territoire/")
    page.locator("select#place").select_option(label="Barbençon (6500)")
    find_button(page).click()
    page.wait_for_url(live_server + "/territoire/56005#56005B")
    expect(page.locator("h1")).to_have_text("Beaumont")


@pytest.mark.parametrize("fixture", ["page_nojs", "page"])
def test_unknown_postcode_shows_an_error_and_keeps_the_text(request, fixture, live_server):
    page = request.getfixturevalue(fixture)
    page.goto(live_server + "/territoire/")
    page.locator("#place-q").fill("9999")
    if fixture == "page":
        page.locator("#place-q").press("Escape")  # close the suggestions
    find_button(page).click()
    page.wait_for_url(re.compile(r"/territoire/\?"))

    message = page.locator(".place-picker .error-message")
    expect(message).to_be_visible()
    expect(message).to_contain_text("9999")
    expect(page.locator("#place-q")).to_have_value("9999")
    expect(page.locator("#place-q")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("input[type=radio]")).to_have_count(0)
    # The summary links to the text box.
    summary_link = page.locator(".error-summary a[href='#place-q']")
    expect(summary_link).to_be_visible()
    if fixture == "page":
        expect(page.locator(".error-summary")).to_be_focused()
