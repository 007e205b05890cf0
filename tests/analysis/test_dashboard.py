"""The committee's dashboard: who may see it, participation, coverage, intervals."""

import re
from html import unescape

import pytest
from sqlalchemy import select

from app.analysis.disclosure.intervals import wilson
from app.extensions import db
from app.surveys.models import Response, Survey
from app.surveys.queries import newest_version
from app.territory.places import Place
from tests.analysis.helpers import answer, cells

SIVRY = Place("commune", "56088")  # 4,794 inhabitants (Statbel 2020)


@pytest.mark.parametrize(
    ("role", "status"), [("committee", 200), ("admin", 200), ("partner", 403), ("facilitator", 403)]
)
def test_only_the_committee_and_administrators_see_it(
    client, survey, make_user, login, role, status
):
    assert client.get("/analyse/every-type").status_code == 302  # to the login page
    login(make_user(role))
    assert client.get("/analyse/every-type").status_code == status
    assert client.get("/analyse/").status_code == status


def test_participation_coverage_and_intervals(client, survey, make_user, login):
    answer(20, age_band="65_plus", commune=SIVRY)
    answer(12, age_band="30_64")  # Barbençon, in Beaumont
    version = newest_version(db.session.scalar(select(Survey).where(Survey.slug == "every-type")))
    db.session.add(Response(version_id=version.id, channel="web"))  # begun, never sent
    db.session.commit()
    login(make_user("committee"))
    raw = client.get("/analyse/every-type").get_data(as_text=True)
    html = unescape(raw)
    assert re.search(r"<dt>Taux de complétion</dt><dd>97\s%</dd>", html)  # 32 of 33
    row = re.search(
        r'<th scope="row"><a href="/analyse/every-type/profil/56088">Sivry-Rance</a></th>'
        r'<td class="num">20</td>\s*'
        r'<td class="num">4\s794</td>\s*<td class="num">([^<]*)</td>',
        html,
    )
    assert row and row.group(1) == "4,2"  # 20 per 4,794 inhabitants
    assert "Statbel (2020)" in html
    low, high = wilson(20, 32)
    assert f"{round(low * 100)}\u00a0% – {round(high * 100)}\u00a0%" in html.replace(
        " %", "\u00a0%"
    )
    age = cells(raw, "age_band")
    # nobody under 30: a zero names no one, so it is shown, and nothing needs hiding
    assert age == {"Moins de 30 ans": "0", "De 30 à 64 ans": "12", "65 ans ou plus": "20"}


def test_wilson_matches_the_textbook():
    # Newcombe (1998), 81 of 263: 0.2553 to 0.3662
    low, high = wilson(81, 263)
    assert round(low, 4) == 0.2553 and round(high, 4) == 0.3662
    assert wilson(0, 10)[0] == 0.0 and wilson(10, 10)[1] == 1.0


def test_a_cross_tabulation_of_two_breakdowns_is_protected(client, survey, make_user, login):
    from tests.analysis.helpers import grid

    answer(20, age_band="65_plus", commune=SIVRY)
    answer(15, age_band="30_64", commune=SIVRY)
    answer(12, age_band="30_64")  # Barbençon, in Beaumont
    answer(2, age_band="under_30")
    login(make_user("committee"))
    raw = client.get("/analyse/every-type/croiser?lignes=commune&colonnes=age_band")
    assert raw.status_code == 200
    html = raw.get_data(as_text=True)
    table = grid(html)
    names = re.findall(r'<th scope="row">([^<]*)</th>', html.split("<tbody>")[1])
    rows = dict(zip(names, table, strict=True))
    # The smallest cells protect the two under 30 (a zero costs nothing): the committee keeps
    # the 15 and the 12, and every row total.
    assert rows["Sivry-Rance"] == ["< 10", "15", "•", "35"]
    assert rows["Beaumont"] == ["< 10", "12", "< 10", "14"]
    assert "Chimay" not in rows  # nobody from there, as the coverage table shows (0)
    assert rows["Total"] == ["< 10", "27", "•", "49"]
    # the margins are the dashboard's own one-way tables, cell for cell
    board = client.get("/analyse/every-type").get_data(as_text=True)
    age = cells(board, "age_band")
    assert rows["Total"][:3] == [
        age[k] for k in ("Moins de 30 ans", "De 30 à 64 ans", "65 ans ou plus")
    ]
    communes = cells(board, "commune")
    assert {name: row[-1] for name, row in rows.items() if name != "Total"} == {
        name: communes[name] for name in rows if name != "Total"
    }
    assert communes["Chimay"] == "0"


def raw_row(html: str, name: str = "Sivry-Rance") -> str:
    return re.search(rf'<th scope="row">{name}</th>(.*?)</tr>', html, re.S).group(1)


@pytest.mark.parametrize(
    "query",
    [
        "lignes=commune&colonnes=nope",
        "lignes=transport&colonnes=commune",
        "lignes=area&colonnes=area",
    ],
)
def test_unknown_or_unfit_breakdowns_are_refused(client, survey, make_user, login, query):
    login(make_user("committee"))
    response = client.get(f"/analyse/every-type/croiser?{query}")
    assert response.status_code == 400
    assert "ne peut pas être croisé" in unescape(response.get_data(as_text=True))


def test_weighting_to_the_commune_populations(client, survey, make_user, login):
    # Every commune with 10 answers « yes » and 10 or 30 « no »: the table commune × question
    # shows every figure, so it is weighted; each commune then counts as its population.
    from app.territory.queries import communes

    population = {c.nis: c.population_2020 for c in communes()}
    for i, nis in enumerate(sorted(population)):
        place = Place("commune", nis)
        answer(10, has_car="yes", commune=place)
        answer(10 if i % 2 else 30, has_car="no", commune=place)
    for outside in ("elsewhere", "undisclosed"):  # not weighted; a few, so nothing is pinned
        answer(4, has_car="yes", commune=Place(outside))
        answer(3, has_car="no", commune=Place(outside))
    login(make_user("committee"))
    assert client.get("/analyse/every-type?ponderation=age").status_code == 400
    raw = client.get("/analyse/every-type?ponderation=communes").get_data(as_text=True)
    section = re.search(r'aria-labelledby="q-has_car">(.*?)</section>', raw, re.S).group(1)
    sizes = {nis: 20 if i % 2 else 40 for i, nis in enumerate(sorted(population))}
    people, respondents = sum(population.values()), sum(sizes.values())
    weight = {nis: (population[nis] / people) / (sizes[nis] / respondents) for nis in sizes}
    assert max(weight.values()) > 3.5  # Couvin's 20 answers would weigh more: trimmed
    for _ in range(20):  # trimmed at 3.5, the others raised so that the mean stays 1
        trimmed = {nis for nis, w in weight.items() if w >= 3.5}
        rest = respondents - 3.5 * sum(sizes[n] for n in trimmed)
        free = sum(weight[n] * sizes[n] for n in sizes if n not in trimmed)
        weight = {n: 3.5 if n in trimmed else weight[n] * rest / free for n in sizes}
    assert max(weight.values()) <= 3.5 + 1e-9
    assert abs(sum(weight[n] * sizes[n] for n in sizes) - respondents) < 1e-6
    weights = [weight[nis] for nis in sizes for _ in range(sizes[nis])]
    kish = sum(weights) ** 2 / sum(w * w for w in weights)
    shown = re.search(r"taille effective de l’échantillon\s: ([\d\s,]+)\.", unescape(section))
    figure = shown.group(1).replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    assert abs(float(figure.replace(",", ".")) - kish) <= 0.05  # one decimal shown
    row = re.search(r">Oui</th>(.*?)</tr>", section, re.S).group(1)
    weighted = re.findall(r'<td class="num(?: ci)?">([^<]*)</td>', row)[-2]
    share = sum(weight[n] * 10 for n in sizes) / sum(weight[n] * sizes[n] for n in sizes)
    assert unescape(weighted).replace("\xa0", " ") == f"{round(share * 100)} %"


def test_no_weighted_share_where_the_commune_table_hides_a_figure(client, survey, make_user, login):
    # A review solved a hidden commune count from the effective sample size: weights now come
    # from shown communes, and from the pool of the others, whose figures are the totals less
    # the communes shown. A figure hidden outside the communes (people from elsewhere, who
    # stand for no population) leaves the pool's figures unknown: the question is not weighted.
    answer(20, has_car="no", commune=SIVRY)
    answer(12, has_car="no", commune=Place("elsewhere"))
    answer(3, has_car="yes", commune=Place("elsewhere"))  # « < 10 » in the table commune × car
    answer(20, has_car="no")  # Beaumont
    answer(12, has_car="yes")
    answer(2, has_car="no", commune=Place("commune", "56016"))  # Chimay: « < 10 »
    login(make_user("committee"))
    raw = client.get("/analyse/every-type?ponderation=communes").get_data(as_text=True)
    section = re.search(r'aria-labelledby="q-has_car">(.*?)</section>', raw, re.S).group(1)
    assert "taille effective" not in section and "Part pondérée" not in section
    # … and it says why, beside the question.
    assert "Non pondérée\xa0: son tableau par strate masque un chiffre" in unescape(section)
    several = re.search(r'aria-labelledby="q-transport">(.*?)</section>', raw, re.S).group(1)
    assert "plusieurs réponses par personne" in unescape(several)
    assert "plafonnés à 3,5" in unescape(raw)


def test_commune_weighting_stays_in_the_questionnaire_territory(
    client, app, tmp_path, make_user, login
):
    """A review's case: a Sud ESEM questionnaire weighted Haute-Meuse respondents to their
    communes' populations, as if it covered them."""
    from app.surveys.services import load_paths
    from app.territory.queries import communes
    from tests.conftest import EVERY_TYPE

    text = EVERY_TYPE.read_text("utf-8").replace(
        "territory: sud-esem+haute-meuse", "territory: sud-esem"
    )
    path = tmp_path / "every-type.yaml"
    path.write_text(text, "utf-8")
    load_paths([path])
    db.session.commit()
    south = sorted(c.nis for c in communes() if c.area == "sud-esem")
    for nis in south[:6]:
        answer(10, has_car="yes", commune=Place("commune", nis))
        answer(10, has_car="no", commune=Place("commune", nis))
    answer(20, has_car="yes", commune=Place("commune", "91141"))  # Yvoir: Haute-Meuse
    answer(10, has_car="no", commune=Place("commune", "91141"))
    login(make_user("committee"))
    raw = client.get("/analyse/every-type?ponderation=communes").get_data(as_text=True)
    section = re.search(r'aria-labelledby="q-has_car">(.*?)</section>', raw, re.S).group(1)
    row = re.search(r">Oui</th>(.*?)</tr>", section, re.S).group(1)
    weighted = unescape(re.findall(r'<td class="num(?: ci)?">([^<]*)</td>', row)[-2])
    # Only the six Sud ESEM communes weigh, each half « yes »: 50 %, whatever their size;
    # with Yvoir (two thirds « yes ») weighted in, it would be more.
    assert weighted.replace("\xa0", " ") == "50 %"


def test_a_missing_breakdown_asks_for_both(client, survey, make_user, login):
    login(make_user("committee"))
    response = client.get("/analyse/every-type/croiser?lignes=commune")
    assert response.status_code == 400
    assert "une pour les lignes, une pour les colonnes" in unescape(response.get_data(as_text=True))


def test_a_theme_across_questionnaires(client, survey, make_user, login):
    answer(20, age_band="65_plus", commune=SIVRY)
    login(make_user("committee"))
    index = client.get("/analyse/").get_data(as_text=True)
    assert 'href="/analyse/themes/mobility"' in index
    html = client.get("/analyse/themes/mobility").get_data(as_text=True)
    assert 'aria-labelledby="q-km_to_gp"' in html and "Toutes les sortes de questions" in html
    assert 'aria-labelledby="q-age_band"' not in html  # a profile question: on the dashboard
    assert client.get("/analyse/themes/pcs-health").status_code == 200  # a theme, no question
    assert client.get("/analyse/themes/nope").status_code == 404


def trimmed_weights(sizes: dict, population: dict) -> dict:
    """Post-stratification trimmed at 3.5 (mean kept at 1), written out again from the rule."""
    people, respondents = sum(population[s] for s in sizes), sum(sizes.values())
    weight = {s: (population[s] / people) / (sizes[s] / respondents) for s in sizes}
    for _ in range(20):
        trimmed = {s for s, w in weight.items() if w >= 3.5}
        rest = respondents - 3.5 * sum(sizes[s] for s in trimmed)
        free = sum(weight[s] * sizes[s] for s in sizes if s not in trimmed)
        weight = {s: 3.5 if s in trimmed else weight[s] * rest / free for s in sizes}
    return weight


def test_communes_too_small_to_show_are_weighted_together(client, survey, make_user, login):
    """A review's case: communes of a few respondents were left out of weighting, their people
    with them. Now the communes whose count is hidden make one stratum (their sum is the total
    less the communes shown, known already), weighted to their joint population."""
    from app.territory.queries import communes

    population = {c.nis: c.population_2020 for c in communes()}
    small = {"56016": (5, 4), "56029": (4, 4)}  # Chimay, Froidchapelle: 9 and 8 people
    sizes = {}
    for i, nis in enumerate(sorted(population)):
        yes, no = small.get(nis, (10, 10 if i % 2 else 30))
        answer(yes, has_car="yes", commune=Place("commune", nis))
        answer(no, has_car="no", commune=Place("commune", nis))
        sizes[nis] = (yes, no)
    login(make_user("committee"))
    page = client.get("/analyse/every-type?ponderation=communes")
    text = unescape(page.get_data(as_text=True))
    # What the page shows of the communes: the hidden ones make the pool (Chimay and
    # Froidchapelle, with a « nobody » from elsewhere hidden to protect them).
    coverage = text[text.index('id="coverage-title"') :].replace("\xa0", " ").replace("\u202f", " ")
    rows = dict(re.findall(r'<th scope="row">([^<]*)</th><td class="num">(.*?)</td>', coverage))
    hidden = {c.nis for c in communes() if rows.get(c.name) in ("< 10", "•")}
    assert hidden == {"56016", "56029"}
    assert "dont le nombre de répondants est masqué, et pour chaque question" in text
    strata = {nis: sum(sizes[nis]) for nis in sizes if nis not in hidden}
    strata["pool"] = sum(sum(sizes[nis]) for nis in hidden)
    people = {nis: population[nis] for nis in strata if nis != "pool"}
    people["pool"] = sum(population[nis] for nis in hidden)
    weight = trimmed_weights(strata, people)
    yes = {nis: sizes[nis][0] for nis in sizes if nis not in hidden}
    yes["pool"] = sum(sizes[nis][0] for nis in hidden)
    share = sum(weight[s] * yes[s] for s in strata) / sum(weight[s] * strata[s] for s in strata)
    section = re.search(r'aria-labelledby="q-has_car">(.*?)</section>', text, re.S).group(1)
    row = re.search(r">Oui</th>(.*?)</tr>", section, re.S).group(1)
    weighted = re.findall(r'<td class="num(?: ci)?">([^<]*)</td>', row)[-2]
    assert weighted.replace("\xa0", " ") == f"{round(share * 100)} %"
