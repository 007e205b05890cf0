"""The shell of every page, on a phone, with and without JavaScript."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390


@pytest.fixture(params=["js", "nojs"])
def any_page(request):
    """The phone with JavaScript, then without."""
    return request.getfixturevalue("page" if request.param == "js" else "page_nojs")


def test_home_page_on_a_phone(any_page, live_server):
    response = any_page.goto(live_server + "/")
    assert response.status == 200
    expect(any_page.locator("html")).to_have_attribute("lang", "fr")
    expect(any_page.locator("h1")).to_have_count(1)
    expect(any_page.locator("h1")).to_be_visible()
    expect(any_page.locator("h1")).not_to_be_empty()
    # The communes lead to their pages.
    expect(any_page.locator("a[href='/territoire/93014']").first).to_be_visible()
    scroll_width = any_page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE_WIDTH, f"the page scrolls sideways: {scroll_width}px wide"


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(any_page, live_server):
    any_page.goto(live_server + "/")
    any_page.keyboard.press("Tab")
    skip = any_page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # shown when focused, for sighted keyboard users
    assert skip.get_attribute("href") == "#main"
    any_page.keyboard.press("Enter")
    expect(any_page.locator("main#main")).to_be_focused()
    assert any_page.url.endswith("/#main")
    # The next Tab continues inside the page, not back at the header.
    any_page.keyboard.press("Tab")
    inside_main = any_page.evaluate(
        "document.querySelector('main').contains(document.activeElement)"
    )
    assert inside_main


def test_language_switch_to_dutch(any_page, live_server):
    any_page.goto(live_server + "/territoire/")
    dutch = any_page.get_by_role("button", name="Nederlands")
    expect(dutch).to_have_attribute("aria-pressed", "false")
    dutch.click()
    any_page.wait_for_url(live_server + "/territoire/")  # back on the same page
    expect(any_page.locator("html")).to_have_attribute("lang", "nl")
    expect(any_page.get_by_role("button", name="Nederlands")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(any_page.get_by_role("button", name="Français")).to_have_attribute(
        "aria-pressed", "false"
    )
    # The choice is kept for the next page.
    any_page.goto(live_server + "/")
    expect(any_page.locator("html")).to_have_attribute("lang", "nl")


def test_unknown_address_shows_the_404_page(any_page, live_server):
    response = any_page.goto(live_server + "/cette-page-n-existe-pas")
    assert response.status == 404
    expect(any_page.locator("h1")).to_be_visible()
    expect(any_page.locator("main a[href='/']")).to_be_visible()
    expect(any_page.locator("html")).to_have_attribute("lang", "fr")


@pytest.mark.parametrize(
    "path",
    ["/territoire/", "/territoire/?place-q=5660", "/territoire/93014", "/connexion", "/nulle-part"],
)
def test_other_pages_fit_the_phone_width(page_nojs, live_server, path):
    page_nojs.goto(live_server + path)
    expect(page_nojs.locator("h1")).to_be_visible()
    scroll_width = page_nojs.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE_WIDTH, f"{path} scrolls sideways: {scroll_width}px wide"
