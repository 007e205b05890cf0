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
    # No suggestion (« Elsewhere » and « I prefer not to say » are the radios in view, not
    # suggestions), and the live region tells screen-reader users.
    expect(page.get_by_role("option")).to_have_count(0)
    expect(page.locator(".combo [aria-live=polite]")).to_contain_text("Aucun lieu trouvé")


# Without JavaScript: a text box and a grouped select.


def test_without_javascript_a_shared_postcode_offers_the_villages(page_nojs, live_server):
    page = page_nojs
    page.goto(live_server + "/territoire/")
    expect(page.locator("#place")).to_be_visible()
    page.locator("#place-q").fill("5660")
    find_button(page).click()

    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".place-picker .error-message")).to_contain_text("5660")
    radios = page.locator("fieldset.choices input[type=radio][name=place]")
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
    expect(page.locator("fieldset.choices input[type=radio]")).to_have_count(0)  # none offered
    # The summary links to the text box.
    summary_link = page.locator(".error-summary a[href='#place-q']")
    expect(summary_link).to_be_visible()
    if fixture == "page":
        expect(page.locator(".error-summary")).to_be_focused()


# The picker forgives (issue 16): a typo, a namesake, and the answers that are not a place.


def test_a_typo_in_the_type_ahead_still_suggests_the_place(page, live_server):
    assert page.viewport_size == {"width": 390, "height": 844}
    page.goto(live_server + "/territoire/")
    box = page.get_by_role("combobox")
    box.press_sequentially("Philipeville")
    options = page.get_by_role("listbox").get_by_role("option")
    expect(options.first).to_contain_text("Philippeville")
    expect(page.locator(".combo [aria-live=polite]")).not_to_contain_text("Aucun lieu")
    # the commune, then every one of its villages (someone from Fagnolle finds it too)
    listed = page.locator("#place optgroup[label=Philippeville] option")
    expect(options).to_have_count(listed.count())
    expect(options.filter(has_text="Fagnolle")).to_have_count(1)
    options.first.tap()
    expect(page.locator("#place")).to_have_value("c:93056")
    find_button(page).tap()
    page.wait_for_url(live_server + "/territoire/93056")
    expect(page.locator("h1")).to_have_text("Philippeville")


@pytest.mark.parametrize("fixture", ["page", "page_nojs"])
def test_a_typo_sent_as_typed_finds_the_place(request, fixture, live_server):
    page = request.getfixturevalue(fixture)
    page.goto(live_server + "/territoire/")
    page.locator("#place-q").fill("Mariembour 5660")
    page.locator("#place-q").press("Escape")  # the suggestions closed: sent as typed
    find_button(page).tap()
    page.wait_for_url(live_server + "/territoire/93014#93014P")
    expect(page.locator("tr[id='93014P']")).to_contain_text("Mariembourg")


def test_a_commune_that_is_also_a_village_is_taken_without_an_error(page, live_server):
    page.goto(live_server + "/territoire/")
    page.locator("#place-q").fill("Couvin")
    page.locator("#place-q").press("Escape")
    find_button(page).tap()
    page.wait_for_url(live_server + "/territoire/93014")
    expect(page.locator("h1")).to_have_text("Couvin")
    expect(page.locator(".error-message")).to_have_count(0)


@pytest.mark.parametrize("fixture", ["page", "page_nojs"])
def test_elsewhere_and_prefer_not_to_say_stay_in_view(request, fixture, live_server):
    page = request.getfixturevalue(fixture)
    page.goto(live_server + "/territoire/")
    elsewhere = page.get_by_role("radio", name="Ailleurs (hors de ces communes)")
    undisclosed = page.get_by_role("radio", name="Je préfère ne pas le dire")
    expect(elsewhere).to_be_visible()
    expect(undisclosed).to_be_visible()
    page.locator("#place-q").press_sequentially("phil")  # typing hides neither
    expect(elsewhere).to_be_visible()
    expect(undisclosed).to_be_visible()
    page.locator("#place-q").press("Escape")
    undisclosed.check()
    if fixture == "page":  # one answer at a time: the list follows, the text box empties
        expect(page.locator("#place")).to_have_value("undisclosed")
        expect(page.locator("#place-q")).to_have_value("")
    else:
        page.locator("#place-q").fill("")
    find_button(page).tap()
    page.wait_for_url(re.compile(r"/territoire/\?"))
    expect(page.locator(".notice")).to_be_visible()
    expect(page.locator(".error-message")).to_have_count(0)
    expect(page.get_by_role("radio", name="Je préfère ne pas le dire")).to_be_checked()


def test_choosing_a_place_after_elsewhere_unticks_it(page, live_server):
    page.goto(live_server + "/territoire/")
    elsewhere = page.get_by_role("radio", name="Ailleurs (hors de ces communes)")
    elsewhere.check()
    box = page.get_by_role("combobox")
    box.press_sequentially("barb")
    expect(elsewhere).not_to_be_checked()
    page.get_by_role("listbox").get_by_role("option").first.tap()
    expect(page.locator("#place")).to_have_value("s:56005B")
    expect(elsewhere).not_to_be_checked()
