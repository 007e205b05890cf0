"""Word frequencies of free text and ranking scores, on the committee's dashboard: each computed
again here from the raw answers."""

import json
import re
from collections import Counter
from html import unescape

from app.analysis.results.questions import most_used
from app.surveys.types.words import words_of
from tests.analysis.helpers import answer, publish


def section(html: str, qid: str) -> str:
    found = re.search(
        rf'<section class="result" aria-labelledby="q-{qid}">(.*?)</section>', html, re.S
    )
    return unescape(found.group(1))


def everyone_shown(**extra):
    """Three groups of 12 whose age band and transport tables show every cell, so that the
    questions asked after them (the last page) are not withheld."""
    a = {"age_band": "under_30", "transport": ["car", "bus", "train", "walk", "other"]}
    answer(12, **a, **{"transport:other": "vélo"}, **extra.get("a", {}))
    answer(12, age_band="30_64", transport=["none"], **extra.get("b", {}))
    answer(12, age_band="65_plus", transport=["bus"], **extra.get("c", {}))


def test_words_used_by_at_least_k_people_only(client, survey, make_user, login):
    everyone_shown(
        a={"remarks": "Plus de bus le soir, et des bus propres"},
        b={"remarks": "Un taxi social pour les courses"},
    )
    answer(1, age_band="65_plus", transport=["bus"], remarks="Jean Dupont attend le bus rue Haute")
    login(make_user("committee"))
    html = client.get("/analyse/every-type").get_data(as_text=True)
    rows = re.findall(
        r'<th scope="row">([^<]*)</th><td class="num">(\d+)</td>', section(html, "remarks")
    )
    assert dict(rows) == {
        "bus": "13",
        "soir": "12",
        "propres": "12",
        "courses": "12",
        "social": "12",
        "taxi": "12",
    }
    assert "dupont" not in html.lower() and "attend" not in html.lower()
    # The public page never lists words.
    publish()
    assert "soir" not in client.get("/resultats/every-type").get_data(as_text=True)


def test_words_are_counted_once_per_person_and_skip_common_words():
    people = Counter()
    for text in ["bus bus BUS le les", "Le bus", "train"]:
        people.update(words_of(text))
    assert most_used(people, 2) == {"bus": 2}
    assert most_used(people, 1) == {"bus": 2, "train": 1}
    assert words_of("12 rue 3b") == {"rue"}


def scores_of(html: str) -> dict[str, str]:
    part = section(html, "needs").split("<caption>")[-1]
    return dict(re.findall(r'<th scope="row">([^<]*)</th><td class="num">([\d,]+|•)</td>', part))


def test_ranking_scores_are_mean_points(client, survey, make_user, login):
    everyone_shown(
        a={"needs": ["evening_bus", "social_taxi"]}, b={"needs": ["social_taxi", "evening_bus"]}
    )
    answer(10, age_band="65_plus", transport=["bus"], needs=["car_sharing", "evening_bus"])
    answer(10, age_band="65_plus", transport=["bus"], needs=["evening_bus", "car_sharing"])
    login(make_user("committee"))
    html = client.get("/analyse/every-type").get_data(as_text=True)
    scores = {label: float(v.replace(",", ".")) for label, v in scores_of(html).items()}
    # Two places to fill: 2 points for a first place, 1 for the second; 44 people ranked.
    assert scores["Des bus le soir"] == round((12 * 2 + 12 + 10 + 10 * 2) / 44, 2)
    assert scores["Un taxi social"] == round((12 + 12 * 2) / 44, 2)
    assert scores["Des voitures partagées"] == round((10 * 2 + 10) / 44, 2)
    assert "Points en moyenne (sur 2)" in html  # the most a choice can get
    chart = json.loads(re.search(r'id="chart-needs-data">(.*?)</script>', html, re.S).group(1))
    assert chart["data"][0]["x"][0] == round((12 * 2 + 12 + 10 + 10 * 2) / 44, 2)


def test_a_score_never_tells_how_few_put_a_choice_at_one_place(client, survey, make_user, login):
    # A review's case: with two places, points − people = first places. Social taxi: 13 people
    # but only 1 first place; evening bus: 1 second place. Their scores must stay hidden.
    everyone_shown(
        a={"needs": ["evening_bus", "car_sharing"]}, c={"needs": ["car_sharing", "social_taxi"]}
    )
    answer(18, age_band="30_64", transport=["none"], needs=["evening_bus", "car_sharing"])
    answer(1, age_band="30_64", transport=["none"], needs=["social_taxi", "evening_bus"])
    login(make_user("committee"))
    scores = scores_of(client.get("/analyse/every-type").get_data(as_text=True))
    assert scores["Un taxi social"] == "•" and scores["Des bus le soir"] == "•"


def test_the_results_api_gives_the_ranking_scores(client, survey, make_user):
    from app.accounts import tokens
    from app.extensions import db

    everyone_shown(
        a={"needs": ["evening_bus", "social_taxi"]}, b={"needs": ["social_taxi", "evening_bus"]}
    )
    answer(10, age_band="65_plus", transport=["bus"], needs=["car_sharing", "evening_bus"])
    answer(10, age_band="65_plus", transport=["bus"], needs=["evening_bus", "car_sharing"])
    _token, plain = tokens.issue(make_user("committee"), "observatory")
    db.session.commit()
    found = client.get(
        "/api/v1/surveys/every-type/results", headers={"Authorization": f"Bearer {plain}"}
    ).get_json()
    needs = next(q for q in found["questions"] if q["id"] == "needs")
    scores = {s["key"]: s for s in needs["scores"]}
    assert scores["evening_bus"]["mean_points"] == round((12 * 2 + 12 + 10 + 10 * 2) / 44, 4)
    assert scores["evening_bus"]["max_points"] == 2
    assert next(q for q in found["questions"] if q["id"] == "has_car")["scores"] is None
