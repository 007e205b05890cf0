"""The public results page in a phone's browser: readable, and nothing for axe-core to find."""

import pytest
from playwright.sync_api import expect

from tests.browser.answering import mobilite_answered
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def answered(database_url):
    """300 people have answered « mobilité » (real channel: demo data would not count)."""
    mobilite_answered(database_url, seed=7)


def test_public_results_are_readable_and_accessible(page, live_server, axe_check, answered):
    response = page.goto(live_server + "/resultats/mobilite")
    assert response.status == 200
    expect(page.locator("h1")).to_contain_text("Résultats")
    expect(page.locator("section.result").first).to_be_visible()
    # Small counts are hidden on the page, as the method note says.
    expect(page.get_by_text("Comment lire ces résultats")).to_be_visible()
    assert page.locator("td.num", has_text="< 10").count() > 0
    axe_check(page)


def test_the_committee_dashboard_is_accessible(
    page, live_server, database_url, axe_check, answered
):
    sign_in(page, live_server, database_url, role="committee")
    page.goto(live_server + "/analyse/")
    page.get_by_role("link", name="Se déplacer dans le Sud").click()
    expect(page.locator("h2#coverage-title")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Intervalle à 95 %").first).to_be_visible()
    axe_check(page)


def test_the_cross_tabulation_is_accessible(page, live_server, database_url, axe_check, answered):
    sign_in(page, live_server, database_url, role="committee")
    page.goto(live_server + "/analyse/mobilite")
    page.get_by_role("link", name="Croiser deux ventilations").click()
    page.get_by_label("Lignes").select_option("commune")
    page.get_by_label("Colonnes").select_option("age_band")
    page.get_by_role("button", name="Croiser").click()
    expect(page.locator("table.cross")).to_be_visible()
    axe_check(page)


def test_charts_are_drawn_by_the_local_plotly_under_the_strict_policy(
    page, live_server, database_url, answered
):
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    errors, hosts = [], set()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    sign_in(page, live_server, database_url, role="committee")
    page.goto(live_server + "/analyse/mobilite")
    chart = page.locator(".chart-area").first
    expect(chart.locator("svg.main-svg").first).to_be_visible()
    assert page.evaluate("window.__violations") == [] and errors == []
    assert hosts == {live_server.split("/")[2]}  # no CDN, nothing from another host
    chart.focus()  # keyboard users reach each chart, named for screen readers
    assert "Graphique" in chart.get_attribute("aria-label")
    # one group at a time, chosen from the list of groups the dashboard shows
    page.get_by_label("Regarder un groupe de répondants").select_option(index=1)
    page.get_by_role("button", name="Afficher", exact=True).click()
    expect(page.get_by_text("Seulement les répondants d'un groupe")).to_be_visible()
    expect(page.locator(".chart-area svg.main-svg").first).to_be_visible()


def test_a_fact_sheet_is_accessible_and_prints_on_a4(
    page, live_server, database_url, axe_check, answered
):
    sign_in(page, live_server, database_url, role="committee")
    page.goto(live_server + "/analyse/mobilite")
    axe_check(page)  # with its map and charts
    link = page.locator("#coverage-title ~ div a").first
    name = link.inner_text()
    link.click()
    expect(page.locator("h1")).to_have_text(name)
    axe_check(page)
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
