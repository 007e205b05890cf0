"""What this issue added to the analysis, looked at as its readers would, on a phone (390×844)
and a desktop, with 300 uneven « mobilité » responses (some communes with a handful): the theme
digest, the committee's publication panel, the protected response files' page and a partner's
dashboard read from the release. None scrolls sideways; every figure stays in view."""

import os
import tempfile

import pytest
from playwright.sync_api import expect

from tests.browser.answering import mobilite_answered
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

# Screenshots for a person to look at (the asserts decide): in the temporary folder.
SHOTS = os.path.join(tempfile.gettempdir(), "analysis-shots")


@pytest.fixture(scope="module")
def answered(database_url):
    mobilite_answered(database_url, seed=41)


def fits(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{page.url} scrolls sideways: {width}px on {viewport}px"
    # nor does a question's table (or the coverage) inside its scrolling region: a column out of
    # sight is easily missed (a matrix of 17 communes scrolls, as it must)
    hidden = page.evaluate(
        """() => [...document.querySelectorAll(
                '.result .table-scroll, .table-scroll[aria-labelledby=coverage-title]')]
            .filter(region => region.scrollWidth > region.clientWidth + 1)
            .map(region => region.innerText.slice(0, 60))"""
    )
    assert hidden == [], f"{page.url}: a table wider than its region: {hidden}"


@pytest.mark.parametrize("size", [(390, 844), (1280, 900)], ids=["phone", "desktop"])
def test_the_committee_s_new_pages_fit(page, live_server, database_url, answered, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    sign_in(page, live_server, database_url, role="committee", two_factor=True)
    kind = "phone" if size[0] < 600 else "desktop"
    page.goto(live_server + "/analyse/themes/mobility")
    expect(page.locator("#digest-title")).to_have_text("L’essentiel")
    expect(page.locator("table.digest").first).to_be_visible()
    expect(page.locator(".choropleth svg").first).to_be_visible()
    fits(page, f"digest-{kind}")
    page.goto(live_server + "/analyse/mobilite")
    expect(page.locator("#publication-title")).to_be_visible()
    fits(page, f"dashboard-{kind}")
    page.goto(live_server + "/analyse/mobilite/reponses")
    assert page.locator("main").inner_text().strip()
    fits(page, f"responses-{kind}")
    # Weighting with the small communes pooled, and the whole area looked at alone.
    page.goto(live_server + "/analyse/mobilite?ponderation=communes")
    expect(page.locator(".notice", has_text="Chiffres pondérés")).to_be_visible()
    # how many tables are weighted comes first
    expect(page.locator(".notice").first).to_contain_text("pondér")
    # every question says its weighted share, or why it has none (300 uneven responses: few)
    weighted = page.locator("th", has_text="Part pondérée").count()
    assert weighted + page.locator("p.unweighted").count() > 0
    print(f"weighted tables at 300 responses: {weighted}")
    fits(page, f"weighted-{kind}")
    page.goto(live_server + "/analyse/mobilite?filtre=area:sud-esem")
    # opened, or refused for what it would tell (never « too few » for hundreds of people)
    expect(page.locator("main")).to_contain_text("Sud Entre-Sambre-et-Meuse")
    assert "Trop peu" not in page.locator("main").inner_text()
    fits(page, f"area-{kind}")
    # A commune and an age band together, chosen in the form as a person would.
    page.goto(live_server + "/analyse/mobilite")
    page.select_option("#filtre", "commune:93056")  # Philippeville, the most answers
    page.select_option("#et", index=1)
    page.get_by_role("button", name="Afficher", exact=True).click()
    text = page.locator("main").inner_text()
    assert "Seulement les répondants d’une commune et d’une tranche d’âge" in text or (
        "Trop peu de personnes dans « Philippeville ·" in text  # 300 people: maybe too few
    ), text[:300]
    fits(page, f"pair-{kind}")


def test_a_partner_reads_the_release_on_a_phone(page, live_server, database_url, answered):
    from tests.browser.answering import app_context

    account = sign_in(page, live_server, database_url, role="partner")
    with app_context(database_url):
        from app.accounts.models import User
        from app.accounts.scopes import set_partner_scope
        from app.extensions import db

        partner = User.query.filter_by(email=account.email).one()
        set_partner_scope(partner, ["93022"], [])  # Philippeville
        db.session.commit()
    page.goto(live_server + "/analyse/mobilite")
    expect(page.locator(".release-note")).to_contain_text("publication n°")
    fits(page, "partner-phone")
