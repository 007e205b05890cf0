"""What a phone says and shows while answering: the picker's spoken count in the singular and
the plural, the touch wording on a touch screen, and « Other, please specify » only when
« Other » is chosen (with JavaScript), or labelled for it (without)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.answering import START, load_questionnaires, open_intro, tap_choice
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

SLUG = "mobilite"  # its first page asks the occupation, with « Autre situation » to specify
LIVE = ".combo [aria-live=polite]"


@pytest.fixture(scope="module", autouse=True)
def questionnaires(database_url):
    load_questionnaires(database_url)


@pytest.fixture
def touch_phone(browser):
    """A phone whose screen is touched (a coarse pointer, as on a real phone)."""
    context = browser.new_context(
        viewport=PHONE, locale="fr-BE", has_touch=True, is_mobile=True, device_scale_factor=2
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def computer(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-BE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_one_place_found_is_said_in_the_singular(computer, live_server):
    computer.goto(live_server + "/territoire/")
    box = computer.get_by_role("combobox")
    box.press_sequentially("barbenç")  # Barbençon only
    expect(computer.locator(LIVE)).to_have_text(
        "1 lieu trouvé. Utilisez les flèches du clavier pour choisir."
    )
    box.fill("")
    box.press_sequentially("bea")  # Beaumont and more
    expect(computer.locator(LIVE)).to_have_text(
        re.compile(r"^([2-9]|\d\d+) lieux trouvés\. Utilisez les flèches")
    )


def test_a_touch_screen_is_told_to_touch(touch_phone, live_server):
    touch_phone.goto(live_server + "/territoire/")
    touch_phone.get_by_role("combobox").press_sequentially("barbenç")
    live = touch_phone.locator(LIVE)
    expect(live).to_have_text("1 lieu trouvé. Touchez un lieu de la liste pour le choisir.")
    assert "flèches" not in live.text_content() and "cliqu" not in live.text_content()


def start(page, live_server):
    open_intro(page, live_server, SLUG)
    page.locator(START).click()
    expect(page).to_have_url(f"{live_server}/s/{SLUG}/p/profile")


def test_with_javascript_the_other_box_shows_once_other_is_chosen(page, live_server):
    start(page, live_server)
    other = page.locator("[name='occupation-other']")
    expect(other).to_be_hidden()
    tap_choice(page, "occupation", "other")
    expect(other).to_be_visible()
    expect(page.get_by_label("Si « Autre situation »\u00a0: précisez")).to_be_visible()
    other.fill("Bénévole")
    tap_choice(page, "occupation", "retired")
    expect(other).to_be_hidden()
    expect(other).to_be_disabled()  # put aside: not sent with « pensionné(e) »


def test_without_javascript_the_other_box_says_what_it_is_for(page_nojs, live_server):
    start(page_nojs, live_server)
    box = page_nojs.get_by_label("Si « Autre situation »\u00a0: précisez")
    expect(box).to_be_visible()
    # A text without « Autre situation » is refused with a message, not lost without a word.
    tap_choice(page_nojs, "occupation", "retired")
    box.fill("Bénévole")
    page_nojs.locator("form.survey-form button[value=next]").click()
    expect(page_nojs.locator("#q-occupation .error-message")).to_contain_text(
        "sans choisir cette réponse"
    )
    expect(box).to_have_value("Bénévole")
