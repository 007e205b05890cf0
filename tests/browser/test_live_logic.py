"""With JavaScript, a question revealed by an answer on the same page appears at once, and a
list filtered by an earlier answer follows it; without JavaScript both are simply shown."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def reach_travel_page(page, base):
    page.goto(f"{base}/s/every-type")
    page.locator("form[action$='/commencer'] button").click()
    page.fill("#commune-q", "Barbençon")
    # the picker's script is deferred: on a busy machine the box may be typed in before it runs
    expect(page.locator("#commune-q-listbox").get_by_role("option").first).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("select[name='commune']")).not_to_have_value("")
    page.get_by_label(re.compile("65 ans ou plus")).check()
    page.locator("input[name=has_car][value=yes]").check()
    page.locator("button[value=next]").click()
    page.wait_for_url(re.compile(r"/p/travel$"))


def test_same_page_conditions_follow_the_answers(page, live_server, survey):
    reach_travel_page(page, live_server)
    satisfaction = page.locator("#q-bus_satisfaction")
    main = page.locator("#q-main_transport")
    # expect() waits for the page's script (is_hidden() alone raced it on a busy machine)
    expect(satisfaction).to_be_hidden()
    expect(main).to_be_hidden()
    page.locator("input[name=transport][value=bus]").check()
    expect(satisfaction).to_be_visible()
    expect(main).to_be_visible()
    options = main.locator("option:not([hidden])").all_inner_texts()
    assert [o.strip() for o in options if o.strip() and "—" not in o] == ["En bus"]
    page.locator("input[name=transport][value=walk]").check()
    assert main.locator("option:not([hidden])").count() == 3  # « — Choisir — », bus, walk
    page.locator("input[name=transport][value=bus]").uncheck()
    expect(satisfaction).to_be_hidden()


def test_without_javascript_dependents_are_shown(page_nojs, live_server, survey):
    page_nojs.goto(f"{live_server}/s/every-type")
    page_nojs.locator("form[action$='/commencer'] button").click()
    page_nojs.locator("select[name=commune]").select_option("s:56005B")
    page_nojs.get_by_label(re.compile("65 ans ou plus")).check()
    page_nojs.locator("input[name=has_car][value=yes]").check()
    page_nojs.locator("button[value=next]").click()
    assert page_nojs.locator("#q-bus_satisfaction").is_visible()
    assert page_nojs.locator("#q-main_transport").is_visible()
