"""Commune fact sheets (« profils locaux »): the key results of one commune beside the whole
territory, with a method note, on one printable page.

The commune's figures are its filtered view (see results.groups), so a fact sheet shows no
more than the dashboard does for that group, and the sheets of all communes put together give
nothing the cross-tabulation by commune would not.
"""

from dataclasses import dataclass

from app.analysis.results.figures import Figures
from app.analysis.results.groups import Filter, FilteredView, UnknownFilter, filtered, parse
from app.analysis.results.labels import NOT_ANSWERED
from app.analysis.results.model import QuestionResult, Table


@dataclass
class Line:
    label: str
    here: object  # the commune's Cell
    share: float | None
    interval: tuple[float, float] | None
    everywhere: float | None  # the share among all respondents (None: hidden there)


@dataclass
class Block:
    id: str
    label: str
    title: str | None
    lines: list[Line]


@dataclass
class FactSheet:
    commune: Filter
    view: FilteredView
    population: int | None
    blocks: list[Block]

    @property
    def per_thousand(self) -> float | None:
        return 1000 * self.view.responses / self.population if self.population else None


def fact_sheet(figures: Figures, nis: str, population: dict[str, int], keep) -> FactSheet:
    """keep: which questions to show (a theme); raises UnknownFilter for a place that is not a
    commune of the territory, TooFewInGroup when its count is hidden."""
    if nis not in population:
        raise UnknownFilter(nis)
    chosen = parse(f"commune:{nis}", figures)
    view = filtered(figures, chosen)
    everywhere = {r.id: r for r in figures.results.questions}
    blocks = []
    for result in keep(view.questions):
        for table in result.tables:
            if result.answered is None or table.line.total is None:
                continue
            whole = _matching(everywhere.get(result.id), table)
            blocks.append(_block(result, table, whole, figures.responses))
    return FactSheet(chosen, view, population.get(nis), blocks)


def _matching(result: QuestionResult | None, table: Table) -> Table | None:
    if result is None or result.answered is None:
        return None
    return next((t for t in result.tables if t.row == table.row), None)


def _block(result: QuestionResult, table: Table, whole: Table | None, responses: int) -> Block:
    """Each answer's share here and in the whole territory, on the same base: the people who
    answered, or everyone when the group's « not answered » count is hidden."""
    everyone = NOT_ANSWERED in table.labels
    lines = []
    for key, label in table.labels.items():
        if whole is None or key not in whole.labels:
            elsewhere = None
        elif everyone:
            count = whole.line.cells[key].count
            elsewhere = count / responses if count is not None and responses else None
        else:
            elsewhere = whole.line.share(key)
        cell = table.line.cells[key]
        lines.append(Line(label, cell, table.line.share(key), table.interval(key), elsewhere))
    return Block(result.id, result.label, table.title, lines)
