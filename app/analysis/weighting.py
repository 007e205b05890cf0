"""Post-stratification to the commune populations (Statbel 2020), or to the age bands of the
population (when the population by age is supplied as data: `flask territory ages`).

Each respondent of a stratum (a commune of the territory, or an age band of the questionnaire's
age question) weighs that stratum's share of the population divided by its share of the
respondents, so that every stratum counts as much as its inhabitants. Strata without any
respondent cannot be represented: the population shares are taken among the strata that have
respondents (said on the page). People living elsewhere, or who did not say where or how old
they are, have no stratum and are left out of weighted figures. Weighted shares come with
Kish's effective sample size, (Σw)² / Σw².
"""

from collections import defaultdict

from app.surveys.types.choice import ChoiceQuestion
from app.surveys.types.place import PlaceQuestion
from app.surveys.types.scale import Matrix, Scale


def commune_weights(
    definition, data, population: dict[str, int], shown: set[str]
) -> dict[int, float]:
    """shown: the communes whose count the coverage table shows. Only they are weighted: a
    weight, or Kish's effective size, worked out from a hidden count would tell it (a review
    solved a hidden commune count from the effective size)."""
    place = next((q for q in definition.questions() if isinstance(q, PlaceQuestion)), None)
    if place is None:
        return {}
    stratum = {}
    for rid, rows in data.rows.get(place.id, {}).items():
        nis = place.from_rows(rows)[place.id].nis
        if nis in population and nis in shown:
            stratum[rid] = nis
    return post_stratified(stratum, population)


def age_question(definition):
    """The questionnaire's age question (the one that says which ages each choice covers)."""
    return next((q for q in definition.questions() if getattr(q, "ages", None)), None)


def band_population(question, people_by_age: dict[int, int]) -> dict[str, int]:
    """Inhabitants of each age band of the question."""
    return {
        choice: sum(people_by_age.get(age, 0) for age in ages)
        for choice, ages in question.age_spans().items()
    }


def age_weights(question, data, population: dict[str, int], shown: set[str]) -> dict[int, float]:
    """shown: the age bands whose count the question's table shows (as for communes)."""
    stratum = {}
    for rid, rows in data.rows.get(question.id, {}).items():
        band = question.from_rows(rows).get(question.id)
        if band in shown and population.get(band):
            stratum[rid] = band
    return post_stratified(stratum, population)


def post_stratified(stratum: dict[int, str], population: dict[str, int]) -> dict[int, float]:
    """Each respondent's weight: their stratum's share of the population over its share of
    the respondents, both among the strata that have respondents."""
    sizes: dict[str, int] = defaultdict(int)
    for key in stratum.values():
        sizes[key] += 1
    people = sum(population[key] for key in sizes)
    respondents = len(stratum)
    return {
        rid: (population[key] / people) / (sizes[key] / respondents) for rid, key in stratum.items()
    }


def effective_size(weights: list[float]) -> float:
    total = sum(weights)
    return total * total / sum(w * w for w in weights) if total else 0.0


def weigh(results, definition, data, weights: dict[int, float], strata: set[str], grid_of, to):
    """Add weighted shares (and the effective sample size) beside each shown share.

    A weighted share adds up the strata's counts, each times its own weight: a new equation on
    the table stratum × question, which could solve what that table hides. So a question is
    weighted only when that table shows every figure of every weighted stratum (strata): the
    weighted share is then worked out from shown figures alone. grid_of(question, row) gives
    the table (None when the question is not crossed by the strata); to: what the strata are
    (« communes », « ages »)."""
    for result in results.questions:
        question = definition.question(result.id)
        given = {
            rid: question.from_rows(rows).get(question.id)
            for rid, rows in data.rows.get(question.id, {}).items()
        }
        for table in result.tables:
            grid = grid_of(question, table.row)
            if grid is None or grid.withheld or not _complete(grid, strata):
                continue
            categories = {
                rid: _categories(question, value, table.row)
                for rid, value in given.items()
                if rid in weights
            }
            answered = {rid: cats for rid, cats in categories.items() if cats}
            total = sum(weights[rid] for rid in answered)
            if not total:
                continue
            sums: dict[str, float] = defaultdict(float)
            for rid, cats in answered.items():
                for category in cats:
                    sums[category] += weights[rid]
            table.weighted = {
                key: None if table.line.cells[key].hidden else sums[key] / total
                for key in table.labels
            }
            table.effective = effective_size([weights[rid] for rid in answered])
            table.weighted_to = to


def _complete(grid, strata: set[str]) -> bool:
    return all(
        cell.count is not None
        for nis in strata
        for cell in (*grid.cells.get(nis, {}).values(), grid.row_totals.get(nis))
        if cell is not None
    )


def _categories(question, value, row: str | None) -> list[str]:
    if value in (None, "", [], {}):
        return []
    if isinstance(question, Matrix):
        return [value[row]] if row in value else []
    if isinstance(question, Scale):
        return [str(value)]
    if isinstance(question, PlaceQuestion):
        return [value.nis or value.kind]
    if isinstance(question, ChoiceQuestion):
        return list(value) if isinstance(value, list) else [value]
    return []
