"""Weighted shares come with a 95 % interval (issue 17, item 6), by linearisation, checked
against a kept library: statsmodels' weighted least squares of the answer on a constant, with
heteroskedasticity-robust (HC0) errors, is the same sandwich estimator of a weighted mean."""

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st

from app.analysis.disclosure.intervals import Z95
from app.analysis.results.weighting import interval


def by_statsmodels(weights: dict, answered: dict, chosen: dict) -> tuple[float, float, float]:
    y, w = [], []
    for s in answered:
        y += [1.0] * chosen[s] + [0.0] * (answered[s] - chosen[s])
        w += [weights[s]] * answered[s]
    fit = sm.WLS(np.array(y), np.ones(len(y)), weights=np.array(w)).fit(cov_type="HC0")
    share, error = float(fit.params[0]), float(fit.bse[0])
    return share, share - Z95 * error, share + Z95 * error


@settings(max_examples=60, deadline=None)
@given(
    strata=st.lists(
        st.tuples(
            st.floats(0.3, 3.5),
            st.integers(10, 80),
            st.floats(0, 1),
        ),
        min_size=2,
        max_size=6,
    )
)
def test_the_interval_is_the_linearised_one(strata):
    weights = {i: w for i, (w, _n, _p) in enumerate(strata)}
    answered = {i: n for i, (_w, n, _p) in enumerate(strata)}
    chosen = {i: round(n * p) for i, (_w, n, p) in enumerate(strata)}
    share = sum(weights[s] * chosen[s] for s in weights) / sum(
        weights[s] * answered[s] for s in weights
    )
    expected_share, low, high = by_statsmodels(weights, answered, chosen)
    assert share == pytest.approx(expected_share)
    found = interval(share, weights, answered, chosen)
    assert found[0] == pytest.approx(max(0.0, low), abs=1e-9)
    assert found[1] == pytest.approx(min(1.0, high), abs=1e-9)


def test_the_weighted_page_shows_the_interval(client, survey, make_user, login):
    import re
    from html import unescape

    from app.territory.places import Place
    from app.territory.queries import communes
    from tests.analysis.helpers import answer

    population = {c.nis: c.population_2020 for c in communes()}
    for i, nis in enumerate(sorted(population)):
        answer(10, has_car="yes", commune=Place("commune", nis))
        answer(10 if i % 2 else 30, has_car="no", commune=Place("commune", nis))
    login(make_user("committee"))
    raw = client.get("/analyse/every-type?ponderation=communes").get_data(as_text=True)
    section = re.search(r'aria-labelledby="q-has_car">(.*?)</section>', raw, re.S).group(1)
    assert "Intervalle pondéré à 95 %" in unescape(section).replace("\xa0", " ")
    row = re.search(r">Oui</th>(.*?)</tr>", section, re.S).group(1)
    shown = unescape(re.findall(r'<td class="num(?: ci)?">([^<]*)</td>', row)[-1]).replace(
        "\xa0", " "
    )
    assert re.fullmatch(r"\d+ % – \d+ %", shown), shown
