"""Logging in on a phone, with and without JavaScript, and with the keyboard only."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import create_account, tab_to

pytestmark = pytest.mark.browser

with_and_without_javascript = pytest.mark.parametrize(
    "javascript", [True, False], ids=["js", "nojs"]
)


def phone(request, javascript: bool):
    return request.getfixturevalue("page" if javascript else "page_nojs")


@pytest.fixture
def account(database_url):
    return create_account(database_url, role="facilitator")


@with_and_without_javascript
def test_wrong_password_shows_the_error_and_keeps_the_email(
    request, javascript, live_server, account
):
    page = phone(request, javascript)
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
    expect(page.locator("#password")).to_have_value("")  # a password is never sent back
    assert page.url == live_server + "/connexion"
    if javascript:
        expect(summary).to_be_focused()  # site.js takes keyboard users to the problems
    # Still anonymous: the menu offers to log in, not the account page.
    expect(page.locator("nav a[href='/connexion']")).to_be_visible()
    expect(page.locator("nav a[href='/compte']")).to_have_count(0)


@with_and_without_javascript
def test_correct_login_lands_on_the_account_page(request, javascript, live_server, account):
    page = phone(request, javascript)
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
