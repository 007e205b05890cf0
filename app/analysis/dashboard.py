"""The committee's dashboard of one questionnaire: participation, coverage of the territory
against the Statbel population, and every question with its protected table."""

from dataclasses import dataclass

from app.analysis import queries
from app.analysis.public import PublicResults, Table, public_results
from app.analysis.suppression import protect
from app.analysis.weighting import commune_weights, weigh
from app.surveys.types.place import PlaceQuestion
from app.territory.places import ELSEWHERE, UNDISCLOSED
from app.territory.queries import communes

UNANSWERED = "unanswered"


@dataclass
class Coverage:
    """Responses per commune of residence, and per 1,000 inhabitants (Statbel 2020)."""

    table: Table
    population: dict[str, int]

    def per_thousand(self, nis: str) -> float | None:
        count = self.table.line.cells[nis].count
        people = self.population.get(nis)
        return None if count is None or not people else 1000 * count / people


@dataclass
class Dashboard:
    responses: int
    started: int
    channels: Table
    coverage: Coverage | None
    results: PublicResults
    weighted: bool = False

    @property
    def completion(self) -> float | None:
        return self.responses / self.started if self.started else None


def dashboard(found, k: int, lang: str, labels: dict, weighted: bool = False) -> Dashboard:
    definition, survey_id = found.definition, found.survey.id
    data = queries.collected(survey_id)
    channels = queries.by_channel(survey_id)
    channel_table = Table(None, {c: labels[c] for c in channels}, protect(channels, k))
    results = public_results(definition, data, k, lang, words=True)
    coverage = _coverage(definition, data, k, labels)
    if weighted and coverage is not None:
        weigh(results, definition, data, commune_weights(definition, data, coverage.population))
    return Dashboard(
        responses=data.responses,
        started=queries.started(survey_id),
        channels=channel_table,
        coverage=coverage,
        results=results,
        weighted=weighted and coverage is not None,
    )


def _coverage(definition, data, k: int, labels: dict) -> Coverage | None:
    place = next((q for q in definition.questions() if isinstance(q, PlaceQuestion)), None)
    if place is None:
        return None
    area = "sud-esem" if definition.territory == "sud-esem" else None
    territory = communes(area)
    counts = dict.fromkeys([c.nis for c in territory] + [ELSEWHERE, UNDISCLOSED], 0)
    answered = 0
    for rows in data.rows.get(place.id, {}).values():
        value = place.from_rows(rows).get(place.id)
        key = value.nis or value.kind
        counts[key if key in counts else ELSEWHERE] += 1
        answered += 1
    counts[UNANSWERED] = data.responses - answered
    names = {c.nis: c.name for c in territory} | {
        ELSEWHERE: labels[ELSEWHERE],
        UNDISCLOSED: labels[UNDISCLOSED],
        UNANSWERED: labels[UNANSWERED],
    }
    table = Table(None, names, protect(counts, k))
    return Coverage(table, {c.nis: c.population_2020 for c in territory})
