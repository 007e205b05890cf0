"""Commune fact sheets (« profils locaux »): the key results of one commune beside the whole
territory, with a method note, on two printed A4 pages at most.

The commune's figures are its filtered view (see results.groups), so a fact sheet shows no
more than the dashboard does for that group, and the sheets of all communes put together give
nothing the cross-tabulation by commune would not.

The whole territory's figures are the dashboard's own one-way tables, taken as they are (the
same share of the same table, protected once): so every commune's sheet gives the same figure
for the same answer, and nothing on a sheet is worked out anew from a table protected together
with one commune. Where a commune's « not answered » is hidden, its shares are of all its
respondents, and the sheet says so; the territory's share stays the dashboard's (of the people
who answered), never recomputed on the commune's base.

Questions with several answers per person (multiple choice) and rankings are not broken down by
commune (see results.groups: a choice's count in a commune is bound by how many answered there
and by the other choices, relations no table protection here accounts for, and the counts of
each choice by commune are in no release). A sheet gives the whole territory's figures for them
(the dashboard's table, and a ranking's mean points), and says why the commune's are not shown.
"""

from dataclasses import dataclass, field

from app.analysis.disclosure.suppression import Cell
from app.analysis.results.figures import Figures
from app.analysis.results.groups import Filter, FilteredView, UnknownFilter, filtered, parse
from app.analysis.results.labels import NOT_ANSWERED
from app.analysis.results.model import QuestionResult, Table


@dataclass
class Line:
    label: str
    here: Cell | None  # the commune's count (None: not broken down by commune)
    share: float | None  # its share in the commune (None: hidden)
    interval: tuple[float, float] | None
    everywhere: float | None  # the dashboard's share in the whole territory (None: hidden there)
    on_dashboard: bool = True  # False: a line the dashboard's table has not (« not answered »)
    there: Cell | None = None  # the whole territory's count (blocks of the territory only)
    points: float | None = None  # a ranking's mean points in the whole territory


@dataclass
class Block:
    id: str
    label: str
    title: str | None
    lines: list[Line]
    # The commune's shares are of all its respondents: its « not answered » count is hidden, so
    # the people who answered cannot be counted (the territory's stay of those who answered).
    everyone: bool = False
    answered: int | None = None  # the whole territory's people who answered (territory blocks)
    score_max: int | None = None  # a ranking: the points of a first place


@dataclass
class FactSheet:
    commune: Filter
    view: FilteredView
    population: int | None
    blocks: list[Block]  # one-answer questions: the commune beside the whole territory
    # Several answers per person: the whole territory's figures only (no lines for a reader
    # without the whole territory's figures, who is told which questions they are).
    several: list[Block] = field(default_factory=list)
    ranked: list[Block] = field(default_factory=list)  # rankings: the territory's mean points
    # One-answer questions the dashboard shows but the commune's view does not (a figure of the
    # commune would reveal a small count): their labels, so that the sheet says so.
    withheld: list[str] = field(default_factory=list)

    @property
    def per_thousand(self) -> float | None:
        return 1000 * self.view.responses / self.population if self.population else None


def fact_sheet(
    figures: Figures, nis: str, population: dict[str, int], keep, whole: bool = True
) -> FactSheet:
    """keep: which questions to show (a theme); whole: whether the reader reads the whole
    territory's figures (a commune partner does not). Raises UnknownFilter for a place that is
    not a commune of the territory, TooFewInGroup when its count is hidden."""
    if nis not in population:
        raise UnknownFilter(nis)
    chosen = parse(f"commune:{nis}", figures)
    view = filtered(figures, chosen)
    here = {r.id: r for r in view.questions}
    sheet = FactSheet(chosen, view, population.get(nis), [])
    for result in keep(figures.results.questions):  # the dashboard's, in its order
        question = figures.definition.question(result.id)
        skipped = question.free_text or question.residence or result.withheld
        if skipped or result.answered is None or not result.tables:
            continue
        if question.scored:
            if result.scores:
                sheet.ranked.append(_ranking(result, whole))
            continue
        if question.several:
            sheet.several.append(_territory(result, whole))
            continue
        mine = here.get(result.id)
        found = mine.tables if mine is not None and mine.answered is not None else []
        shown = [t for t in found if t.line.total is not None]
        if not shown:
            sheet.withheld.append(result.label)
        for table in shown:
            dashboard = _matching(result, table) if whole else None
            sheet.blocks.append(_block(mine, table, dashboard))
    return sheet


def _matching(result: QuestionResult, table: Table) -> Table | None:
    return next((t for t in result.tables if t.row == table.row), None)


def _block(result: QuestionResult, table: Table, dashboard: Table | None) -> Block:
    """Each answer's share here, and the dashboard's share of it in the whole territory.

    The commune's base is the people who answered, or everyone in the commune when its « not
    answered » count is hidden (Block.everyone). The territory's figure is the dashboard's, as
    it is there, whatever the commune's base: recomputing it on another base (its count over
    all respondents, say) made it differ from one commune's sheet to another's."""
    lines = []
    for key, label in table.labels.items():
        listed = dashboard is not None and key in dashboard.labels
        everywhere = dashboard.line.share(key) if listed else None
        cell = table.line.cells[key]
        lines.append(
            Line(
                label,
                cell,
                table.line.share(key),
                table.interval(key),
                everywhere,
                on_dashboard=listed or dashboard is None,
            )
        )
    return Block(result.id, result.label, table.title, lines, everyone=NOT_ANSWERED in table.labels)


def _territory(result: QuestionResult, whole: bool) -> Block:
    """A question with several answers per person: the dashboard's table, as it is there (each
    choice's people and their share of the people who answered)."""
    table = result.tables[0]
    lines = (
        [
            Line(
                label,
                None,
                None,
                None,
                table.line.share(key),
                there=table.line.cells[key],
            )
            for key, label in table.labels.items()
        ]
        if whole
        else []
    )
    return Block(result.id, result.label, table.title, lines, answered=result.answered)


def _ranking(result: QuestionResult, whole: bool) -> Block:
    """A ranking: the dashboard's mean points of each choice (shown only where the dashboard
    shows them: see results.questions._scores)."""
    table = result.tables[0]
    lines = (
        [
            Line(label, None, None, None, None, points=result.scores.get(key))
            for key, label in table.labels.items()
        ]
        if whole
        else []
    )
    return Block(
        result.id, result.label, None, lines, answered=result.answered, score_max=result.score_max
    )
