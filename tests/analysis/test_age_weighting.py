"""Weighting to the age bands of the population, when the population by age is supplied as
data: offered only then, refused with a reason otherwise, and the figures of a
post-stratification written out again here."""

import re
from datetime import datetime
from html import unescape

from sqlalchemy import delete, insert

from app.extensions import db
from app.territory.models import AgePopulation
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
    weighted = re.findall(r'<td class="num">([^<]*)</td>', row)[-2]
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
    weighted = re.findall(r'<td class="num">([^<]*)</td>', row)[-2]
    assert weighted.replace("\xa0", " ") == f"{round(share * 100)} %"
