"""The maps of a dashboard: coverage (responses per 1,000 inhabitants) or the share of one
answer in each commune, drawn from protected figures only.

The share of an answer by commune is the row share of the cross-tabulation commune × question,
with the very same hidden cells (and a commune whose count is hidden there is hatched here)."""

from dataclasses import dataclass

from flask_babel import gettext as _

from app.analysis.disclosure.suppression import Cell
from app.analysis.render.maps import Choropleth, choropleth, split
from app.analysis.results.breaking import crossed
from app.analysis.results.figures import Figures
from app.analysis.results.labels import NOT_ANSWERED


class UnknownIndicator(ValueError):
    """Not an indicator this questionnaire offers."""


@dataclass(frozen=True)
class Indicator:
    value: str  # « question:answer », or "" for the coverage
    label: str


def indicators(figures: Figures) -> dict[str, list[Indicator]]:
    """Every answer of a one-answer question, by question (the allow-list of the map)."""
    offered = {}
    for key, breakdown in figures.offered.items():
        if breakdown.question is None or "commune" not in figures.offered:
            continue
        offered[breakdown.label] = [
            Indicator(f"{key}:{category}", label)
            for category, label in breakdown.categories.items()
            if category != NOT_ANSWERED
        ]
    return offered


def coverage_map(coverage, places) -> Choropleth:
    values, hidden = split(coverage.table.line.cells, coverage.per_thousand)
    return choropleth(places, values, hidden, title=_("Responses per 1,000 inhabitants"), id="map")


def answer_map(figures: Figures, wanted: str, places) -> Choropleth:
    key, _sep, category = wanted.partition(":")
    offered = figures.offered
    breakdown = offered.get(key)
    if breakdown is None or breakdown.question is None or category not in breakdown.categories:
        raise UnknownIndicator(wanted)
    if category == NOT_ANSWERED or "commune" not in offered:
        raise UnknownIndicator(wanted)
    table = crossed(figures, "commune", key)
    if category not in table.columns.categories:  # nobody gave it (the dashboard shows 0)
        cells = {nis: Cell(0) for nis in table.grid.cells}

        def share(nis):
            return None if table.grid.row_totals[nis].hidden else 0.0
    else:
        cells = {nis: table.grid.cells[nis][category] for nis in table.grid.cells}

        def share(nis):
            found = table.answering_share(nis, category)  # as the dashboard's shares
            return None if found is None else 100 * found

    values, hidden = split(cells, share)
    for nis, total in table.grid.row_totals.items():
        if total.hidden and nis not in hidden:  # a shown count of a hidden total: no share
            values.pop(nis, None)
            hidden[nis] = total.reason or "small"
    if table.grid.withheld:
        values, hidden = {}, dict.fromkeys(cells, "small")
    title = f"{breakdown.label} – {breakdown.categories[category]}"
    return choropleth(places, values, hidden, title=title, id="map", unit="%")
