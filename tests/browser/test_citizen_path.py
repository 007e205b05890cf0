"""A citizen's whole path on a phone (390×844), with JavaScript and without: from the home page
to a questionnaire, through its pages to « thank you », then to the public results, by tapping
links only (no address typed after the home page). axe-core finds nothing on any page of it.

Without JavaScript, axe-core (itself a script) cannot run: the path is walked twice, once with
JavaScript off (as a person would), and once with the site's own script blocked, so that axe
can check the pages as they are without it (as tests/browser/test_accessibility.py does)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.answering import (
    NEXT,
    START,
    fill_page,
    load_questionnaires,
    page_url,
    plan,
)
from tests.browser.conftest import PHONE
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

SLUG = "mobilite"  # open, with public results
TITLE = "Se déplacer dans le Sud de l'Entre-Sambre-et-Meuse"


@pytest.fixture(scope="module", autouse=True)
def questionnaires(database_url):
    load_questionnaires(database_url)


def walk(phone, live_server, database_url, javascript: bool, check) -> None:
    person = plan(database_url, SLUG, seed=31 if javascript else 32)
    phone.goto(live_server + "/")  # the only address typed: the site's
    check(phone)
    phone.get_by_role("link", name=re.compile(rf"Répondre.*{re.escape(TITLE)}")).first.click()
    expect(phone).to_have_url(f"{live_server}/s/{SLUG}")
    expect(phone.locator("h1")).to_have_text(TITLE)
    check(phone)
    phone.locator(START).click()
    for page_def in person.pages:
        expect(phone).to_have_url(page_url(live_server, SLUG, page_def.id))
        expect(phone.locator("#progress-label")).to_have_text(
            f"Page {person.pages.index(page_def) + 1}"
        )
        fill_page(phone, page_def, person.answers, javascript)
        check(phone)
        phone.locator(NEXT).click()
    # The thanks come in the reply to the last page (its address may stay that page's).
    expect(phone.locator("h1")).to_have_text("Merci !")
    check(phone)
    phone.get_by_role("link", name="Voir ce que les gens ont répondu jusqu'ici").click()
    expect(phone).to_have_url(f"{live_server}/resultats/{SLUG}")
    expect(phone.locator("h1")).to_contain_text("Résultats")
    check(phone)
    phone.get_by_role("link", name="Accessibilité").click()  # the footer's link
    expect(phone).to_have_url(f"{live_server}/accessibilite")
    expect(phone.locator("h1")).to_have_text("Déclaration d'accessibilité")
    check(phone)


def fits(phone) -> None:
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{phone.url} scrolls sideways: {width}px"


def test_the_path_with_javascript(page, live_server, database_url, axe_check):
    def check(phone):
        fits(phone)
        axe_check(phone)

    walk(page, live_server, database_url, True, check)


def test_the_path_without_javascript(page_nojs, live_server, database_url):
    walk(page_nojs, live_server, database_url, False, lambda phone: None)


def test_the_pages_without_the_site_script_pass_axe(page, live_server, database_url, axe_check):
    page.route("**/static/js/**", lambda route: route.abort())

    def check(phone):
        fits(phone)
        axe_check(phone)

    walk(page, live_server, database_url, False, check)


def test_the_language_notice_passes_axe(browser, live_server, axe_check):
    context = browser.new_context(viewport=PHONE, locale="nl-BE", has_touch=True)
    phone = context.new_page()
    phone.goto(f"{live_server}/s/{SLUG}")
    notice = phone.locator(".language-notice")
    expect(notice).to_have_text("Deze vragenlijst bestaat alleen in het Frans.")
    expect(notice).to_have_attribute("lang", "nl")
    axe_check(phone)
    context.close()


def test_the_committee_reads_other_texts_on_an_accessible_page(
    page, live_server, database_url, axe_check
):
    sign_in(page, live_server, database_url, role="committee", two_factor=True)
    page.goto(f"{live_server}/analyse/{SLUG}/textes?question=occupation")
    expect(page.locator("#question")).to_have_value("occupation")
    expect(page.locator("#code")).to_have_count(0)  # read, not coded
    axe_check(page)
