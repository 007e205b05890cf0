"""Answering a questionnaire on a phone, in a real browser: start to finish, with and without
JavaScript, stopping and resuming on another device, a double tap, the keyboard alone, a refused
page, deleting one's answers, and a shared kiosk tablet."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.answering import (
    BACK,
    CODE,
    NEXT,
    SAVE,
    SLUGS,
    START,
    answer_page_by_keyboard,
    answer_pages,
    complete,
    count_responses,
    deletion_code,
    double_tap,
    expect_filled,
    fill_page,
    load_questionnaires,
    open_intro,
    page_answers,
    page_url,
    plan,
    stored,
)
from tests.browser.conftest import PHONE
from tests.browser.helpers import sign_in, tab_to

pytestmark = pytest.mark.browser

# Seeds whose answers use every question type of the questionnaire and an « other » text.
SEEDS = {  # slug, javascript → seed
    ("mobilite", True): 31,  # « I prefer not to say », through the type-ahead
    ("mobilite", False): 3,
    ("freins-emploi", True): 32,  # « elsewhere », through the type-ahead
    ("freins-emploi", False): 21,
    ("logement", True): 13,
    ("logement", False): 0,
    ("sante-lien-social", True): 2,  # a whole commune
    ("sante-lien-social", False): 49,  # « elsewhere », from the list
}


@pytest.fixture(scope="module", autouse=True)
def questionnaires(database_url):
    load_questionnaires(database_url)


def phone(request, javascript: bool):
    return request.getfixturevalue("page" if javascript else "page_nojs")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("slug", SLUGS)
def test_each_questionnaire_answered_start_to_finish(
    request, live_server, database_url, slug, javascript
):
    page = phone(request, javascript)
    person = plan(database_url, slug, seed=SEEDS[slug, javascript])
    before = count_responses(database_url, slug)

    key = complete(page, live_server, person, javascript)

    deletion_code(page)
    assert count_responses(database_url, slug) == before + 1
    [response] = stored(database_url, key)
    assert response.submitted
    assert response.channel == "web"
    assert response.answers == person.answers


def test_save_then_resume_on_another_device(browser, page, live_server, database_url):
    person = plan(database_url, "mobilite", seed=2)
    before, here = person.pages[1], person.pages[2]
    key = open_intro(page, live_server, person.slug)
    page.locator(START).click()
    answer_pages(page, live_server, person, javascript=True, pages=person.pages[:2])
    fill_page(page, here, person.answers, javascript=True)
    page.locator(SAVE).click()

    expect(page.locator("h1")).to_have_text("Vos réponses sont enregistrées")
    code = page.locator("main .code").inner_text().strip()
    assert CODE.match(code), code
    # The address to type the code at; no link carries the code (it would be a key to plant).
    expect(page.locator(f"main a[href$='/s/{person.slug}/reprendre']")).to_be_visible()
    expect(page.locator(f"a[href*='{code}']")).to_have_count(0)
    expect(page).to_have_url(page_url(live_server, person.slug, here.id))  # reload: no code

    # Another phone: the person types the code as they wrote it down, in small letters.
    other = browser.new_context(viewport=PHONE, locale="fr-BE", has_touch=True)
    try:
        page = other.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live_server}/s/{person.slug}/reprendre")
        page.locator("#code").fill(code.lower().replace("-", " "))
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(page_url(live_server, person.slug, here.id))
        expect_filled(page, here, person.answers)
        page.locator(BACK).click()
        expect(page).to_have_url(page_url(live_server, person.slug, before.id))
        expect_filled(page, before, person.answers)
        page.locator(NEXT).click()
        answer_pages(page, live_server, person, javascript=True, pages=person.pages[2:])
        expect(page).to_have_url(f"{live_server}/s/{person.slug}/merci")
        deletion_code(page)
    finally:
        other.close()

    [response] = stored(database_url, key)
    assert response.submitted
    assert response.answers == person.answers


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_a_page_shown_again_keeps_the_place(request, live_server, database_url, javascript):
    page = phone(request, javascript)
    person = plan(database_url, "mobilite", seed=3)
    first = person.pages[0]
    open_intro(page, live_server, person.slug)
    page.locator(START).click()
    answer_pages(page, live_server, person, javascript, pages=[first])
    page.locator(BACK).click()
    expect(page).to_have_url(page_url(live_server, person.slug, first.id))
    place = person.answers["commune"].value
    expect(page.locator("select[name=commune]")).to_have_value(place, timeout=1000)
    expect_filled(page, first, person.answers)
    page.locator(NEXT).click()  # nothing to give again
    expect(page).to_have_url(page_url(live_server, person.slug, person.pages[1].id))


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_double_tap_on_start_and_on_send_makes_one_response(
    request, live_server, database_url, javascript
):
    page = phone(request, javascript)
    person = plan(database_url, "freins-emploi", seed=3)
    before = count_responses(database_url, person.slug)
    key = open_intro(page, live_server, person.slug)
    taps = 1 if javascript else 2  # site.js lets one through; without it, both go
    start = f"{live_server}/s/{person.slug}/commencer"
    assert double_tap(page, page.locator(START), start, both_sent=not javascript) == taps
    expect(page).to_have_url(page_url(live_server, person.slug, person.pages[0].id))
    answer_pages(page, live_server, person, javascript, pages=person.pages[:-1])
    last = person.pages[-1]
    fill_page(page, last, person.answers, javascript)

    send = page_url(live_server, person.slug, last.id)
    assert double_tap(page, page.locator(NEXT), send, both_sent=not javascript) == taps

    expect(page).not_to_have_url(page_url(live_server, person.slug, last.id))
    assert count_responses(database_url, person.slug) == before + 1
    [response] = stored(database_url, key)
    assert response.submitted
    assert response.answers == person.answers
    # The retry shows the thanks again; the deletion code was in the first answer, which the
    # browser dropped when it sent the second tap with the old cookie.
    expect(page).to_have_url(f"{live_server}/s/{person.slug}/merci")
    if javascript:
        deletion_code(page)


def test_keyboard_only_completion(page, live_server, database_url):
    person = plan(database_url, "mobilite", seed=13)
    key = open_intro(page, live_server, person.slug)
    tab_to(page, START)
    page.keyboard.press("Enter")
    for page_def in person.pages:
        expect(page).to_have_url(page_url(live_server, person.slug, page_def.id))
        answer_page_by_keyboard(page, page_def, person.answers)
    expect(page).to_have_url(f"{live_server}/s/{person.slug}/merci")
    deletion_code(page)
    [response] = stored(database_url, key)
    assert response.submitted
    assert response.answers == person.answers


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_a_refused_page_keeps_the_answers(request, live_server, database_url, javascript):
    page = phone(request, javascript)
    person = plan(database_url, "logement", seed=1)  # an « other » answer on its second page
    first = person.pages[0]
    open_intro(page, live_server, person.slug)
    page.locator(START).click()
    given = {k: v for k, v in person.answers.items() if k != "commune"}
    fill_page(page, first, given, javascript)  # everything but the required place
    page.locator(NEXT).click()

    expect(page).to_have_url(page_url(live_server, person.slug, first.id))
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("a[href='#q-commune']")).to_be_visible()
    if javascript:
        expect(summary).to_be_focused()
    # The message is next to the field, once, and the text box points to it.
    message = page.locator("#q-commune .error-message")
    expect(message).to_have_count(1)
    expect(message).to_be_visible()
    box = page.locator("#commune-q")
    expect(box).to_have_attribute("aria-invalid", "true")
    described = box.get_attribute("aria-describedby").split()
    assert message.get_attribute("id") in described
    expect_filled(page, first, given)

    # Once the place is given, the page goes through and keeps everything.
    fill_page(page, first, {"commune": person.answers["commune"]}, javascript)
    page.locator(NEXT).click()
    second = person.pages[1]
    expect(page).to_have_url(page_url(live_server, person.slug, second.id))

    # A choice question refused: « other » ticked without saying what.
    fill_page(page, second, person.answers, javascript)
    other = next(k for k in page_answers(second, person.answers) if k.endswith(":other"))
    question = other.removesuffix(":other")
    page.locator(f"[name='{question}-other']").fill("")
    page.locator(NEXT).click()
    expect(page).to_have_url(page_url(live_server, person.slug, second.id))
    message = page.locator(f"#q-{question} .error-message")
    expect(message).to_be_visible()
    described = page.locator(f"#q-{question} [aria-describedby]").first
    assert message.get_attribute("id") in described.get_attribute("aria-describedby").split()
    expect_filled(page, second, {k: v for k, v in person.answers.items() if k != other})
    page.locator(BACK).click()  # the first page was saved (the place: see the test above)
    expect_filled(page, first, given)


def test_the_deletion_code_deletes_the_answers(page_nojs, live_server, database_url):
    page = page_nojs
    person = plan(database_url, "freins-emploi", seed=1)
    key = complete(page, live_server, person, javascript=False)
    code = deletion_code(page)
    page.locator(f"main a[href$='/s/{person.slug}/supprimer']").click()

    page.locator("#code").fill("ABCDE-FGHJK")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#code-error")).to_be_visible()
    expect(page.locator("#code")).to_have_attribute("aria-describedby", "code-error")
    assert len(stored(database_url, key)) == 1

    page.locator("#code").fill(code)
    page.locator("main form button[type=submit]").click()
    # asked first: nothing is deleted until « Yes »
    expect(page.locator("h1")).to_have_text("Effacer vos réponses ?")
    assert len(stored(database_url, key)) == 1
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main form")).to_have_count(0)  # « Your answers are deleted »
    assert stored(database_url, key) == []


def test_kiosk_starts_afresh_for_the_next_person(page, live_server, database_url):
    person = plan(database_url, "sante-lien-social", seed=13)
    sign_in(page, live_server, database_url, role="facilitator")
    page.goto(f"{live_server}/k/{person.slug}")
    page.get_by_role("button", name="Démarrer la tablette partagée").click()
    expect(page).to_have_url(f"{live_server}/s/{person.slug}")
    key = page.locator("input[name=start_key]").input_value()
    page.locator(START).click()
    expect(page.locator(SAVE)).to_have_count(0)  # no code to carry away on a shared tablet
    answer_pages(page, live_server, person, javascript=True)

    expect(page).to_have_url(f"{live_server}/s/{person.slug}/merci")
    expect(page.locator("main .code")).to_have_count(0)
    following = page.locator(f"main a.button[href$='/s/{person.slug}']")
    expect(following).to_be_visible()
    following.click()

    expect(page).to_have_url(f"{live_server}/s/{person.slug}")
    assert page.locator("input[name=start_key]").input_value() != key
    expect(page.locator(".flashes")).to_have_count(0)
    # The browser's Back button finds nothing of the previous person either.
    page.go_back()
    expect(page).to_have_url(f"{live_server}/s/{person.slug}/merci")
    page.go_back()
    expect(page).to_have_url(f"{live_server}/s/{person.slug}")
    expect(page.locator("input:checked, textarea:not(:empty)")).to_have_count(0)
    for page_def in person.pages:  # the previous person's pages lead back to the introduction
        page.goto(page_url(live_server, person.slug, page_def.id))
        expect(page).to_have_url(f"{live_server}/s/{person.slug}")
        expect(page.locator("input:checked")).to_have_count(0)
    page.goto(f"{live_server}/s/{person.slug}/merci")
    expect(page.locator("main .code")).to_have_count(0)

    [response] = stored(database_url, key)
    assert response.submitted
    assert response.channel == "kiosk"
    assert response.answers == person.answers
    # The next person is still on the kiosk.
    page.goto(f"{live_server}/s/{person.slug}")
    page.locator(START).click()
    expect(page).to_have_url(re.compile(rf"/s/{person.slug}/p/"))
    expect(page.locator(SAVE)).to_have_count(0)


def test_the_qr_code_is_an_image_a_browser_draws(page, live_server):
    """An <img> of the QR code is drawn (an SVG without its namespace left it empty), and the
    file opened directly is an image, not XML text."""
    page.goto(live_server + "/")
    page.set_content(f'<img id="qr" alt="QR" src="{live_server}/s/{SLUGS[0]}/qr.svg">')
    image = page.locator("#qr")
    page.wait_for_function("document.getElementById('qr').complete")
    assert image.evaluate("i => i.naturalWidth") >= 200
    page.goto(f"{live_server}/s/{SLUGS[0]}/qr.svg")
    assert page.evaluate("document.documentElement.namespaceURI") == "http://www.w3.org/2000/svg"


@pytest.mark.parametrize("javascript", [True, False])
def test_from_the_home_page_to_a_questionnaire_without_typing_an_address(
    request, live_server, javascript
):
    phone = request.getfixturevalue("page" if javascript else "page_nojs")
    phone.goto(live_server + "/")
    answer = phone.locator("a.button.answer").first
    expect(answer).to_be_visible()
    box = answer.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300  # a large target on a 390 px phone
    title = phone.locator(".questionnaire h3").first.inner_text()
    answer.click()
    expect(phone).to_have_url(re.compile(r"/s/[a-z0-9-]+$"))
    expect(phone.locator("h1")).to_have_text(title)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
