"""axe-core (WCAG 2.1 A and AA) finds nothing on any step of answering a questionnaire: the
introduction, every page of the four questionnaires, errors, saving and resuming, thanks,
deleting, a closed questionnaire, and the kiosk."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.answering import (
    NEXT,
    SAVE,
    SLUGS,
    START,
    answer_pages,
    complete,
    deletion_code,
    fill_page,
    load_questionnaires,
    open_intro,
    page_url,
    plan,
    tap_choice,
)
from tests.browser.conftest import PHONE
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

KIOSK = "logement"  # one of the four is answered on a kiosk: its thank-you page is the kiosk's


@pytest.fixture(scope="module", autouse=True)
def questionnaires(database_url):
    load_questionnaires(database_url)


@pytest.fixture
def check(axe_check):
    """axe-core, and two things it does not see on a phone: nothing wider than the screen
    (WCAG 1.4.10), and radio buttons and check boxes that keep their size when a long
    label wraps (they are what a trembling finger has to hit)."""

    def run(page):
        axe_check(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px"
        sizes = page.locator(".choice input").evaluate_all(
            "els => els.map(e => Math.min(e.offsetWidth, e.offsetHeight))"
        )
        assert min(sizes, default=22) >= 22, f"{page.url}: a control shrank to {min(sizes)}px"

    return run


@pytest.mark.parametrize("slug", SLUGS)
def test_every_step_of_each_questionnaire(page, live_server, database_url, check, slug):
    person = plan(database_url, slug, seed=7)
    if slug == KIOSK:
        sign_in(page, live_server, database_url, role="facilitator")
        page.goto(f"{live_server}/k/{slug}")
        check(page)
        page.get_by_role("button", name="Démarrer la tablette partagée").click()
    open_intro(page, live_server, slug)
    check(page)
    page.locator(START).click()
    answer_pages(page, live_server, person, javascript=True, on_page=lambda p, _: check(p))
    expect(page).to_have_url(f"{live_server}/s/{slug}/merci")
    if slug == KIOSK:
        expect(page.locator(f"main a.button[href$='/s/{slug}']")).to_be_visible()
    else:
        deletion_code(page)
    check(page)


def test_pages_with_errors(page, live_server, database_url, check):
    person = plan(database_url, "mobilite", seed=3)
    open_intro(page, live_server, person.slug)
    page.locator(START).click()
    page.locator(NEXT).click()  # the place is required
    expect(page.locator(".error-summary")).to_be_focused()
    check(page)
    expect(page.locator("#commune-q")).to_have_attribute("role", "combobox")  # script has run
    page.locator("#commune-q").press_sequentially("ch")  # the type-ahead's suggestions open
    page.locator("#commune-q").press("ArrowDown")
    expect(page.locator("#commune-q-listbox")).to_be_visible()
    check(page)

    fill_page(page, person.pages[0], person.answers, javascript=True)
    page.locator(NEXT).click()
    expect(page).to_have_url(page_url(live_server, person.slug, "travel"))
    tap_choice(page, "transport_modes", "bus")
    tap_choice(page, "transport_modes", "none")  # « I hardly go out » with the bus
    tap_choice(page, "transport_modes", "other")  # and « other » without saying what
    page.locator(NEXT).click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#q-transport_modes .error-message")).to_be_visible()
    check(page)


def test_pages_without_javascript(page, live_server, database_url, check):
    """The pages as they are without JavaScript: site.js is blocked (axe-core itself needs
    JavaScript, so the context keeps it; see test_accessibility.py)."""
    page.route("**/static/js/**", lambda route: route.abort())
    slug = "sante-lien-social"
    open_intro(page, live_server, slug)
    check(page)
    page.locator(START).click()
    expect(page.locator("select#commune")).to_be_visible()  # not enhanced: no script ran
    check(page)
    page.locator(NEXT).click()
    expect(page.locator(".error-summary")).to_be_visible()
    check(page)


def test_saving_and_resuming(page, live_server, database_url, check):
    person = plan(database_url, "freins-emploi", seed=4)
    open_intro(page, live_server, person.slug)
    page.locator(START).click()
    fill_page(page, person.pages[0], person.answers, javascript=True)
    page.locator(SAVE).click()
    expect(page.locator("h1")).to_have_text("Vos réponses sont enregistrées")
    check(page)

    page.goto(f"{live_server}/s/{person.slug}/reprendre")
    check(page)
    page.locator("#code").fill("ABCDE-FGHJK")  # well formed, unknown
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#code-error")).to_be_visible()
    check(page)
    # An old link with a code opens the form, which asks for the code to be typed.
    response = page.goto(f"{live_server}/s/{person.slug}/reprendre/ABCDE-FGHJK")
    assert response.status == 200 and page.url.endswith(f"/s/{person.slug}/reprendre")
    expect(page.locator(".flashes")).to_be_visible()
    check(page)


def test_deleting_answers(page, live_server, database_url, check):
    person = plan(database_url, "freins-emploi", seed=5)
    complete(page, live_server, person, javascript=True)
    code = deletion_code(page)
    page.locator(f"main a[href$='/s/{person.slug}/supprimer']").click()
    check(page)
    page.locator("#code").fill("ABCDE-FGHJK")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#code-error")).to_be_visible()
    check(page)
    page.locator("#code").fill(code)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Effacer vos réponses ?")  # the confirmation
    check(page)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#code")).to_have_count(0)
    expect(page.locator("main form")).to_have_count(0)
    check(page)


@pytest.mark.parametrize("when", ["closed", "not_yet"])
def test_a_closed_questionnaire(page, live_server, database_url, check, monkeypatch, when):
    """The live server runs in this process: its idea of today can be moved."""
    import app.surveys.queries as queries

    person = plan(database_url, "mobilite", seed=1)
    definition = person.definition
    day = definition.closes + timedelta(days=1) if when == "closed" else definition.opens
    if when == "not_yet":
        day -= timedelta(days=1)
    assert isinstance(day, date)
    monkeypatch.setattr(queries, "today", lambda: day)
    response = page.goto(f"{live_server}/s/{person.slug}")
    assert response.status == 410
    expect(page.locator(START)).to_have_count(0)
    check(page)
