"""A commune's fact sheet printed from the browser (issue 17, item 9): two A4 pages at most with
realistic, uneven data, its bars drawn without JavaScript, a « Print / PDF » button, and the
communes of fewer than k people refused with a message, never an error."""

import re

import pytest
from playwright.sync_api import expect

from app.surveys.queries import current
from tests.browser.answering import app_context, mobilite_answered
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


@pytest.fixture(scope="module")
def communes(database_url):
    """At least 300 people have answered « mobilité » (shared with test_results.py), spread
    over the communes as their populations are: commune NIS code → its count as the dashboard
    shows it (None when hidden: fewer than k)."""
    mobilite_answered(database_url, seed=23)
    with app_context(database_url):
        from app.analysis.results.figures import figures_for

        shown = figures_for(current("mobilite")).offered["commune"].published
        return {nis: cell.count for nis, cell in shown.items() if nis.isdigit() and cell.count != 0}


def pages(pdf: bytes) -> int:
    assert pdf.startswith(b"%PDF")
    return len(PAGE.findall(pdf))


def test_every_communes_sheet_prints_on_two_a4_pages_at_most(
    page, live_server, database_url, communes
):
    shown = {nis: n for nis, n in communes.items() if n}
    small = [nis for nis, n in communes.items() if n is None]
    assert small, "uneven data: some communes have 1 to 9 respondents"
    assert min(shown.values()) < 30, "and some have few, with most of their figures hidden"
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, database_url, role="committee")
    printed = {}
    for nis in shown:
        response = page.goto(f"{live_server}/analyse/mobilite/profil/{nis}")
        assert response.status == 200, nis
        printed[nis] = pages(page.pdf(format="A4"))
    assert errors == []
    assert all(1 <= n <= 2 for n in printed.values()), printed
    for nis in small:  # refused with the reason, not an error
        response = page.goto(f"{live_server}/analyse/mobilite/profil/{nis}")
        assert response.status == 400, nis
        expect(page.get_by_text("Trop peu de personnes", exact=False).first).to_be_visible()


def test_the_print_button_and_the_bars(page, page_nojs, live_server, database_url, communes):
    largest = max((n, nis) for nis, n in communes.items() if n)[1]
    url = f"{live_server}/analyse/mobilite/profil/{largest}"
    sign_in(page, live_server, database_url, role="committee")
    page.goto(url)
    button = page.get_by_role("button", name="Imprimer / PDF")
    expect(button).to_be_visible()
    page.evaluate("window.print = () => { window.__printed = true; }")
    button.click()
    assert page.evaluate("window.__printed") is True
    page.emulate_media(media="print")
    expect(button).to_be_hidden()  # the tools of the screen are not printed
    expect(page.locator("main h1")).to_be_visible()
    # Without JavaScript: no button (it would do nothing), the same bars, the same two pages.
    sign_in(page_nojs, live_server, database_url, role="committee")
    page_nojs.goto(url)
    expect(page_nojs.get_by_role("button", name="Imprimer / PDF")).to_be_hidden()
    assert page_nojs.locator("svg.bars rect.bar-here").count() > 5
    assert page_nojs.locator("svg.bars rect.bar-all").count() > 5
    assert pages(page_nojs.pdf(format="A4")) <= 2
