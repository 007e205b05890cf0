"""A shared tablet in a real browser (390×844, touch): the idle warning, « I am still here »,
the fresh start after the delay, and « New person » on every page. The browser's clock is
moved by hand; the server's idle clock is real (and far from its delay)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.answering import NEXT, START, load_questionnaires
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser
SLUG = "sante-lien-social"


def set_up(page, live_server, database_url):
    sign_in(page, live_server, database_url, role="facilitator")
    page.goto(f"{live_server}/k/{SLUG}")
    page.get_by_role("button", name="Démarrer la tablette partagée").click()
    expect(page).to_have_url(f"{live_server}/s/{SLUG}")
    # The chrome is locked: no site menu, no « Log in », only « New person ».
    expect(page.get_by_role("navigation", name="Menu principal")).to_have_count(0)
    expect(page.get_by_role("link", name="Se connecter")).to_have_count(0)
    expect(page.get_by_role("button", name="Nouvelle personne")).to_be_visible()


def first_choice(page):
    page.locator(START).click()
    expect(page).to_have_url(re.compile(rf"/s/{SLUG}/p/"))
    choice = page.locator("main input[type=radio]").first
    choice.check()
    return choice


def test_the_idle_tablet_warns_then_starts_afresh(page, live_server, database_url, axe_check):
    load_questionnaires(database_url)
    page.clock.install()
    set_up(page, live_server, database_url)
    axe_check(page)  # the locked chrome
    choice = first_choice(page)
    warning = page.get_by_role("dialog", name="Vous êtes toujours là ?")
    expect(warning).to_be_hidden()
    page.clock.fast_forward("02:31")  # 180 s delay, warned 30 s before
    expect(warning).to_be_visible()
    axe_check(page)
    warning.get_by_role("button", name="Je suis toujours là").click()
    expect(warning).to_be_hidden()
    expect(choice).to_be_checked()  # the person goes on with their answers

    page.clock.fast_forward("02:31")
    expect(warning).to_be_visible()
    page.clock.fast_forward("00:30")  # nobody answered the warning
    expect(page).to_have_url(f"{live_server}/s/{SLUG}")
    expect(page.get_by_role("button", name="Nouvelle personne")).to_be_visible()
    page.locator(START).click()
    expect(page.locator("main input:checked")).to_have_count(0)
    page.go_back()
    page.go_back()
    expect(page.locator("main input:checked")).to_have_count(0)


@pytest.mark.parametrize("javascript", [True, False])
def test_new_person_forgets_the_answers_at_once(
    page, page_nojs, live_server, database_url, javascript
):
    page = page if javascript else page_nojs
    load_questionnaires(database_url)
    set_up(page, live_server, database_url)
    first_choice(page)
    page.locator(NEXT).click()  # refused (a required answer missing) or on: either way, sent
    page.get_by_role("button", name="Nouvelle personne").click()
    expect(page).to_have_url(f"{live_server}/s/{SLUG}")
    page.locator(START).click()
    expect(page.locator("main input:checked")).to_have_count(0)
    # Back, as far as it goes: never the previous person's answers.
    for _ in range(4):
        page.go_back()
        expect(page.locator("main input:checked")).to_have_count(0)
    expect(page).to_have_url(f"{live_server}/s/{SLUG}")  # the first person's introduction
    page.locator(START).click()  # its start opens a fresh response, not theirs
    expect(page.locator("main input:checked")).to_have_count(0)


def test_a_tablet_woken_after_the_delay_starts_afresh(page, live_server, database_url):
    """Asleep, a tablet's timers stand still: on waking long after the delay, the previous
    person's page must not stay on screen behind « I am still here »."""
    load_questionnaires(database_url)
    page.clock.install()
    set_up(page, live_server, database_url)
    first_choice(page)
    page.clock.set_system_time(page.evaluate("Date.now()") + 10 * 60 * 1000)  # no timer ran
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(page).to_have_url(f"{live_server}/s/{SLUG}")
    page.locator(START).click()
    expect(page.locator("main input:checked")).to_have_count(0)
