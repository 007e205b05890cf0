"""The committee's dashboard of one questionnaire: participation, coverage of the territory
against the Statbel population, and every question with its protected table."""

from dataclasses import dataclass

from app.analysis.disclosure.strata import post_stratified
from app.analysis.disclosure.suppression import Grid
from app.analysis.results.figures import Figures
from app.analysis.results.model import PublicResults, Table
from app.analysis.results.weighting import POOLED, age_question, band_population, weigh
from app.territory.queries import communes, people_by_age

WEIGHTINGS = ("communes", "ages")


@dataclass
class Coverage:
    """Responses per commune of residence, and per 1,000 inhabitants (Statbel 2020)."""

    table: Table
    population: dict[str, int]
    unanswered: int | None  # derivable from the responses and « N answered »: shown as is

    def per_thousand(self, nis: str) -> float | None:
        count = self.table.line.cells[nis].count
        people = self.population.get(nis)
        return None if count is None or not people else 1000 * count / people


@dataclass
class Dashboard:
    responses: int
    started: int
    channels: Table
    periods: Table
    coverage: Coverage | None
    results: PublicResults
    weighted: str | None = None  # "communes" or "ages"
    # The year of the population by age when the questionnaire can be weighted to age bands
    # (it has an age question, and the population by age is loaded); None when it cannot.
    ages_year: int | None = None
    # The communes whose count is hidden, weighted together as one stratum (see _pool).
    pooled: int = 0

    @property
    def completion(self) -> float | None:
        return self.responses / self.started if self.started else None


def dashboard(figures: Figures, weighting: str | None = None) -> Dashboard:
    """weighting: None, "communes" (when the questionnaire asks where people live) or "ages"
    (when it has an age question and the population by age is loaded: see ages_year)."""
    definition, results = figures.definition, figures.results
    coverage = _coverage(definition, results, figures.responses)
    ages = _ages(definition)
    weighted, pooled = None, 0
    if weighting == "communes" and coverage is not None:
        # The questionnaire's own territory: a commune it does not cover has no population to
        # stand for (its few respondents came from outside), and weighting to it would skew.
        territory = {c.nis for c in communes() if _covers(definition, c)}
        strata = {
            nis
            for nis, cell in coverage.table.line.cells.items()
            if cell.count and nis in coverage.population and nis in territory
        }
        line, population = coverage.table.line, coverage.population
        pool = _pool(line, {n: p for n, p in population.items() if n in territory})
        weights = _weights(figures, "commune", strata, pool, population, territory)
        weigh(results, definition, weights, _table_by(figures, "commune", pool), weighting)
        weighted, pooled = weighting, len(pool)
    elif weighting == "ages" and ages is not None:
        question, population, _year = ages
        shown = next((r for r in results.questions if r.id == question.id), None)
        line = shown.tables[0].line if shown is not None and shown.tables else None
        cells = line.cells if line is not None else {}
        strata = {band for band, cell in cells.items() if cell.count and population.get(band)}
        pool = _pool(line, population) if line is not None else set()
        weights = _weights(figures, question.id, strata, pool, population, set(population))
        weigh(results, definition, weights, _table_by(figures, question.id, pool), weighting)
        weighted, pooled = weighting, len(pool)
    return Dashboard(
        responses=figures.responses,
        started=figures.started,
        channels=figures.by_channel,
        periods=figures.by_period,
        coverage=coverage,
        results=results,
        weighted=weighted,
        ages_year=None if ages is None else ages[2],
        pooled=pooled,
    )


def _covers(definition, commune) -> bool:
    return definition.territory != "sud-esem" or commune.area == "sud-esem"


def _ages(definition):
    """The age question, each of its bands' inhabitants, and their year; None when either is
    missing."""
    question = age_question(definition)
    if question is None:
        return None
    found = people_by_age(definition.territory)
    if found is None:
        return None
    return question, band_population(question, found.people), found.year


def _sizes(figures: Figures, strata: str, shown: set[str]) -> dict[str, int]:
    """The respondents of each shown stratum (a commune, or an age band)."""
    breakdown = figures.offered.get(strata)
    sizes = dict.fromkeys(shown, 0)
    if breakdown is None:
        return sizes
    for token, n in figures.crossings.alone().get(breakdown.source, {}).items():
        category = breakdown.category_of(token)
        if category in sizes:
            sizes[category] += n
    return sizes


def _pool(line, population: dict) -> set[str]:
    """The strata too small to be shown (communes, or age bands), weighted together as one
    (as survey offices collapse small strata): their respondents would otherwise be left
    out. All the hidden figures of the strata's own table, so that the pool's size is the
    total less the figures shown, known already (a pool of some would tell the rest); its
    population is that of its strata in `population` (a « < k » of people from elsewhere is
    0 to k−1 people, almost always a zero hidden to protect the communes)."""
    hidden = {key for key, cell in line.cells.items() if cell.hidden}
    if line.total is None or not any(population.get(key) for key in hidden):
        return set()
    return hidden


def _weights(figures, strata_key: str, strata: set, pool: set, population: dict, kept: set):
    """Post-stratified weights of the shown strata and of the pool (POOLED)."""
    sizes = _sizes(figures, strata_key, strata | pool)
    people = dict(population)
    if pool:
        sizes[POOLED] = sum(sizes.pop(key) for key in pool)
        people[POOLED] = sum(population[key] for key in pool if key in kept and key in population)
    return post_stratified(sizes, people)


def _table_by(figures: Figures, strata: str, pool: set[str] = frozenset()):
    """The table stratum (commune, or the age question) × question (or matrix row) that the
    cross-tabulation shows, and its counts; with the pooled communes' row (POOLED) added up
    from them, shown where crosstab.sum_of shows it."""
    from app.analysis.results.breaking import crossed
    from app.analysis.results.crosstab import counted, sum_of

    offered = figures.offered

    def table_of(question, row):
        if question.several or question.residence:
            return None  # several answers per person, places: not weighted
        key = f"{question.id}.{row}" if row else question.id
        if key == strata or key not in offered or strata not in offered:
            return None  # the strata's own question (or no breakdown): not weighted by itself
        grid = crossed(figures, strata, key).grid
        counts = counted(offered[strata], offered[key], figures.crossings)
        if pool and not grid.withheld:
            columns = list(grid.column_totals)
            counts[POOLED] = {c: sum(counts.get(n, {}).get(c, 0) for n in pool) for c in columns}
            down = {c: {r: row[c] for r, row in grid.cells.items()} for c in columns}
            grid = Grid(
                grid.cells
                | {POOLED: {c: sum_of(down[c], grid.column_totals[c], pool) for c in columns}},
                grid.row_totals | {POOLED: sum_of(grid.row_totals, grid.total, pool)},
                grid.column_totals,
                grid.total,
            )
        return grid, counts

    return table_of


def _coverage(definition, results: PublicResults, responses: int) -> Coverage | None:
    """The place question's own protected table (the very same cells hidden, so that the two
    cannot be compared), with the population beside it."""
    place = next((q for q in definition.questions() if q.residence), None)
    found = next((r for r in results.questions if place and r.id == place.id), None)
    if found is None or not found.tables:
        return None
    population = {c.nis: c.population_2020 for c in communes()}
    unanswered = None if found.answered is None else responses - found.answered
    return Coverage(found.tables[0], population, unanswered)
