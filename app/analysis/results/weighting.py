"""Post-stratification to the commune populations (Statbel 2020), or to the age bands of the
population (when the population by age is supplied as data: `flask territory ages`).

Each respondent of a stratum (a commune of the territory, or an age band of the questionnaire's
age question) weighs that stratum's share of the population divided by its share of the
respondents, so that every stratum counts as much as its inhabitants. Strata without any
respondent cannot be represented: the population shares are taken among the strata that have
respondents (said on the page). People living elsewhere, or who did not say where or how old
they are, have no stratum and are left out of weighted figures. Weighted shares come with
Kish's effective sample size, (Σw)² / Σw².

Every weight is the same within a stratum, so the weighted figures are worked out from the
counts of the table stratum × question (analysis.counting), not from each response.
"""

from math import sqrt

from flask_babel import lazy_gettext as _l

from app.analysis.disclosure.intervals import Z95
from app.analysis.disclosure.strata import effective_size
from app.analysis.results.labels import NOT_ANSWERED
from app.analysis.results.pooling import pooled

# Why a question is not weighted, said beside it on a weighted page.
NOT_WEIGHTED = {
    "own": _l("Not weighted: it is the question the weights are made of."),
    "several": _l(
        "Not weighted: several answers per person (or a place) make no table by stratum."
    ),
    "withheld": _l(
        "Not weighted: its table by stratum is not shown (too few people, or a question asked "
        "only after some answers whose table hides a count)."
    ),
    "hidden": _l(
        "Not weighted: its table by stratum hides a count of a weighted stratum, which the "
        "weighted share would tell."
    ),
    "nobody": _l("Not weighted: nobody of the weighted strata answered it."),
    "one": _l(
        "Not weighted: once the strata with a hidden figure are weighted together, one stratum "
        "is left, which weighting cannot change."
    ),
    "one_age": _l(
        "Not weighted: every age band hides a figure of its residents (a small count, or one "
        "that would tell those of the few people from elsewhere in the band), so the bands "
        "could only be weighted together, as one, which changes nothing."
    ),
}


def age_question(definition):
    """The questionnaire's age question (the one that says which ages each choice covers)."""
    return next((q for q in definition.questions() if getattr(q, "ages", None)), None)


def band_population(question, people_by_age: dict[int, int]) -> dict[str, int]:
    """Inhabitants of each age band of the question."""
    return {
        choice: sum(people_by_age.get(age, 0) for age in ages)
        for choice, ages in question.age_spans().items()
    }


def weigh(results, definition, strata, table_of, to) -> int:
    """Add weighted shares (and the effective sample size) beside each shown share; the most
    strata pooled in any table (see results.pooling).

    A weighted share adds up the strata's counts, each times its own weight: a new equation on
    the table stratum × question, which could solve what that table hides. So each question is
    weighted with the strata its table shows whole, the others pooled (pooling.Strata), and
    only when the pool's row is known from the rest: the weighted share is then worked out
    from shown figures alone. table_of(question, row) gives that table, protected, and its
    counts (None when the question is not crossed by the strata: several answers per person,
    places, the strata's own question); to: what the strata are (« communes », « ages »)."""
    most = 0
    for result in results.questions:
        question = definition.question(result.id)
        for table in result.tables:
            found = table_of(question, table.row)
            if found is None:
                table.unweighted = "several" if question.several or question.residence else "own"
                continue
            grid, counts = found
            if grid.withheld:
                table.unweighted = "withheld"
                continue
            pool = strata.pool_for(grid)
            weights = strata.weights(pool)
            if len(weights) == 1:  # every weight is 1: the « weighted » share is the plain one
                table.unweighted = "one_age" if to == "ages" else "one"
                continue
            grid, counts = pooled(grid, counts, pool)
            if not _complete(grid, set(weights)):
                table.unweighted = "hidden"
                continue
            answered = {
                s: sum(n for c, n in counts.get(s, {}).items() if c != NOT_ANSWERED)
                for s in weights
            }
            total = sum(weights[s] * n for s, n in answered.items())
            if not total:
                table.unweighted = "nobody"
                continue
            table.weighted = {
                key: None
                if table.line.cells[key].hidden
                else sum(w * counts.get(s, {}).get(key, 0) for s, w in weights.items()) / total
                for key in table.labels
            }
            table.effective = effective_size(weights, answered)
            table.weighted_intervals = {
                key: None
                if share is None
                else interval(
                    share, weights, answered, {s: counts.get(s, {}).get(key, 0) for s in weights}
                )
                for key, share in table.weighted.items()
            }
            table.weighted_to = to
            table.weights, table.pool = weights, frozenset(pool)
            most = max(most, len(pool))
    return most


def interval(share: float, weights: dict, answered: dict, chosen: dict, z: float = Z95):
    """The 95 % interval of a weighted share p = Σ w·y / Σ w over the people who answered, by
    linearisation (Taylor): var(p) = Σ w²·(y − p)² / (Σ w)², each respondent of stratum s
    weighing w_s, chosen[s] of its answered[s] people giving the answer (y = 1). Clipped to
    [0, 1]. (The sandwich variance of a weighted mean: statsmodels' WLS with HC0 errors gives
    the same, tests/analysis/test_weighted_intervals.py.)"""
    total = sum(weights[s] * n for s, n in answered.items())
    spread = sum(
        weights[s] ** 2 * (chosen[s] * (1 - share) ** 2 + (answered[s] - chosen[s]) * share**2)
        for s in answered
    )
    half = z * sqrt(spread) / total
    return max(0.0, share - half), min(1.0, share + half)


def _complete(grid, strata: set[str]) -> bool:
    return all(
        cell.count is not None
        for nis in strata
        for cell in (*grid.cells.get(nis, {}).values(), grid.row_totals.get(nis))
        if cell is not None
    )
