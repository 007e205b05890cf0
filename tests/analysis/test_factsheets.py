"""Commune fact sheets: the commune beside the whole territory, a method note, only what the
commune's filtered view shows, and clear refusals."""

import re
from html import unescape

import pytest

from app.analysis.disclosure.intervals import wilson
from app.territory.places import Place
from tests.analysis.helpers import add

SIVRY = Place("commune", "56088")  # 4,794 inhabitants
CHIMAY = Place("commune", "56016")


@pytest.fixture
def committee(client, survey, make_user, login):
    login(make_user("committee"))
    return client


def rows(html: str, question: str) -> dict[str, list[str]]:
    title = re.escape(question)
    section = re.search(rf"<h2 id=\"b-\d+\">{title}</h2>(.*?)</section>", html, re.S).group(1)
    found = {}
    for label, cells in re.findall(r'<th scope="row">([^<]*)</th>(.*?)</tr>', section, re.S):
        values = re.findall(r'<td class="num">(.*?)</td>', cells)
        found[label] = [unescape(v).replace("\xa0", " ") for v in values]
    return found


def test_a_commune_beside_the_whole_territory(committee):
    add(20, commune=SIVRY, has_car="yes")
    add(10, commune=SIVRY, has_car="no")
    add(15, has_car="yes")  # Barbençon (Beaumont)
    add(15, has_car="no")
    add(12, commune=CHIMAY, has_car="no")
    add(12, commune=CHIMAY, has_car="yes")
    html = committee.get("/analyse/every-type/profil/56088").get_data(as_text=True)
    assert "<h1>Sivry-Rance</h1>" in html
    car = rows(html, "Avez-vous une voiture à votre disposition ?")
    # people, share here, its interval, share in the whole territory (47 of 84 have a car)
    assert car["Oui"][:2] == ["20", "67 %"] and car["Oui"][3] == "56 %"
    assert car["Non"][:2] == ["10", "33 %"] and car["Non"][3] == "44 %"
    low, high = wilson(20, 30)
    assert car["Oui"][2] == f"{round(100 * low)} % – {round(100 * high)} %"
    text = unescape(html).replace("\xa0", " ")
    assert "30 personnes habitant Sivry-Rance" in text and "Statbel (2020)" in text
    assert "size:A4" in committee.get("/static/css/site.css").get_data(as_text=True)


def test_a_kept_sheet_is_renewed_by_a_new_response(committee):
    add(20, commune=SIVRY, has_car="yes")
    add(10, commune=SIVRY, has_car="no")
    add(15, has_car="yes")  # Barbençon (Beaumont)
    add(15, has_car="no")
    first = committee.get("/analyse/every-type/profil/56088").get_data(as_text=True)
    assert rows(first, "Avez-vous une voiture à votre disposition ?")["Non"][0] == "10"
    add(1, commune=SIVRY, has_car="no")
    again = committee.get("/analyse/every-type/profil/56088").get_data(as_text=True)
    assert rows(again, "Avez-vous une voiture à votre disposition ?")["Non"][0] == "11"
    assert "31 personnes habitant Sivry-Rance" in unescape(again).replace("\xa0", " ")


def test_a_theme_keeps_its_questions(committee):
    add(30, commune=SIVRY)
    add(30)
    assert committee.get("/analyse/every-type/profil/56088?theme=mobility").status_code == 200
    page = committee.get("/analyse/every-type/profil/56088?theme=nope")
    assert page.status_code == 400


@pytest.mark.parametrize(
    ("nis", "status", "message"),
    [
        ("99999", 404, "Aucune commune du territoire"),  # outside the territory
        ("elsewhere", 404, "Aucune commune du territoire"),
        ("56005", 400, "Trop peu de personnes"),  # Beaumont: 3 people, hidden on the dashboard
    ],
)
def test_bad_communes_are_refused(committee, nis, status, message):
    add(30, commune=SIVRY)
    add(3)  # Beaumont
    page = committee.get(f"/analyse/every-type/profil/{nis}")
    assert page.status_code == status
    assert message in unescape(page.get_data(as_text=True))


def test_partners_cannot_read_a_fact_sheet(client, survey, make_user, login):
    add(30, commune=SIVRY)
    login(make_user("partner"))
    assert client.get("/analyse/every-type/profil/56088").status_code == 403
