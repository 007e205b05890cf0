"""Answering a questionnaire in the browser as a person would: helpers for the respondent tests.

The answers come from the synthetic generator (plausible, following the logic); each page is
filled by tapping the visible controls, and what the database stored is read back to compare.
"""

import re
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from playwright.sync_api import Error, expect
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.surveys.demo import generate
from app.surveys.models import Response, Survey, SurveyVersion
from app.surveys.queries import current
from app.surveys.runtime import visible_pages, visible_questions
from app.surveys.services import load_paths, read_answers
from tests.conftest import make_config, project_root

SLUGS = ["mobilite", "freins-emploi", "logement", "sante-lien-social"]
CODE = re.compile(r"^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$")  # no 0/O, 1/I/L

# Structural selectors: they hold whichever language the page is in.
START = "form[action$='/commencer'] button[type=submit]"
NEXT = "form.survey-form button[name=action][value=next]"
BACK = "form.survey-form button[name=action][value=back]"
SAVE = "form.survey-form button[name=action][value=save]"


@contextmanager
def app_context(database_url: str):
    app = create_app(make_config(database_url))
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def load_questionnaires(database_url: str) -> None:
    """The four real questionnaires, loaded once into the session database (idempotent)."""
    with app_context(database_url):
        report = load_paths([project_root() / "surveys"])
        assert report.refused == [], report.refused
        db.session.commit()


@dataclass
class Plan:
    """What one person will answer: the definition, the answers, the pages they will see."""

    slug: str
    definition: object
    answers: dict
    pages: list  # the pages shown, in order, given the answers


def plan(database_url: str, slug: str, seed: int) -> Plan:
    with app_context(database_url):
        definition = current(slug).definition
        answers = generate(definition, 1, seed=seed)[0]
    return Plan(slug, definition, answers, visible_pages(definition, answers))


def page_answers(page_def, answers: dict) -> dict:
    """The answers given on one page, as answer keys (for checking what was kept)."""
    keys = {k for q in visible_questions(page_def, answers) for k in q.answer_keys()}
    return {k: v for k, v in answers.items() if k in keys}


def form_values(page_def, answers: dict) -> list[tuple[object, str, object]]:
    """(question, input name, value) for what a person fills on this page; empty ones left out."""
    out = []
    for question in visible_questions(page_def, answers):
        for name, value in question.form_data(answers).items():
            if value not in ("", [], None):
                out.append((question, name, value))
    return out


# -- tapping the controls


def choice_label(page, name: str, value: str):
    """The big tappable row (label) around a radio button or a check box."""
    return page.locator("label.choice").filter(
        has=page.locator(f"input[name='{name}'][value='{value}']")
    )


def tap_choice(page, name: str, value: str) -> None:
    box = page.locator(f"input[name='{name}'][value='{value}']")
    if not box.is_checked():
        choice_label(page, name, value).tap()
    expect(box).to_be_checked()


def suggestion(page, name: str, value: str) -> str:
    """The text of the type-ahead's suggestion for a place: the name, then its commune."""
    option = page.locator(f"select[name='{name}'] option[value='{value}']")
    text = option.text_content().strip()
    if value in ("elsewhere", "undisclosed"):
        return text
    return text + option.evaluate("o => o.parentNode.label")


def pick_place(page, name: str, value: str, javascript: bool) -> None:
    select = page.locator(f"select[name='{name}']")
    if not javascript:
        select.select_option(value)
        return
    # site.js is deferred: on a slow machine the page can be shown before it has enhanced the
    # picker (then neither the radios nor the box tell the select)
    expect(page.locator(f"#{name}-q")).to_have_attribute("role", "combobox")
    if value in ("elsewhere", "undisclosed"):  # the two answers always in view, as radios
        page.locator(f"input[type=radio][name='{name}'][value='{value}']").check()
        expect(select).to_have_value(value)
        return
    # With JavaScript the list is hidden behind a type-ahead: type the place, tap the suggestion.
    wanted = suggestion(page, name, value)
    box = page.locator(f"#{name}-q")
    box.fill("")
    box.press_sequentially(wanted[:12])
    listbox = page.locator(f"#{name}-q-listbox")
    expect(listbox).to_be_visible()
    suggestions = listbox.get_by_role("option")
    suggestions.nth(suggestions.all_text_contents().index(wanted)).tap()
    expect(listbox).to_be_hidden()
    expect(select).to_have_value(value)


def control(question, name: str) -> str:
    """How a person gives this value: place, select, boxes, radio or text."""
    if question.type == "place":
        return "place"
    if name.endswith("-other"):
        return "text"
    if question.type == "ranking" or getattr(question, "display_as", None) == "dropdown":
        return "select"
    if question.type == "multiple_choice":
        return "boxes"
    if question.type in ("single_choice", "yes_no", "scale", "matrix"):
        return "radio"
    return "text"


def fill_page(page, page_def, answers: dict, javascript: bool) -> None:
    """Give this page's answers by tapping, choosing and typing in the visible controls."""
    for question, name, value in form_values(page_def, answers):
        kind = control(question, name)
        if kind == "place":
            pick_place(page, name, value, javascript)
        elif kind == "select":
            page.locator(f"select[name='{name}']").select_option(value)
        elif kind == "boxes":
            for choice in value:
                tap_choice(page, name, choice)
        elif kind == "radio":
            tap_choice(page, name, value)
        else:
            page.locator(f"[name='{name}']").fill(str(value))


def expect_filled(page, page_def, answers: dict) -> None:
    """The page's controls show these answers (a page shown again keeps what was given)."""
    for question, name, value in form_values(page_def, answers):
        kind = control(question, name)
        if kind in ("place", "select"):
            expect(page.locator(f"select[name='{name}']")).to_have_value(value)
        elif kind in ("boxes", "radio"):
            for choice in value if kind == "boxes" else [value]:
                expect(page.locator(f"input[name='{name}'][value='{choice}']")).to_be_checked()
        else:
            expect(page.locator(f"[name='{name}']")).to_have_value(str(value))


# -- the path


def open_intro(page, base: str, slug: str) -> str:
    """Open the introduction; return the start key its form carries."""
    response = page.goto(f"{base}/s/{slug}")
    assert response.status == 200
    expect(page.locator(START)).to_be_visible()
    return page.locator("input[name=start_key]").input_value()


def page_url(base: str, slug: str, page_id: str) -> str:
    return f"{base}/s/{slug}/p/{page_id}"


def answer_pages(page, base: str, plan: Plan, javascript: bool, pages=None, on_page=None):
    """From the page the browser is on, answer the given pages (all by default) and go on."""
    pages = plan.pages if pages is None else pages
    for page_def in pages:
        expect(page).to_have_url(page_url(base, plan.slug, page_def.id))
        expect(page.locator("progress")).to_be_visible()
        fill_page(page, page_def, plan.answers, javascript)
        if on_page:
            on_page(page, page_def)
        page.locator(NEXT).click()
        following = plan.pages.index(page_def) + 1
        if following < len(plan.pages):
            expect(page).to_have_url(page_url(base, plan.slug, plan.pages[following].id))


def complete(page, base: str, plan: Plan, javascript: bool, on_page=None) -> str:
    """Start, answer every page, send; return the start key."""
    key = open_intro(page, base, plan.slug)
    page.locator(START).click()
    answer_pages(page, base, plan, javascript, on_page=on_page)
    expect(page.locator("h1")).to_have_text(re.compile("Merci"))
    if javascript:  # the thanks come in the reply to the last page; the script tidies the address
        expect(page).to_have_url(f"{base}/s/{plan.slug}/merci")
    return key


def double_tap(page, button, url: str, both_sent: bool) -> int:
    """Tap a submit button twice, quickly, while the first answer is slow to come back (weak
    mobile data): the first request reaches the server, its answer is held until the second
    tap is made. both_sent: whether the second tap is expected to send a request too (wait
    for it). Return how many requests the server received."""
    held, received = [], []

    def slow_answer(route):
        received.append(route.request.url)
        if held:
            route.continue_()
        else:
            held.append((route, route.fetch(max_redirects=0)))

    def wait_until(condition, ms: int) -> None:
        for _ in range(ms // 20):
            if condition():
                return
            page.wait_for_timeout(20)

    page.route(url, slow_answer)
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.touchscreen.tap(x, y)
    wait_until(lambda: held, 5000)
    assert held, "the first tap sent nothing"
    # A raw tap: a locator would wait for the first navigation to finish.
    page.touchscreen.tap(x, y)
    wait_until(lambda: len(received) > 1, 5000 if both_sent else 300)
    route, answer = held[0]
    with suppress(Error):  # the browser dropped it when the second tap went out
        route.fulfill(response=answer)
    page.wait_for_load_state()
    page.unroute(url)
    return len(received)


def deletion_code(page) -> str:
    code = page.locator("main .code").inner_text().strip()
    assert CODE.match(code), code
    return code


# -- what the database holds


@dataclass
class Stored:
    submitted: bool
    answers: dict
    channel: str


def stored(database_url: str, start_key: str) -> list[Stored]:
    """The responses made from one start form, with their answers read back."""
    with app_context(database_url):
        responses = db.session.scalars(select(Response).where(Response.start_key == start_key))
        return [Stored(r.submitted_at is not None, read_answers(r), r.channel) for r in responses]


def count_responses(database_url: str, slug: str) -> int:
    query = (
        select(func.count(Response.id))
        .join(SurveyVersion, SurveyVersion.id == Response.version_id)
        .join(Survey, Survey.id == SurveyVersion.survey_id)
        .where(Survey.slug == slug)
    )
    with app_context(database_url):
        return db.session.scalar(query)


# -- the keyboard alone

FOCUSED = """() => {
  const e = document.activeElement;
  return {tag: e.tagName.toLowerCase(), type: e.type || "", name: e.name || "",
          value: e.value || "", checked: !!e.checked, role: e.getAttribute("role") || ""};
}"""


def focused(page) -> dict:
    """What has the keyboard focus (read only: the page is never changed by script)."""
    return page.evaluate(FOCUSED)


def press(page, key: str, times: int = 1) -> None:
    for _ in range(times):
        page.keyboard.press(key)


def values_of(page, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all("els => els.map(e => e.value)")


def keyboard_place(page, name: str, value: str) -> None:
    """Type in the type-ahead, arrow down to the place, Enter."""
    wanted = suggestion(page, name, value)
    page.keyboard.type(wanted[:12])
    suggestions = page.locator(f"#{name}-q-listbox").get_by_role("option")
    expect(suggestions.first).to_be_visible()
    press(page, "ArrowDown", suggestions.all_text_contents().index(wanted) + 1)
    page.keyboard.press("Enter")
    expect(page.locator(f"select[name='{name}']")).to_have_value(value)


def answer_page_by_keyboard(page, page_def, answers: dict, limit: int = 200) -> None:
    """Tab through the page and answer with Space, the arrow keys, typing and Enter; end by
    pressing Enter on « Next » (or « Send my answers »)."""
    wanted = {name: value for _, name, value in form_values(page_def, answers)}
    done = set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        name = now["name"]
        if now["tag"] == "button" and name == "action" and now["value"] == "next":
            assert set(wanted) <= done, f"never reached: {set(wanted) - done}"
            page.keyboard.press("Enter")
            return
        if now["role"] == "combobox" and name.removesuffix("-q") in wanted:
            name = name.removesuffix("-q")
            keyboard_place(page, name, wanted[name])
            done.add(name)
        elif name not in wanted or (name in done and now["type"] != "checkbox"):
            continue
        elif now["type"] == "radio":  # a group: Tab enters it, the arrows move and choose
            values = values_of(page, f"input[name='{name}']")
            here, there = values.index(now["value"]), values.index(wanted[name])
            if here == there:
                page.keyboard.press("Space")
            else:
                press(page, "ArrowDown" if there > here else "ArrowUp", abs(there - here))
            expect(page.locator(f"input[name='{name}'][value='{wanted[name]}']")).to_be_checked()
            done.add(name)
        elif now["type"] == "checkbox":  # Tab visits each box
            if (now["value"] in wanted[name]) != now["checked"]:
                page.keyboard.press("Space")
            done.add(name)
        elif now["tag"] == "select":  # closed: the arrows change the choice
            values = values_of(page, f"select[name='{name}'] option")
            press(page, "ArrowDown", values.index(wanted[name]) - values.index(now["value"]))
            done.add(name)
        else:  # a text box
            page.keyboard.type(str(wanted[name]))
            done.add(name)
    raise AssertionError(f"« Next » never got the focus in {limit} Tab presses")


def mobilite_answered(database_url, seed: int, at_least: int = 300) -> None:
    """At least `at_least` people have answered « mobilité » (real channel: demo data would not
    count), and the committee has published them once (what the public and partners read)."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.surveys.demo import generate
    from app.surveys.models import Response, Survey
    from app.surveys.queries import newest_version
    from app.surveys.services import store_response
    from tests.browser.helpers import published

    load_questionnaires(database_url)
    with app_context(database_url):
        survey = db.session.scalar(select(Survey).where(Survey.slug == "mobilite"))
        version = newest_version(survey)
        have = db.session.scalar(
            select(func.count()).select_from(Response).where(Response.version_id == version.id)
        )
        for answers in generate(version.model, max(0, at_least - have), seed=seed):
            store_response(version, answers, channel="web")
        db.session.commit()
        published("mobilite")
