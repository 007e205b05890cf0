"""Filtered views: the dashboard for one group of respondents (a commune, an area, an age band,
a channel, a quarter…).

A filtered view is one row of the cross-tabulation of the group's breakdown with each question,
protected as that whole table is, against the one-way tables the dashboard shows. So the view of
one group, the views of the other groups and the unfiltered dashboard cannot be subtracted from
one another to solve a hidden figure (differencing): they are rows and margins of one protected
table. Only groups whose size the dashboard shows; a commune and an age band together are one
line of a three-way table (results.together).

Several answers per person (multiple choice, ranking) are not broken down: a choice's count in a
group is bound by the group's number answering and by exclusive choices, relations no table
protection here accounts for (a review solved hidden counts through them). Nor are numbers (a
group mean next to the whole one tells the mean of the others) and free text.
"""

from dataclasses import dataclass

from app.analysis.disclosure.suppression import Cell, Line
from app.analysis.results.breaking import crossed
from app.analysis.results.figures import Figures
from app.analysis.results.labels import NOT_ANSWERED
from app.analysis.results.model import QuestionResult, Table
from app.analysis.results.questions import withhold_followers


class UnknownFilter(ValueError):
    """Not a filter this questionnaire offers."""


class TooFewInGroup(ValueError):
    """The group's size is hidden on the dashboard: it cannot be looked at alone."""


class SumWouldTell(TooFewInGroup):
    """An area (province) whose size, the sum of its communes, would tell a hidden commune
    outside it: not too small, but not to be looked at alone either."""


@dataclass(frozen=True)
class Filter:
    key: str
    category: str
    title: str  # the breakdown
    label: str  # the group

    @property
    def value(self) -> str:
        return f"{self.key}:{self.category}"


def choices(figures: Figures) -> dict[str, list[Filter]]:
    """Every group that can be looked at alone, by breakdown: those the dashboard shows with
    k people or more (a « not answered » of 3 is shown, but not opened: its view would tell
    what 3 people answered to everything else)."""
    offered = {}
    for key, breakdown in figures.offered.items():
        shown = [
            Filter(key, category, breakdown.label, label)
            for category, label in breakdown.categories.items()
            if ((breakdown.published or {}).get(category, Cell(None)).count or 0) >= figures.k
        ]
        if shown:
            offered[breakdown.label] = shown
    return offered


def parse(value: str, figures: Figures) -> Filter:
    key, _, category = value.partition(":")
    breakdown = figures.offered.get(key)
    if breakdown is None or category not in breakdown.categories:
        raise UnknownFilter(value)
    size = (breakdown.published or {}).get(category)
    if breakdown.members is not None and category in breakdown.members and size is None:
        raise SumWouldTell(breakdown.categories[category])
    if size is None or size.count is None or size.count < figures.k:
        raise TooFewInGroup(breakdown.categories[category])
    return Filter(key, category, breakdown.label, breakdown.categories[category])


@dataclass
class FilteredView:
    chosen: Filter
    responses: int
    questions: list[QuestionResult]
    k: int
    also: Filter | None = None  # a second group, looked at together (results.together)


def filtered(figures: Figures, chosen: Filter) -> FilteredView:
    by = figures.offered[chosen.key]
    results = [
        by_group(figures, chosen.key, result)[chosen.category]
        for result in figures.results.questions
        if not all(nested(chosen.key, o) for o in outcome_keys(figures, result.id) or [None])
    ]
    withhold_followers(figures.definition, results)
    size = by.published[chosen.category].count
    return FilteredView(chosen, size, results, figures.k)


def by_group(figures: Figures, key: str, result: QuestionResult) -> dict[str, QuestionResult]:
    """One question's results for every group of a breakdown, protected together."""
    by = figures.offered[key]
    groups = list(by.categories)
    question = figures.definition.question(result.id)
    if result.withheld or result.answered is None:
        return {
            g: QuestionResult(result.id, result.label, None, withheld=result.withheld)
            for g in groups
        }
    if question.several:
        # Several answers per person: the choices' counts in a group are bound by how many
        # in the group answered (and by exclusive choices), which no one-way or two-way
        # protection accounts for; a review solved hidden counts that way. Not broken down.
        return _not_broken_down(result, groups)
    keys = outcome_keys(figures, result.id)
    if not keys:
        return _not_broken_down(result, groups)
    tables: dict[str, list[Table]] = {g: [] for g in groups}
    answered: dict[str, int | None] = dict.fromkeys(groups)
    for outcome in keys:
        if nested(key, outcome):  # a matrix row, or the residence, by itself: nothing to learn
            continue
        table = crossed(figures, key, outcome)
        across = table.columns
        for group in groups:
            if group not in table.grid.cells:  # shown empty on the dashboard
                continue
            total = table.grid.row_totals[group].count
            if table.grid.withheld:
                total = None
            row = outcome.partition(".")[2] or None
            title = next((t.title for t in result.tables if t.row == row), None)
            made = among_answering(dict(table.grid.cells[group]), dict(across.categories), total)
            tables[group].append(Table(title, made[1], made[0], row))
            answered[group] = made[0].total
    return {
        g: QuestionResult(
            result.id,
            result.label,
            answered[g],
            tables[g],
            polarity=result.polarity,
            apart=result.apart,
        )
        if answered[g] is not None
        else QuestionResult(result.id, result.label, None)
        for g in groups
    }


def among_answering(cells: dict, labels: dict, total: int | None) -> tuple[Line, dict]:
    """Shares among the people of the group who answered, as on the dashboard, when the
    group's « not answered » count is shown; otherwise among everyone in the group, with that
    hidden count in the table."""
    missing = cells.get(NOT_ANSWERED)
    if total is None or (missing is not None and missing.hidden):
        return Line(cells, total), labels
    answering = total - (missing.count if missing is not None else 0)
    kept = {key: cell for key, cell in cells.items() if key != NOT_ANSWERED}
    return Line(kept, answering), {key: labels[key] for key in kept}


def outcome_keys(figures: Figures, question_id: str) -> list[str]:
    """The breakdowns a question's answers make: itself, each row of a matrix, or the commune
    of residence for the place question."""
    question = figures.definition.question(question_id)
    if question.residence:
        return ["commune"] if "commune" in figures.offered else []
    keys = [f"{question_id}.{s.row}" if s.row else question_id for s in question.tables("fr")]
    return [key for key in keys if key in figures.offered]


def nested(key: str, outcome: str | None) -> bool:
    """Whether a group of `key` tells its own answer to `outcome`: the same breakdown, or an
    area or a province and the commune of residence (a review found `area:undisclosed` a 500)."""
    residence = ("commune", "area", "province")
    return outcome == key or (outcome == "commune" and key in residence)


def _not_broken_down(result: QuestionResult, groups) -> dict[str, QuestionResult]:
    return {g: QuestionResult(result.id, result.label, None, broken_down=False) for g in groups}
