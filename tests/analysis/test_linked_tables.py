"""Figures shown together must not give away what each table hides (findings of a review,
each reproduced first: the two orientations of one cross-tabulation, the coverage table beside
the place question, a mean beside hidden counts, a follow-up question counting its gate, a
required ranking whose counts add up, counts below k on committee pages)."""

import re
from collections import Counter
from html import unescape

from app.analysis.counting import counts
from app.analysis.results.questions import question_results
from tests.analysis.helpers import BARBENCON, SIVRY, add, grid


def test_one_table_hides_the_same_cells_whichever_way_round(client, survey, make_user, login):
    add(20, age_band="under_30")
    add(11, age_band="30_64")
    add(9, age_band="65_plus")
    add(11, channel="kiosk", age_band="under_30")
    add(15, channel="kiosk", age_band="30_64")
    add(2, channel="kiosk", age_band="65_plus")
    login(make_user("committee"))
    url = "/analyse/every-type/croiser?lignes={}&colonnes={}"
    across = grid(client.get(url.format("channel", "age_band")).get_data(as_text=True))
    down = grid(client.get(url.format("age_band", "channel")).get_data(as_text=True))
    assert [list(col) for col in zip(*across, strict=True)] == down


def test_the_coverage_table_is_the_place_question_table(client, survey, make_user, login):
    add(30, commune=SIVRY)
    add(12, commune=BARBENCON)
    login(make_user("committee"))
    html = client.get("/analyse/every-type").get_data(as_text=True)
    coverage = re.search(r'aria-labelledby="coverage-title">(.*?)</section>', html, re.S).group(1)
    place = re.search(r'aria-labelledby="q-commune">(.*?)</section>', html, re.S).group(1)
    pattern = r'<th scope="row">(?:<a [^>]*>)?([^<]*)(?:</a>)?</th><td class="num">([^<]*)</td>'
    assert re.findall(pattern, coverage) == re.findall(pattern, place)


def test_no_mean_beside_hidden_counts(app, survey):
    from app.analysis.results.questions import question_result as _result
    from app.surveys.types.base import Summary

    def counted(values):
        points = Counter(v for v in values if isinstance(v, int))
        return Summary(len(values), Counter(str(v) for v in values), numbers=points)

    scale = survey.definition.question("bus_satisfaction")
    values = [1] * 3 + [2] * 25 + [3] * 30 + [4] * 20 + [5] * 12  # 1 and 5 would be solvable
    result = _result(scale, counted(values), 10, "fr")
    assert result.tables[0].line.cells["1"].hidden
    assert result.mean is None and result.median is None
    full = [2] * 25 + [3] * 30 + [4] * 20 + [5] * 12 + [1] * 10
    full += ["dont_know"] * 10 if scale.dont_know else []
    shown = _result(scale, counted(full), 10, "fr")
    assert shown.mean is not None  # nothing hidden: the mean is shown


def test_a_follow_up_is_withheld_while_its_gate_hides_a_count(app, survey):
    add(3, has_car="yes")
    add(12, has_car="no", why_no_car="Pas de permis")
    found = survey
    counted = counts(found.survey.id)
    results = question_results(found.definition, counted, 10, "fr", committee=True)
    by_id = {q.id: q for q in results.questions}
    assert by_id["has_car"].tables[0].line.cells["yes"].hidden
    assert by_id["why_no_car"].withheld and by_id["why_no_car"].answered is None


def test_small_totals_on_the_committee_pages(client, survey, make_user, login):
    add(3)
    login(make_user("committee"))
    html = unescape(client.get("/analyse/every-type").get_data(as_text=True))
    assert "<dt>Réponses</dt><dd>< 10</dd>" in html.replace("\xa0", " ")
    cross = client.get("/analyse/every-type/croiser?lignes=has_car&colonnes=age_band")
    assert cross.status_code == 200 and 'class="cross"' not in cross.get_data(as_text=True)
