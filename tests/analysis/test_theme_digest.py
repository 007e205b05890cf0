"""A theme's digest (issue 17, item 11): `/analyse/themes/<theme>` opens with what matters for
its working group: each questionnaire's indicators on the theme (the answer whose share measures
the need), in the whole territory and by commune, with a map; profile questions (place, age,
quasi-identifiers) are left to each questionnaire's dashboard."""

import re
from html import unescape

import pytest

from app.extensions import db
from app.surveys.services import load_paths
from app.territory.places import Place
from tests.analysis.helpers import SIVRY, answer
from tests.conftest import EVERY_TYPE

CHIMAY = Place("commune", "56016")


@pytest.fixture
def indicated(survey, tmp_path):
    """every-type where « no car » is the mobility need's indicator (not a profile question
    here)."""
    text = EVERY_TYPE.read_text("utf-8").replace(
        "      - id: has_car\n        type: yes_no\n        quasi_identifier: true\n",
        "      - id: has_car\n        type: yes_no\n        indicator: 'no'\n",
    )
    assert "indicator: 'no'" in text
    path = tmp_path / "every-type.yaml"
    path.write_text(text, "utf-8")
    load_paths([path])
    db.session.commit()
    answer(30, age_band="65_plus", commune=SIVRY, has_car="no")
    answer(10, age_band="30_64", commune=SIVRY, has_car="yes")
    answer(12, age_band="30_64", has_car="no")  # Beaumont
    answer(12, age_band="30_64", has_car="yes")
    answer(3, age_band="under_30", commune=CHIMAY, has_car="no")


def digest_rows(html: str) -> dict[str, list[str]]:
    """Column (« Tout le territoire », then each commune) → its figure for each indicator."""
    table = re.search(r'<table class="digest">(.*?)</table>', html, re.S).group(1)
    heads = [unescape(h) for h in re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', table)][1:]
    found = {head: [] for head in heads}
    for tr in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S):
        cells = re.findall(r'<td class="num(?: ci)?">([^<]*)</td>', tr)
        for head, cell in zip(heads, cells, strict=True):
            found[head].append(unescape(cell).replace("\xa0", " "))
    return found


def test_the_digest_opens_with_the_indicators_by_commune(client, indicated, make_user, login):
    login(make_user("committee"))
    page = client.get("/analyse/themes/mobility")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    text = unescape(html)
    assert text.index("L’essentiel") < text.index("Toutes les questions du thème")
    assert "Avez-vous une voiture à votre disposition ?\xa0: « Non »" in text
    rows = digest_rows(html)
    # An oracle from the answers themselves: 45 of 67 said « no ».
    assert rows["Tout le territoire"] == [f"{round(100 * 45 / 67)} %"]
    assert rows["Sivry-Rance"] == [f"{round(100 * 30 / 40)} %"]
    # Chimay's 3 are hidden, protected by a commune of nobody hidden with it (no cost), as on
    # the map and the crossing: Beaumont's 12 of 24 stay shown.
    assert rows["Chimay"] == ["•"] and rows["Beaumont"] == ["50 %"]
    assert "Doische" not in rows  # nobody from there: not a row of the table
    # The map of the indicator, from the same protected table.
    assert re.search(r"Sivry-Rance\xa0: 75", text)
    # Profile questions are not repeated below: they describe who answered, not the need.
    below = html[html.index("Toutes les questions du thème") :]
    assert (
        'aria-labelledby="q-age_band"' not in below and 'aria-labelledby="q-commune"' not in below
    )
    assert 'aria-labelledby="q-has_car"' in below


def test_an_unknown_indicator_for_the_map_is_refused(client, indicated, make_user, login):
    login(make_user("committee"))
    wrong = client.get("/analyse/themes/mobility?indicateur=every-type|has_car:maybe")
    assert wrong.status_code == 400 and "indicateur" in unescape(wrong.get_data(as_text=True))
    chosen = client.get("/analyse/themes/mobility?indicateur=every-type|has_car:no")
    assert chosen.status_code == 200


def test_a_sector_partner_reads_the_digest_of_the_release(client, indicated, make_user, login):
    from app.accounts.scopes import set_partner_scope
    from tests.analysis.helpers import publish

    publish()
    answer(20, age_band="30_64", commune=SIVRY, has_car="yes")  # after the release
    partner = make_user("partner")
    set_partner_scope(partner, [], ["mobility"])
    db.session.commit()
    login(partner)
    rows = digest_rows(client.get("/analyse/themes/mobility").get_data(as_text=True))
    assert rows["Sivry-Rance"] == ["75 %"]  # the release's figures, not the live ones


def test_without_indicators_the_digest_says_how_to_name_them(client, survey, make_user, login):
    answer(12, age_band="65_plus")
    login(make_user("committee"))
    text = unescape(client.get("/analyse/themes/mobility").get_data(as_text=True))
    assert "ne nomme encore son indicateur" in text
