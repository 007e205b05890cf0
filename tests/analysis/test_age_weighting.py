"""Weighting to the age bands of the population, when the population by age is supplied as
data: offered only then, refused with a reason otherwise, and the figures of a
post-stratification written out again here."""

import re
from datetime import datetime
from html import unescape

from sqlalchemy import delete, insert

from app.extensions import db
from app.territory.models import AgePopulation
from app.territory.places import Place
from tests.analysis.helpers import SIVRY, answer, publish

# Inhabitants per single year of age in two communes of the territory: under 18 (not in any
# band of every-type: it starts at 18), 18–29, 30–64, 65 and more.
PER_AGE = [(range(0, 18), 40), (range(18, 30), 100), (range(30, 65), 50), (range(65, 101), 20)]
BANDS = {"under_30": 2 * 12 * 100, "30_64": 2 * 35 * 50, "65_plus": 2 * 36 * 20}


def load_ages(year: int = 2024) -> None:
    db.session.execute(delete(AgePopulation))
    rows = [
        {"nis": nis, "age": age, "people": people, "year": year, "loaded_at": datetime.now()}
        for nis in ("56088", "56005")
        for ages, people in PER_AGE
        for age in ages
    ]
    db.session.execute(insert(AgePopulation), rows)
    db.session.commit()


def section(html: str, qid: str) -> str:
    return re.search(rf'aria-labelledby="q-{qid}">(.*?)</section>', html, re.S).group(1)


def test_offered_only_once_the_population_by_age_is_loaded(client, survey, make_user, login):
    answer(12, age_band="under_30", has_car="yes")
    login(make_user("committee"))
    page = unescape(client.get("/analyse/every-type").get_data(as_text=True))
    assert "Pondérer selon les tranches d’âge" not in page
    refused = client.get("/analyse/every-type?ponderation=ages")
    assert refused.status_code == 400
    assert "flask territory ages" in unescape(refused.get_data(as_text=True))
    load_ages()
    page = unescape(client.get("/analyse/every-type").get_data(as_text=True))
    assert "ponderation=ages" in page and "Pondérer selon les tranches d’âge" in page


def test_weighted_to_the_age_bands(client, survey, make_user, login):
    # Each band with 10 « yes » and 10 or 30 « no »: the table band × question shows every
    # figure, so it is weighted; each band then counts as its share of the population.
    sizes = {"under_30": 40, "30_64": 20, "65_plus": 40}
    for band, size in sizes.items():
        answer(10, age_band=band, has_car="yes")
        answer(size - 10, age_band=band, has_car="no")
    load_ages()
    login(make_user("committee"))
    raw = unescape(client.get("/analyse/every-type?ponderation=ages").get_data(as_text=True))
    assert "(Statbel 2024)" in raw  # the year of the figures supplied
    found = section(raw, "has_car")
    people, respondents = sum(BANDS.values()), sum(sizes.values())
    weight = {b: (BANDS[b] / people) / (sizes[b] / respondents) for b in sizes}
    weights = [weight[b] for b in sizes for _ in range(sizes[b])]
    kish = sum(weights) ** 2 / sum(w * w for w in weights)
    shown = re.search(
        r"tranches d’âge de la population ; taille effective .*?: ([\d\s,]+)\.", found
    )
    figure = re.sub(r"\s", "", shown.group(1))
    assert abs(float(figure.replace(",", ".")) - kish) <= 0.05  # one decimal shown
    row = re.search(r">Oui</th>(.*?)</tr>", found, re.S).group(1)
    weighted = re.findall(r'<td class="num(?: ci)?">([^<]*)</td>', row)[-2]
    share = sum(weight[b] * 10 for b in sizes) / sum(weight[b] * sizes[b] for b in sizes)
    assert weighted.replace("\xa0", " ") == f"{round(share * 100)} %"
    assert "Part pondérée" not in section(
        raw, "age_band"
    )  # the bands are not weighed by themselves


def test_no_weighted_share_where_the_band_table_hides_a_figure(client, survey, make_user, login):
    answer(20, age_band="under_30", has_car="no")
    answer(20, age_band="30_64", has_car="no")
    answer(12, age_band="65_plus", has_car="no")
    answer(3, age_band="65_plus", has_car="yes")  # « < 10 » in the table band × question
    load_ages()
    login(make_user("committee"))
    raw = unescape(client.get("/analyse/every-type?ponderation=ages").get_data(as_text=True))
    assert "Part pondérée" not in section(raw, "has_car")


def test_only_the_committee_weighs(client, survey, make_user, login):
    load_ages()
    partner = make_user("partner")
    from app.accounts.scopes import set_partner_scope

    set_partner_scope(partner, communes=["56088"], themes=[])
    db.session.commit()
    answer(10, age_band="65_plus", commune=SIVRY)
    publish()
    login(partner)
    assert client.get("/analyse/every-type?ponderation=ages").status_code == 403


def test_age_bands_too_small_to_show_are_weighted_together(client, survey, make_user, login):
    """A review's case: a hidden age band left its people out of weighting (29 % of them).
    Now the hidden bands make one stratum (their sum is the total less the band shown, known
    already), weighted to their joint population."""
    from tests.analysis.test_dashboard import trimmed_weights

    people = {"under_30": (4, 4), "30_64": (3, 3), "65_plus": (20, 30)}  # yes, no
    for band, (yes, no) in people.items():
        answer(yes, age_band=band, has_car="yes")
        answer(no, age_band=band, has_car="no")
    load_ages()
    login(make_user("committee"))
    raw = unescape(client.get("/analyse/every-type?ponderation=ages").get_data(as_text=True))
    assert "tranches d’âge dont le nombre de répondants est masqué, et pour chaque" in raw
    sizes = {"pool": 14, "65_plus": 50}
    population = {"pool": BANDS["under_30"] + BANDS["30_64"], "65_plus": BANDS["65_plus"]}
    weight = trimmed_weights(sizes, population)
    share = (weight["pool"] * 7 + weight["65_plus"] * 20) / sum(weight[s] * sizes[s] for s in sizes)
    row = re.search(r">Oui</th>(.*?)</tr>", section(raw, "has_car"), re.S).group(1)
    weighted = re.findall(r'<td class="num(?: ci)?">([^<]*)</td>', row)[-2]
    assert weighted.replace("\xa0", " ") == f"{round(share * 100)} %"


# Residents of Beaumont in each band: (with a car, without).
RESIDENTS = {"under_30": (20, 20), "30_64": (10, 10), "65_plus": (30, 10)}


def answer_residents() -> None:
    for band, (yes, no) in RESIDENTS.items():
        answer(yes, age_band=band, has_car="yes")
        answer(no, age_band=band, has_car="no")


def _weighted_yes(raw: str) -> str:
    row = re.search(r">Oui</th>(.*?)</tr>", section(raw, "has_car"), re.S).group(1)
    return re.findall(r'<td class="num(?: ci)?">([^<]*)</td>', row)[-2].replace("\xa0", " ")


def _share(people: dict) -> float:
    """The weighted share of « yes », written out: people = band → (yes, no) of the residents."""
    sizes = {b: yes + no for b, (yes, no) in people.items()}
    total, population = sum(sizes.values()), sum(BANDS[b] for b in people)
    weight = {b: (BANDS[b] / population) / (sizes[b] / total) for b in people}
    return sum(weight[b] * people[b][0] for b in people) / sum(weight[b] * sizes[b] for b in people)


def test_weighted_to_the_territory_residents_only(client, survey, make_user, login):
    """A review's case: age weighting counted people from elsewhere as residents of their age
    band, though the population it weighs to is the territory's. Twenty people from elsewhere,
    all 65 or more and without a car, now leave the 65-and-over band of the residents as it
    is (30 with a car, 10 without)."""
    residents = RESIDENTS
    answer_residents()
    answer(20, age_band="65_plus", has_car="no", commune=Place("elsewhere"))
    load_ages()
    login(make_user("committee"))
    raw = unescape(client.get("/analyse/every-type?ponderation=ages").get_data(as_text=True))
    assert "chaque répondant habitant le territoire compte" in raw
    everyone = residents | {"65_plus": (30, 30)}
    assert round(_share(residents) * 100) != round(_share(everyone) * 100)  # the test can tell
    assert _weighted_yes(raw) == f"{round(_share(residents) * 100)} %"
    summary = re.search(r"(\d+) tableaux sur (\d+) sont pondérés", raw)
    weighted = len(re.findall("Pondéré selon les tranches d’âge", raw))
    assert summary and int(summary.group(1)) == weighted >= 1


def test_bands_few_people_from_elsewhere_are_in_are_weighted_together(
    client, survey, make_user, login
):
    """People from elsewhere in two bands, each fewer than k by answer: their three-way
    figures are hidden, and the residents' figures of those bands with them. The two bands are
    weighted together, as one stratum: the residents' totals (shown by commune) less the band
    every figure of which is shown. The share is still the residents' only."""
    from tests.analysis.test_dashboard import trimmed_weights

    answer_residents()
    for band, yes, no in (("under_30", 1, 5), ("30_64", 9, 9)):
        answer(yes, age_band=band, has_car="yes", commune=Place("elsewhere"))
        answer(no, age_band=band, has_car="no", commune=Place("elsewhere"))
    load_ages()
    login(make_user("committee"))
    raw = unescape(client.get("/analyse/every-type?ponderation=ages").get_data(as_text=True))
    assert "sont pondérées ensemble, comme une seule strate" in raw
    sizes = {"pool": 60, "65_plus": 40}
    population = {"pool": BANDS["under_30"] + BANDS["30_64"], "65_plus": BANDS["65_plus"]}
    weight = trimmed_weights(sizes, population)
    share = (weight["pool"] * 30 + weight["65_plus"] * 30) / sum(
        weight[s] * sizes[s] for s in sizes
    )
    everyone = {"pool": 84, "65_plus": 40}  # with the 24 people from elsewhere: 40 « yes »
    weight = trimmed_weights(everyone, population)
    wrong = (weight["pool"] * 40 + weight["65_plus"] * 30) / sum(
        weight[s] * everyone[s] for s in everyone
    )
    assert round(share * 100) != round(wrong * 100)
    assert _weighted_yes(raw) == f"{round(share * 100)} %"


def test_no_weighted_share_where_the_residents_figures_are_not_published(
    client, survey, make_user, login
):
    """Three people from elsewhere with a car: the table commune × car hides them, and so the
    residents' number with a car in their band; a weighted share would tell it."""
    answer_residents()
    answer(3, age_band="30_64", has_car="yes", commune=Place("elsewhere"))
    answer(12, age_band="30_64", has_car="no", commune=Place("elsewhere"))
    load_ages()
    login(make_user("committee"))
    raw = unescape(client.get("/analyse/every-type?ponderation=ages").get_data(as_text=True))
    found = section(raw, "has_car")
    assert "Part pondérée" not in found
    assert "Non pondérée\xa0: son tableau par strate masque un chiffre" in found


def test_without_the_place_question_everyone_who_gave_an_age_is_weighted(
    client, app, make_user, login, tmp_path, monkeypatch
):
    """A questionnaire that does not ask where people live cannot keep to its residents: it
    weighs everyone who gave an age, and its page says so."""
    from app.surveys.queries import current
    from app.surveys.services import load_paths, store_response
    from tests.conftest import EVERY_TYPE, IN_CAMPAIGN

    text = EVERY_TYPE.read_text(encoding="utf-8").replace("slug: every-type", "slug: no-place")
    place = "      - id: commune\n        type: place\n        quasi_identifier: true\n"
    place += "        label: Où habitez-vous ?\n        required: true\n"
    assert place in text
    (tmp_path / "no-place.yaml").write_text(text.replace(place, ""), encoding="utf-8")
    load_paths([tmp_path / "no-place.yaml"])
    db.session.commit()
    monkeypatch.setattr("app.surveys.queries.today", lambda: IN_CAMPAIGN)
    version = current("no-place").version
    sizes = {"under_30": 40, "30_64": 20, "65_plus": 40}
    for band, size in sizes.items():
        for car, people in (("yes", 10), ("no", size - 10)):
            for _ in range(people):
                store_response(version, {"age_band": band, "has_car": car, "transport": ["bus"]})
    db.session.commit()
    load_ages()
    login(make_user("committee"))
    raw = unescape(client.get("/analyse/no-place?ponderation=ages").get_data(as_text=True))
    assert "Ce questionnaire ne demande pas où les personnes habitent" in raw
    people, respondents = sum(BANDS.values()), sum(sizes.values())
    weight = {b: (BANDS[b] / people) / (sizes[b] / respondents) for b in sizes}
    share = sum(weight[b] * 10 for b in sizes) / sum(weight[b] * sizes[b] for b in sizes)
    assert _weighted_yes(raw) == f"{round(share * 100)} %"


def test_one_stratum_left_is_not_weighted_and_says_why(client, survey, make_user, login):
    """People from elsewhere in every band, a few of each answer: every band's residents are
    hidden, so all are pooled, and one stratum cannot be weighted. Said on the page and in the
    API, rather than a « weighted » share equal to the plain one."""
    from app.accounts import tokens

    answer_residents()
    for band, each in (("under_30", 4), ("30_64", 3), ("65_plus", 4)):
        for car in ("yes", "no"):
            answer(each, age_band=band, has_car=car, commune=Place("elsewhere"))
    load_ages()
    committee = make_user("committee")
    plain = tokens.issue(committee, "test")[1]
    db.session.commit()
    login(committee)
    raw = unescape(client.get("/analyse/every-type?ponderation=ages").get_data(as_text=True))
    found = section(raw, "has_car")
    assert "Part pondérée" not in found
    assert "chaque tranche d’âge masque un chiffre de ses habitants" in found
    assert "Pondéré selon les tranches d’âge" not in raw  # nothing else either:
    assert "Aucun tableau ne peut être pondéré sur ces chiffres" in raw  # said at the top
    body = client.get(
        "/api/v1/surveys/every-type/results",
        query_string={"weighting": "ages"},
        headers={"Authorization": f"Bearer {plain}"},
    ).get_json()
    table = next(q for q in body["questions"] if q["id"] == "has_car")["tables"][0]
    assert table["not_weighted"] == "one_age"
    assert all("weighted_share" not in a for a in table["answers"])


GATED = """slug: gated
title:
  fr: Carburant
languages: [fr]
territory: sud-esem+haute-meuse
themes: [mobility]
opens: 2026-12-01
closes: 2027-03-31
anonymity: anonymous
notice:
  fr: Anonyme.
retention_months: 36
public_results: true
pages:
  - id: profile
    title: Vous
    questions:
      - id: commune
        type: place
        label: Où habitez-vous ?
      - id: age_band
        type: single_choice
        ages: {under_30: [18, 29], "30_64": [30, 64], "65_plus": [65, null]}
        label: Quel âge avez-vous ?
        choices:
          - {id: under_30, label: Moins de 30 ans}
          - {id: "30_64", label: De 30 à 64 ans}
          - {id: "65_plus", label: 65 ans ou plus}
      - id: has_car
        type: yes_no
        label: Avez-vous une voiture ?
        required: true
      - id: fuel
        type: single_choice
        label: Quel carburant ?
        required: true
        show_if: has_car == 'yes'
        choices:
          - {id: petrol, label: Essence}
          - {id: diesel, label: Diesel}
"""


def test_a_gated_question_needing_the_three_way_table_is_not_weighted(app, tmp_path, monkeypatch):
    """A review's case: every place and band large (so the gate's own tables by commune and by
    age band hide nothing and the follower's are shown), but 3 people of Sivry under 30 with a
    car (« < 10 » in the gate's three-way table) and people from elsewhere in two bands. The
    follower's three-way table is protected for itself: its « not answered » counts whom the
    gate turned away, so the residents' row of a band told how many of them have a car, and
    the weighted share (with the effective size) gave back the 3. It is not weighted now."""
    from itertools import product

    from app.analysis.results.dashboard import dashboard
    from app.analysis.results.figures import figures_for
    from app.surveys.queries import current
    from app.surveys.services import load_paths, store_response
    from app.territory.queries import communes
    from tests.conftest import IN_CAMPAIGN

    (tmp_path / "gated.yaml").write_text(GATED, encoding="utf-8")
    load_paths([tmp_path / "gated.yaml"])
    db.session.commit()
    monkeypatch.setattr("app.surveys.queries.today", lambda: IN_CAMPAIGN)
    version = current("gated").version
    places = [Place("commune", c.nis) for c in communes()]
    places += [Place("elsewhere"), Place("undisclosed"), None]
    special = {("56088", "under_30"): (2, 1, 24)}
    special |= {("elsewhere", b): (10, 10, 12) for b in ("under_30", "30_64")}
    for place, band in product(places, ["under_30", "30_64", "65_plus", None]):
        key = (place.nis or place.kind) if place else None
        petrol, diesel, without = special.get((key, band), (12, 12, 24))
        for fuel, n in (("petrol", petrol), ("diesel", diesel), (None, without)):
            answers = {"has_car": "yes" if fuel else "no"} | ({"fuel": fuel} if fuel else {})
            answers |= ({"commune": place} if place else {}) | ({"age_band": band} if band else {})
            for _ in range(n):
                store_response(version, answers)
    db.session.commit()
    load_ages()
    board = dashboard(figures_for(current("gated"), crossings=True), "ages")
    fuel = next(r for r in board.results.questions if r.id == "fuel").tables[0]
    assert fuel.weighted is None and fuel.unweighted == "withheld"
