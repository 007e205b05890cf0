"""Filtered views: one group of respondents at a time, allow-listed, and no hidden figure can be
worked out by putting the views of every group beside the unfiltered dashboard (differencing).

The attacker reads the pages as a committee member sees them, rebuilds the table group × answer
with what they show and solves it by exhaustive search (tests/analysis/test_grid_suppression)."""

import random
import re
from html import unescape

import pytest

from app.analysis.disclosure.suppression import Cell, Grid
from app.territory.places import Place
from tests.analysis.helpers import add, cells
from tests.analysis.test_grid_suppression import K, assert_nothing_solvable

AGES = ["under_30", "30_64", "65_plus"]
CARS = ["yes", "no"]


@pytest.fixture
def committee(client, app, survey, make_user, login):
    app.config["ANALYSIS_MIN_CELL"] = K
    login(make_user("committee"))
    return client


def seed(table: list[list[int]]) -> None:
    for age, row in zip(AGES, table, strict=True):
        for car, n in zip(CARS, row, strict=True):
            add(n, age_band=age, has_car=car, transport=["bus", "walk"], km_to_gp=4)


def labels(survey, question_id: str) -> dict[str, str]:
    question = survey.definition.question(question_id)
    return {question.display({question_id: c.id}, "fr"): c.id for c in question.choices}


def read(text: str) -> Cell:
    if text == "•":
        return Cell(None, "complement")
    if text.startswith("<"):
        return Cell(None, "small")
    return Cell(int(text.replace(" ", "")))


def seen_grid(client, survey) -> Grid:
    """The table age band × car as the pages show it: the dashboard's two one-way tables for
    the margins, each age band's filtered view for its row (unknown where it cannot be asked)."""
    dashboard = client.get("/analyse/every-type").get_data(as_text=True)
    ages, cars = labels(survey, "age_band"), labels(survey, "has_car")
    row_totals = {ages[label]: read(v) for label, v in cells(dashboard, "age_band").items()}
    column_totals = {cars[label]: read(v) for label, v in cells(dashboard, "has_car").items()}
    rows = {}
    for age in AGES:
        page = client.get(f"/analyse/every-type?filtre=age_band:{age}")
        if page.status_code == 400:
            assert row_totals[age].count is None  # only hidden groups are refused
            rows[age] = dict.fromkeys(CARS, Cell(None))
            continue
        shown = cells(page.get_data(as_text=True), "has_car")
        found = {cars[label]: read(v) for label, v in shown.items() if label in cars}
        rows[age] = {car: found.get(car, Cell(None)) for car in CARS}  # not shown: unknown
    total = re.search(r"<dt>Réponses</dt><dd>([^<]*)</dd>", unescape(dashboard)).group(1)
    return Grid(rows, row_totals, column_totals, read(total.replace("\xa0", " ")))


TABLES = [
    [[2, 7], [6, 9], [12, 3]],
    [[0, 3], [8, 8], [20, 20]],
    [[4, 4], [4, 4], [30, 30]],
    [[1, 6], [6, 1], [9, 9]],
] + [
    [[rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 12]) for _ in CARS] for _ in AGES]
    for rng in [random.Random(seed) for seed in range(6)]  # noqa: S311 - fixed test data
]


@pytest.mark.parametrize("table", TABLES)
def test_no_hidden_figure_can_be_worked_out_across_filtered_views(committee, survey, table):
    seed(table)
    if sum(map(sum, table)) < K:
        return
    grid = seen_grid(committee, survey)
    truth = {
        (age, car): n
        for age, row in zip(AGES, table, strict=True)
        for car, n in zip(CARS, row, strict=True)
    }
    for (age, car), n in truth.items():  # what is shown is the true count
        assert grid.cells[age][car].count in (None, n)
    assert_nothing_solvable(grid, AGES, CARS, truth)


def test_a_filtered_view_shows_the_group_only(committee, survey):
    seed([[6, 6], [6, 9], [12, 3]])
    html = committee.get("/analyse/every-type?filtre=age_band:65_plus").get_data(as_text=True)
    assert "65 ans ou plus (15 personnes)" in unescape(html).replace("\xa0", " ")
    # 3 without a car: hidden, and the 12 with one too, or 15 − 12 would tell it
    assert cells(html, "has_car") == {"Oui": "•", "Non": "< 5"}
    # several answers per person are not broken down (see analysis.results.groups)
    transport = re.search(r'aria-labelledby="q-transport">(.*?)</section>', html, re.S).group(1)
    assert "<td" not in transport
    # the age band itself is not shown again; free text is not broken down
    assert 'aria-labelledby="q-age_band"' not in html
    assert "Not broken down" not in html  # translated
    assert "Pas ventilé par groupe" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("filtre=nope:1", "Filtre inconnu"),
        ("filtre=age_band:nope", "Filtre inconnu"),
        ("filtre=commune:99999", "Filtre inconnu"),  # not a commune of the territory
        ("filtre=age_band", "Filtre inconnu"),
        ("filtre=age_band:under_30", "Trop peu de personnes"),  # hidden on the dashboard
        ("filtre=age_band:65_plus&ponderation=communes", "retirez le filtre"),
        ("theme=nope", "aucune question sur ce thème"),
    ],
)
def test_bad_filters_are_refused_with_a_message(committee, survey, query, message):
    seed([[2, 0], [6, 9], [12, 3]])
    response = committee.get(f"/analyse/every-type?{query}")
    assert response.status_code == 400
    assert message in unescape(response.get_data(as_text=True))


def test_a_follow_up_is_withheld_in_a_group_where_its_gate_hides_a_count(committee, survey):
    add(12, age_band="65_plus", transport=["bus"], bus_satisfaction=4)
    add(10, age_band="30_64", transport=["walk"])
    add(3, age_band="30_64", transport=["bus"], bus_satisfaction=2)
    add(6, age_band="under_30", transport=["bus"], bus_satisfaction=3)
    html = committee.get("/analyse/every-type?filtre=age_band:30_64").get_data(as_text=True)
    section = re.search(r'aria-labelledby="q-bus_satisfaction">(.*?)</section>', html, re.S)
    assert "Non affiché" in unescape(section.group(1))
    assert "<td" not in section.group(1)


def test_a_theme_shows_its_questions_only(committee, survey):
    seed([[0, 0], [6, 9], [12, 3]])
    html = committee.get("/analyse/every-type?theme=mobility").get_data(as_text=True)
    assert 'aria-labelledby="q-has_car"' in html  # every question inherits the survey's themes
    assert committee.get("/analyse/every-type?theme=pcs-health").status_code == 400


def test_the_filter_list_offers_only_groups_the_dashboard_shows(committee, survey):
    seed([[2, 0], [6, 9], [12, 3]])
    page = committee.get("/analyse/every-type").get_data(as_text=True)
    html = re.search(r'<select id="filtre".*?</select>', page, re.S).group(0)
    assert 'value="age_band:65_plus"' in html
    assert 'value="age_band:under_30"' not in html
    assert 'value="has_car:no"' in html
    assert 'value="age_band:30_64"' not in html  # hidden so that under 30 cannot be solved


def test_a_follow_up_is_not_crossed_where_its_gate_hides_a_count(committee, survey):
    add(12, age_band="65_plus", transport=["bus"], bus_satisfaction=4)
    add(10, age_band="30_64", transport=["walk"])
    add(3, age_band="30_64", transport=["bus"], bus_satisfaction=2)
    add(6, age_band="under_30", transport=["bus"], bus_satisfaction=3)
    page = committee.get("/analyse/every-type/croiser?lignes=age_band&colonnes=bus_satisfaction")
    html = unescape(page.get_data(as_text=True))
    assert page.status_code == 200
    assert "seulement posée après certaines réponses" in html and 'class="cross"' not in html
    # the gate itself crosses as usual
    page = committee.get("/analyse/every-type/croiser?lignes=age_band&colonnes=has_car")
    assert 'class="cross"' in page.get_data(as_text=True)


def cross_rows(client, rows, columns) -> dict[str, list[str]]:
    html = client.get(f"/analyse/every-type/croiser?lignes={rows}&colonnes={columns}")
    body = re.search(r'<table class="cross">(.*?)</table>', html.get_data(as_text=True), re.S)
    found = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S):
        label = re.search(r"<th[^>]*>([^<]*)</th>", tr)
        figures = re.findall(r'<td class="num(?: ci)?">([^<]*)', tr)
        if label and figures:
            found[unescape(label.group(1)).strip()] = [
                unescape(f).replace("\xa0", " ") for f in figures
            ]
    return found


def test_a_province_adds_up_its_communes_and_hides_what_they_hide(committee, survey):
    # A review's case: province tables protected on their own solved Momignies' « no » (1)
    # from Hainaut's « yes » (5) beside Momignies' • and total 6.
    couvin, momignies = Place("commune", "93014"), Place("commune", "56051")
    add(1, commune=couvin, has_car="yes")
    add(2, commune=couvin, has_car="no")
    add(5, commune=momignies, has_car="yes")
    add(1, commune=momignies, has_car="no")
    by_commune = cross_rows(committee, "commune", "has_car")
    by_province = cross_rows(committee, "province", "has_car")
    assert by_commune["Momignies"] == ["•", "< 5", "6"]
    assert by_province["Hainaut"][:2] == ["•", "•"]  # sums of hidden communes: hidden
    # the other way round, the same
    flipped = cross_rows(committee, "has_car", "province")
    assert [row[1] for row in flipped.values()][:2] == ["•", "•"]
    assert (
        committee.get("/analyse/every-type/croiser?lignes=province&colonnes=commune").status_code
        == 400
    )  # nested in each other


def test_every_group_offered_opens_on_the_page_and_in_the_api(
    app, client, survey, make_user, login
):
    """Areas and provinces offer their people who live elsewhere or did not say: those groups
    (nested in the residence, like a commune's) open too (a review found them a 500)."""
    from app.analysis.results.figures import figures_for as material_for
    from app.analysis.results.groups import choices
    from tests.api.test_results_api import get, token_for

    add(12, commune=Place("undisclosed"))
    add(12, commune=Place("elsewhere"))
    add(30)  # Beaumont
    user = make_user("committee")
    plain = token_for(user)
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        groups = [g.value for found in choices(material_for(survey)).values() for g in found]
    assert {"area:undisclosed", "province:elsewhere", "commune:undisclosed"} <= set(groups)
    for value in groups:
        assert get(client, plain, filter=value).status_code == 200, value
    login(user)
    for value in groups:
        page = client.get(f"/analyse/every-type?filtre={value}")
        assert page.status_code == 200, value


def test_the_whole_area_is_not_refused_for_holding_the_small_communes(committee, survey):
    """A review's case: « Sud ESEM » was refused as too small, its sum holding hidden communes;
    when every hidden commune lies inside it, its figures are the totals less the communes
    shown outside it: known already, so shown (and the same as the whole territory's here)."""
    add(30)  # Beaumont
    add(3, commune=Place("commune", "56016"), has_car="no")  # Chimay: « < 5 »
    add(2, commune=Place("commune", "56088"))  # Sivry-Rance: « < 5 »
    page = committee.get("/analyse/every-type?filtre=area:sud-esem")
    assert page.status_code == 200
    html = unescape(page.get_data(as_text=True))
    assert re.search(r"<dt>Réponses dans ce groupe</dt><dd>35</dd>", html)
    by_area = cross_rows(committee, "area", "has_car")
    assert by_area["Sud Entre-Sambre-et-Meuse"][-1] == "35"
    by_commune = cross_rows(committee, "commune", "has_car")
    assert by_commune["Chimay"][-1] == "< 5"  # the communes inside stay as protected


def test_an_area_whose_sum_would_tell_a_hidden_commune_says_so(committee, survey):
    """« Sud ESEM » beside a hidden commune of Haute-Meuse: its sum would tell that commune's
    count. Refused, and not as « too few people » (it has 35)."""
    add(30)  # Beaumont
    add(3, commune=Place("commune", "56016"), has_car="no")  # Chimay: « < 5 »
    add(2, commune=Place("commune", "91005"))  # Anhée, in Haute-Meuse: « < 5 »
    page = committee.get("/analyse/every-type?filtre=area:sud-esem")
    assert page.status_code == 400
    text = unescape(page.get_data(as_text=True))
    assert "ne peut pas être regardé seul" in text and "Trop peu" not in text
