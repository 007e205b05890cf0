"""The dashboard's map: coverage by default, or one answer's share by commune, protected as the
cross-tabulation by commune is."""

import re
from html import unescape

import pytest

from tests.analysis.helpers import CHIMAY, SIVRY, add


@pytest.fixture
def committee(client, survey, make_user, login):
    login(make_user("committee"))
    return client


def titles(html: str) -> dict[str, str]:
    """Each commune's title on the map: « name: value » or « name: hidden (…) »."""
    svg = re.search(r'<div class="choropleth">(.*?)</svg>', html, re.S).group(1)
    found = re.findall(r"<title[^>]*>([^<]*)</title>", svg)
    pairs = (unescape(t).replace("\xa0", " ").split(": ", 1) for t in found if ": " in t)
    return {name.strip(): value for name, value in pairs}  # French: « Sivry-Rance : 4,2 »


def test_the_share_of_an_answer_by_commune(committee):
    add(20, commune=SIVRY, has_car="yes")
    add(10, commune=SIVRY, has_car="no")
    add(15, has_car="yes")  # Beaumont
    add(15, has_car="no")
    add(12, commune=CHIMAY, has_car="no")
    add(12, commune=CHIMAY, has_car="yes")
    html = committee.get("/analyse/every-type?carte=has_car:yes").get_data(as_text=True)
    shown = titles(html)
    assert shown["Sivry-Rance"] == "66,7 %" and shown["Chimay"] == "50 %"
    # Every count is 10 or more, or nobody: nothing needs hiding (a zero names no one).
    assert shown["Beaumont"] == "50 %"
    assert shown["Doische"] == "pas de données"  # nobody answered there: said, not hidden
    assert "Statbel (2020)" in unescape(html)


def test_coverage_is_the_default_map(committee):
    add(20, commune=SIVRY)
    add(20, commune=CHIMAY)  # hidden (•), or the communes with nobody would be known empty
    html = committee.get("/analyse/every-type").get_data(as_text=True)
    assert titles(html)["Sivry-Rance"] == "4,2"  # per 1,000 inhabitants


@pytest.mark.parametrize(
    "wanted", ["nope:yes", "has_car:maybe", "has_car:unanswered", "commune:56088", "has_car"]
)
def test_unknown_indicators_are_refused(committee, wanted):
    add(20, commune=SIVRY)
    page = committee.get(f"/analyse/every-type?carte={wanted}")
    assert page.status_code == 400
    assert "Indicateur inconnu" in unescape(page.get_data(as_text=True))
