"""The public results on a small phone (360×740): every percentage in view, nothing to scroll
sideways, neither the page nor a table."""

import pytest

from tests.browser.answering import mobilite_answered

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def answered(database_url):
    """At least 300 people have answered « mobilité » (shared with test_results.py)."""
    mobilite_answered(database_url, seed=11)


@pytest.fixture
def small_phone(browser):
    context = browser.new_context(
        viewport=SMALL_PHONE, locale="fr-BE", has_touch=True, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_public_results_fit_a_360_pixel_phone(small_phone, live_server, answered, tmp_path):
    page = small_phone
    assert page.goto(live_server + "/resultats/mobilite").status == 200
    assert page.locator("section.result table").count() > 5
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SMALL_PHONE["width"], f"the page scrolls sideways: {width}px"
    cut = page.evaluate(
        """Array.from(document.querySelectorAll('.table-scroll'))
             .filter(e => e.scrollWidth > e.clientWidth)
             .map(e => e.getAttribute('aria-labelledby'))"""
    )
    assert cut == [], f"tables wider than the phone: {cut}"
    # Every figure (people, percentage) is drawn inside the screen, none clipped.
    outside = page.evaluate(
        """Array.from(document.querySelectorAll('.result td.num')).filter(td => {
             const r = td.getBoundingClientRect();
             return r.right > window.innerWidth || r.left < 0;
           }).map(td => td.textContent.trim())"""
    )
    assert outside == []
    shot = tmp_path / "results-360.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
