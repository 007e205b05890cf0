"""axe-core (WCAG 2.1 A and AA) finds nothing on any page, in the states people meet."""

import pytest
from playwright.sync_api import expect

from tests.browser.answering import load_questionnaires
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    "/",
    "/territoire/",
    "/territoire/?place-q=5660",  # several villages: error, summary and radio buttons
    "/territoire/?place-q=9999",  # unknown postcode: error
    "/territoire/93014",
    "/connexion",
    "/questionnaires",
]


@pytest.fixture(scope="module", autouse=True)
def questionnaires(database_url):
    """The real questionnaires, so that the home page and /questionnaires list them."""
    load_questionnaires(database_url)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_with_javascript(page, live_server, axe_check, path):
    response = page.goto(live_server + path)
    assert response.status == 200
    expect(page.locator("h1")).to_be_visible()
    axe_check(page)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/questionnaires",
        "/territoire/",
        "/territoire/?place-q=5660",
        "/territoire/?place-q=9999",
    ],
)
def test_public_page_without_javascript(page, live_server, axe_check, path):
    """The page as it is without JavaScript.

    axe-core is itself JavaScript, and Playwright cannot evaluate anything in a context with
    JavaScript turned off (page_nojs), so the page's own script is blocked instead: site.js is
    the only script the pages load, and they have no <noscript> content.
    """
    page.route("**/static/js/**", lambda route: route.abort())
    response = page.goto(live_server + path)
    assert response.status == 200
    expect(page.locator("h1")).to_be_visible()
    if path.startswith("/territoire/"):
        expect(page.locator("select#place")).to_be_visible()  # not enhanced: no script ran
        expect(page.locator("#place-q")).not_to_have_attribute("role", "combobox")
    axe_check(page)


def test_picker_with_its_suggestions_open(page, live_server, axe_check):
    page.goto(live_server + "/territoire/")
    page.get_by_role("combobox").press_sequentially("ch")
    page.get_by_role("combobox").press("ArrowDown")
    expect(page.get_by_role("listbox")).to_be_visible()
    axe_check(page)


def test_login_page_after_a_failed_login(page, live_server, axe_check):
    page.goto(live_server + "/connexion")
    page.locator("#email").fill("nobody-browser@example.be")
    page.locator("#password").fill("not the password")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    axe_check(page)


def test_account_page(page, live_server, database_url, axe_check):
    account = sign_in(page, live_server, database_url, role="facilitator")
    response = page.goto(live_server + "/compte")
    assert response.status == 200
    expect(page.locator("main")).to_contain_text(account.email)
    expect(page.locator("#place-q")).to_have_attribute("role", "combobox")  # picker, enhanced
    axe_check(page)


def test_account_page_with_errors(page, live_server, database_url, axe_check):
    sign_in(page, live_server, database_url, role="facilitator")
    page.goto(live_server + "/compte")
    page.locator("#display_name").fill("")
    page.locator("#place-q").fill("9999")
    page.locator("#place-q").press("Escape")
    page.locator("main form").first.locator("button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    axe_check(page)


def test_admin_accounts_page(page, live_server, database_url, axe_check):
    account = sign_in(page, live_server, database_url, role="admin")
    response = page.goto(live_server + "/admin/utilisateurs")
    assert response.status == 200
    expect(page.locator("table")).to_contain_text(account.email)
    axe_check(page)


def test_not_found_page(page, live_server, axe_check):
    response = page.goto(live_server + "/cette-page-n-existe-pas")
    assert response.status == 404
    expect(page.locator("h1")).to_be_visible()
    axe_check(page)


def test_the_check_itself_reports_a_violation(page, live_server, axe_check):
    """A canary: if axe-core silently stopped running, every test above would pass."""
    page.goto(live_server + "/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', "
        "'<input type=text id=canary>')"
    )
    with pytest.raises(AssertionError, match="label"):
        axe_check(page)
