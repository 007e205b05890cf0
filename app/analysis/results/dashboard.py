"""The committee's dashboard of one questionnaire: participation, coverage of the territory
against the Statbel population, and every question with its protected table."""

from dataclasses import dataclass

from app.analysis.results.figures import Figures
from app.analysis.results.model import PublicResults, Table
from app.analysis.results.pooling import Strata
from app.analysis.results.residents import residents
from app.analysis.results.weighting import age_question, band_population, weigh
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
    # Of the tables that can be weighted (one answer per person, not the strata's own), how
    # many are: (weighted, of them); said at the top of a weighted page.
    weighed: tuple[int, int] | None = None
    # The year of the population by age when the questionnaire can be weighted to age bands
    # (it has an age question, and the population by age is loaded); None when it cannot.
    ages_year: int | None = None
    # The communes whose count is hidden, weighted together as one stratum (see _pool).
    pooled: int = 0
    # Weighted to age bands with everyone who gave an age: the questionnaire does not ask where
    # people live, so its residents cannot be kept apart.
    everyone: bool = False

    @property
    def completion(self) -> float | None:
        return self.responses / self.started if self.started else None


def dashboard(figures: Figures, weighting: str | None = None) -> Dashboard:
    """weighting: None, "communes" (when the questionnaire asks where people live) or "ages"
    (when it has an age question and the population by age is loaded: see ages_year)."""
    definition, results = figures.definition, figures.results
    coverage = _coverage(definition, results, figures.responses)
    ages = _ages(definition)
    weighted, pooled, everyone = None, 0, False
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
        people = {nis: n for nis, n in population.items() if nis in territory}
        pooled = _weigh(figures, "commune", line, strata, people, weighting)
        weighted = weighting
    elif weighting == "ages" and ages is not None:
        question, population, _year = ages
        territory = {c.nis for c in communes() if _covers(definition, c)}
        found = residents(figures, territory)
        if found is not None:  # the territory's residents, by age band
            line, sizes, table_of = found.line, found.sizes, found.table_of
        else:  # where people live is not asked: everyone who gave an age
            shown = next((r for r in results.questions if r.id == question.id), None)
            line = shown.tables[0].line if shown is not None and shown.tables else None
            sizes, table_of = None, _table_by(figures, question.id)
        if line is not None:
            strata = {band for band, cell in line.cells.items() if cell.count}
            pooled = _weigh(
                figures, question.id, line, strata, population, weighting, sizes, table_of
            )
        weighted = weighting
        everyone = found is None
    return Dashboard(
        responses=figures.responses,
        started=figures.started,
        channels=figures.by_channel,
        periods=figures.by_period,
        coverage=coverage,
        results=results,
        weighted=weighted,
        weighed=_weighed(results) if weighted else None,
        ages_year=None if ages is None else ages[2],
        pooled=pooled,
        everyone=everyone,
    )


def _weighed(results) -> tuple[int, int]:
    tables = [
        t
        for r in results.questions
        for t in r.tables
        if t.weighted is not None or t.unweighted not in (None, "own", "several")
    ]
    return sum(t.weighted is not None for t in tables), len(tables)


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


def _weigh(
    figures, key: str, line, shown: set, population: dict, to: str, sizes=None, table_of=None
) -> int:
    """Weigh every question to the strata of `key` (its one-way table: `line`), pooling the
    hidden ones (results.pooling): how many strata were pooled at most. sizes, table_of: the
    strata's respondents and each question's table by stratum, when not everyone's (the
    territory's residents: results.residents)."""
    hidden = (
        frozenset()
        if line.total is None
        else frozenset(k for k, cell in line.cells.items() if cell.hidden)
    )
    if line.total is None:
        shown = set()
    if sizes is None:
        sizes = _sizes(figures, key, shown | hidden)
    else:
        sizes = {s: n for s, n in sizes.items() if s in shown | hidden}
    strata = Strata(sizes, population, hidden)
    table_of = table_of or _table_by(figures, key)
    return weigh(figures.results, figures.definition, strata, table_of, to)


def _table_by(figures: Figures, strata: str):
    """The table stratum (commune, or the age question) × question (or matrix row) that the
    cross-tabulation shows, and its counts."""
    from app.analysis.results.breaking import crossed
    from app.analysis.results.crosstab import counted

    offered = figures.offered

    def table_of(question, row):
        if question.several or question.residence:
            return None  # several answers per person, places: not weighted
        key = f"{question.id}.{row}" if row else question.id
        if key == strata or key not in offered or strata not in offered:
            return None  # the strata's own question (or no breakdown): not weighted by itself
        grid = crossed(figures, strata, key).grid
        return grid, counted(offered[strata], offered[key], figures.crossings)

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
