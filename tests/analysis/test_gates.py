"""A question asked only after some answers (its gate) is broken down by no view where its gate
hides a count: filters, maps, crossings, the API, fact sheets (issue 17, item 2).

The review's attack, replayed: the crossing age band × bus satisfaction is refused (its « not
answered » column would tell how many of each age band do not take the bus, which the gate's
table hides), but the filter « not answered to bus satisfaction » showed the same column row by
row, and the map of an answer of it by commune the same table by commune."""

import re
from html import unescape

import pytest

from app.accounts import tokens
from app.extensions import db
from tests.analysis.helpers import CHIMAY, SIVRY, add, cells
from tests.analysis.test_atlas import titles


@pytest.fixture
def committee(client, survey, make_user, login):
    user = make_user("committee")
    login(user)
    return client, user


@pytest.fixture
def gated(survey):
    # Enough people everywhere that every figure would show, but how many of each age band or
    # commune do not take the bus or the train is told by no table: the way people travel
    # takes several answers per person and is never broken down.
    add(
        40,
        age_band="65_plus",
        commune=SIVRY,
        transport=["bus", "car", "train", "walk"],
        bus_satisfaction=4,
    )
    add(20, age_band="65_plus", commune=SIVRY, transport=["walk", "car", "other"])
    add(30, age_band="30_64", transport=["bus", "train"], bus_satisfaction=4)  # Beaumont
    add(15, age_band="30_64", transport=["walk", "other"])
    add(12, age_band="under_30", commune=CHIMAY, transport=["none"])
    add(12, age_band="under_30", commune=CHIMAY, transport=["bus"], bus_satisfaction=3)


def figures(shown: dict[str, str]) -> list[str]:
    return [v for v in shown.values() if re.fullmatch(r"[\d  ]+", v)]


def test_the_groups_of_a_follow_up_show_nothing_its_gate_hides(committee, gated):
    client, _user = committee
    page = client.get("/analyse/every-type").get_data(as_text=True)
    listed = re.search(r'<select id="filtre".*?</select>', page, re.S).group(0)
    offered = re.findall(r'value="(bus_satisfaction:[^"]+)"', listed)
    assert "bus_satisfaction:unanswered" in offered  # 10 people: the group is shown
    for group in offered:
        html = client.get(f"/analyse/every-type?filtre={group}").get_data(as_text=True)
        assert figures(cells(html, "age_band")) == [], group


def test_the_map_of_a_follow_up_hides_every_commune(committee, gated):
    client, _user = committee
    for answer in ("4", "2"):
        html = client.get(f"/analyse/every-type?carte=bus_satisfaction:{answer}")
        shown = titles(html.get_data(as_text=True))
        assert all(v.startswith("masqué") or v == "pas de données" for v in shown.values())
        assert any(v.startswith("masqué") for v in shown.values()), shown


def test_the_api_follows_the_same_rule(committee, gated):
    client, user = committee
    _token, plain = tokens.issue(user, "observatory")
    db.session.commit()
    reply = client.get(
        "/api/v1/surveys/every-type/results",
        query_string={"filter": "bus_satisfaction:unanswered"},
        headers={"Authorization": f"Bearer {plain}"},
    )
    assert reply.status_code == 200, reply.get_data(as_text=True)
    found = reply.get_json()
    age = next(q for q in found["questions"] if q["id"] == "age_band")
    counts = [a["count"] for t in age.get("tables", []) for a in t["answers"]]
    assert all(c is None for c in counts), age


def test_the_crossing_still_says_why(committee, gated):
    client, _user = committee
    page = client.get("/analyse/every-type/croiser?lignes=bus_satisfaction&colonnes=age_band")
    html = unescape(page.get_data(as_text=True))
    assert "seulement posée après certaines réponses" in html and 'class="cross"' not in html
