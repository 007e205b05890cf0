"""The staff's poster: found from the questionnaires list, accessible, one A4 page on paper."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.answering import load_questionnaires
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def questionnaires(database_url):
    load_questionnaires(database_url)


def test_a_facilitator_prints_the_poster_on_one_a4_page(page, live_server, database_url, axe_check):
    sign_in(page, live_server, database_url, role="facilitator")
    page.goto(live_server + "/questionnaires")
    axe_check(page)  # with the staff's links
    page.get_by_role("link", name=re.compile(r"Affiche à imprimer.*Se déplacer")).click()
    expect(page).to_have_url(live_server + "/s/mobilite/affiche")
    expect(page.locator("h1")).to_contain_text("Se déplacer")
    qr = page.locator("img.qr")
    page.wait_for_function("document.querySelector('img.qr').complete")
    assert qr.evaluate("i => i.naturalWidth") >= 200  # the QR code is drawn
    axe_check(page)
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # the whole poster on one sheet
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".no-print").first).to_be_hidden()
    # The QR code is large enough to scan from a step away (at least 8 cm of the A4 width).
    width_mm = qr.evaluate("i => i.getBoundingClientRect().width") * 25.4 / 96
    assert width_mm >= 79.5
