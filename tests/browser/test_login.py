"""Logging in on a phone, with and without JavaScript, and with the keyboard only."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import create_account, tab_to

pytestmark = pytest.mark.browser


@pytest.fixture(params=["js", "nojs"])
def any_page(request):
    """The phone with JavaScript, then without."""
    return request.getfixturevalue("page" if request.param == "js" else "page_nojs")


def page_has_javascript(page) -> bool:
    return page.context._options.get("javaScriptEnabled", True)


@pytest.fixture
def account(database_url):
    return create_account(database_url, role="facilitator")


def test_wrong_password_shows_the_error_and_keeps_the_email(any_page, live_server, account):
    page = any_page
    page.goto(live_server + "/connexion")
    page.locator("#email").fill(account.email)
    page.locator("#password").fill("not the password")
    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").click()
    assert navigation.value.status == 400

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("a[href='#password']")).to_be_visible()
    expect(page.locator("#password-error")).to_be_visible()
    expect(page.locator("#password")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#password")).to_have_attribute("aria-describedby", "password-error")
    expect(page.locator("#email")).to_have_value(account.email)
    expect(page.locator("#password")).to_have_value("")  # never sent back
    assert page.url == live_server + "/connexion"
    if any_page.context is not None and page_has_javascript(page):
        expect(summary).to_be_focused()  # site.js takes keyboard users to the problems
    # Still anonymous: the menu offers to log in, not the account page.
    expect(page.locator("nav a[href='/compte']")).to_have_count(0)


def test_correct_login_lands_on_the_account_page(any_page, live_server, account):
    page = any_page
    page.goto(live_server + "/connexion")
    page.locator("#email").fill(account.email)
    page.locator("#password").fill(account.password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server + "/compte")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("main")).to_contain_text(account.email)
    expect(page.locator("nav a[href='/compte']")).to_have_attribute("aria-current", "page")
    expect(page.locator("nav a[href='/connexion']")).to_have_count(0)


def test_keyboard_only_login(page, live_server, account):
    page.goto(live_server + "/connexion")
    tab_to(page, "#email")
    page.keyboard.type(account.email)
    page.keyboard.press("Tab")
    expect(page.locator("#password")).to_be_focused()
    page.keyboard.type(account.password)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server + "/compte")
    expect(page.locator("main")).to_contain_text(account.email)
