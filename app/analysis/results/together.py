"""Two groups looked at together: the people of one commune *and* one age band.

Each question's figures for them are one line of a three-way table (commune × age band ×
answer), protected as such (disclosure.cubes) against a reader of the three-way table and of the
three two-way tables the other views publish (by commune, by age band, commune × age band), as
those views show them. Every (commune, age band) can be asked for, so the whole three-way table
is protected at once, the same whatever pair is looked at. A question whose three-way table no
pattern protects is not shown for the pair (it is for each group alone).

Only groups of the commune of residence and of the age question (the one that says which ages
its choices cover), each of which can be looked at alone, and whose number together, shown in
the crossing commune × age band, is k or more.
"""

from dataclasses import dataclass

from flask import current_app

from app.analysis import cache
from app.analysis.disclosure.cubes import cube_reading, protect_cube
from app.analysis.disclosure.linked import carried
from app.analysis.disclosure.suppression import Cell
from app.analysis.results import groups
from app.analysis.results.breaking import crossed
from app.analysis.results.labels import NOT_ANSWERED
from app.analysis.results.model import QuestionResult, Table
from app.analysis.results.questions import withhold_followers
from app.analysis.results.weighting import age_question


class UnknownCombination(groups.UnknownFilter):
    """Not two groups this questionnaire lets be looked at together."""


class NotInRelease(groups.UnknownFilter):
    """A release published before groups could be looked at together."""


def together_keys(definition) -> tuple[str, str] | None:
    """The two breakdowns whose groups can be looked at together: commune, age question."""
    place = next((q for q in definition.questions() if q.residence), None)
    age = age_question(definition)
    if place is None or age is None or age.several:
        return None
    return "commune", age.id


def together_sources(definition) -> tuple[str, str] | None:
    """What those two breakdowns are counted as (analysis.counting)."""
    place = next((q for q in definition.questions() if q.residence), None)
    keys = together_keys(definition)
    return (place.id, keys[1]) if keys is not None else None


@dataclass(frozen=True)
class Pair:
    first: groups.Filter  # the commune
    second: groups.Filter  # the age band
    size: int


def parse(first_value: str, second_value: str, figures) -> Pair:
    """Two filters, in either order; each must be a group that can be looked at alone."""
    keys = together_keys(figures.definition)
    if NOT_ANSWERED in (v.partition(":")[2] for v in (first_value, second_value)):
        raise UnknownCombination(f"{first_value} {second_value}")  # neither commune nor band
    first, second = groups.parse(first_value, figures), groups.parse(second_value, figures)
    if keys is None or {first.key, second.key} != set(keys):
        raise UnknownCombination(f"{first_value} {second_value}")
    if first.key != keys[0]:
        first, second = second, first
    if not figures.crossings.crossed_together(*together_sources(figures.definition)):
        raise NotInRelease(first.label)
    grid = crossed(figures, *keys).grid
    size = grid.cells.get(first.category, {}).get(second.category, Cell(None))
    if grid.withheld or size.count is None or size.count < figures.k:
        raise groups.TooFewInGroup(f"{first.label} · {second.label}")
    return Pair(first, second, size.count)


def together(figures, pair: Pair) -> groups.FilteredView:
    keys = together_keys(figures.definition)
    results = [
        _question(figures, keys, pair, result)
        for result in figures.results.questions
        if not all(_own(keys, o) for o in groups.outcome_keys(figures, result.id) or [None])
    ]
    withhold_followers(figures.definition, results)
    return groups.FilteredView(pair.first, pair.size, results, figures.k, also=pair.second)


def _own(keys, outcome) -> bool:
    """A question that is one of the two breakdowns: each group tells its own answer."""
    return groups.nested(keys[0], outcome) or outcome == keys[1]


def _question(figures, keys, pair: Pair, result: QuestionResult) -> QuestionResult:
    question = figures.definition.question(result.id)
    if result.withheld or result.answered is None:
        return QuestionResult(result.id, result.label, None, withheld=result.withheld)
    outcomes = groups.outcome_keys(figures, result.id)
    if question.several or not outcomes:
        return QuestionResult(result.id, result.label, None, broken_down=False)
    tables, answered = [], None
    for outcome in outcomes:
        if _own(keys, outcome):
            continue
        if any(crossed(figures, key, outcome).grid.withheld for key in keys):
            # its table by commune or by age band is not shown (a gate would tell a count)
            return QuestionResult(result.id, result.label, None, withheld=True)
        cells = protected(figures, keys, outcome)
        if cells is None:
            return QuestionResult(result.id, result.label, None, together=False)
        across = crossed(figures, keys[0], outcome).columns
        line = {v: cells[(pair.first.category, pair.second.category, v)] for v in across.categories}
        if all(line[v].hidden for v in line if v != NOT_ANSWERED):
            # nothing readable in the pair's line: said in words, not a column of symbols
            return QuestionResult(result.id, result.label, None, together=False)
        row = outcome.partition(".")[2] or None
        title = next((t.title for t in result.tables if t.row == row), None)
        made = groups.among_answering(line, dict(across.categories), pair.size)
        tables.append(Table(title, made[1], made[0], row))
        answered = made[0].total
    return QuestionResult(
        result.id,
        result.label,
        answered,
        tables,
        polarity=result.polarity,
        apart=result.apart,
    )


def protected(figures, keys, outcome) -> dict | None:
    """The three-way table commune × age band × the outcome's answers, protected; None when
    withheld. Kept per reading: every pair asks for the same tables."""
    kept = figures.__dict__.setdefault("_cubes", {})
    if outcome not in kept:
        kept[outcome] = _protect(figures, keys, outcome)
    return kept[outcome]


def counted(figures, keys, outcome) -> tuple[tuple, dict] | None:
    """The three-way table's axes and its counts, every (commune, age band, answer) of them;
    None when one of its two-way tables is withheld, or the counts fall outside them. Kept per
    reading (the protection and the residents' weighting both ask)."""
    kept = figures.__dict__.setdefault("_cube_counts", {})
    if outcome not in kept:
        kept[outcome] = _counted(figures, keys, outcome)
    return kept[outcome]


def _counted(figures, keys, outcome) -> tuple[tuple, dict] | None:
    by_answer = crossed(figures, keys[0], outcome)
    by_age = crossed(figures, keys[1], outcome)
    by_pair = crossed(figures, *keys)
    if any(t.grid.withheld for t in (by_answer, by_age, by_pair)):
        return None
    axes = (list(by_answer.grid.cells), list(by_age.grid.cells), list(by_answer.grid.column_totals))
    offered = figures.offered
    category = [offered[key].category_of for key in (*keys, outcome)]
    counts = dict.fromkeys(((g, a, v) for g in axes[0] for a in axes[1] for v in axes[2]), 0)
    sources = (*together_sources(figures.definition), offered[outcome].source)
    for tokens, n in figures.crossings.cube(*sources).items():
        key = tuple(
            NOT_ANSWERED if t is None else of(t) for t, of in zip(tokens, category, strict=True)
        )
        if key in counts:
            counts[key] += n
        elif n:  # a category the two-way tables leave out as known empty: never
            return None
    return axes, counts


def _protect(figures, keys, outcome) -> dict | None:
    found = counted(figures, keys, outcome)
    if found is None:
        return None
    axes, counts = found
    by_answer = crossed(figures, keys[0], outcome)
    by_age = crossed(figures, keys[1], outcome)
    by_pair = crossed(figures, *keys)
    margins = tuple(_published(t.grid) for t in (by_answer, by_age, by_pair))
    # The search takes up to a second for a large table: it is kept per process, keyed by
    # everything it is worked out from (a pure function of them), so every pair asked for
    # after the first, and every reader, reads it back.
    key = ("three-way", figures.k, tuple(map(tuple, axes)), tuple(counts.items()))
    key += tuple(tuple(m.items()) for m in margins)
    before = []
    for earlier in figures.earlier:  # a release: the same table in each earlier one
        try:
            old = counted(earlier, keys, outcome) if outcome in earlier.offered else None
        except LookupError:  # frozen before groups could be looked at together: none
            old = None
        cells = protected(earlier, keys, outcome) if old is not None else None
        if cells is not None:
            grids = (crossed(earlier, keys[0], outcome), crossed(earlier, keys[1], outcome))
            grids += (crossed(earlier, *keys),)
            old_margins = tuple(_published(t.grid) for t in grids)
            before.append(cube_reading(old[1], cells, old_margins))
            key += (tuple(old[1].items()), tuple(cells.items()))
            key += tuple(tuple(m.items()) for m in old_margins)
    store = current_app.extensions.setdefault("three_way_tables", cache.Kept(256))
    found = store.get(key)
    if found is None:
        k, opened = figures.k, frozenset({NOT_ANSWERED})

        def make(forced):
            made = protect_cube(counts, axes, margins, k, opened, forced)
            return made, cube_reading(counts, made, margins)

        found = carried(make, before, k, lambda: None, search=False)
        store.put(key, found if found is not None else WITHHELD)
    return None if found is WITHHELD else found


WITHHELD = object()  # kept: no pattern protects the table


def _published(grid) -> dict:
    found = {(r, c): cell for r, row in grid.cells.items() for c, cell in row.items()}
    found |= {(r, None): cell for r, cell in grid.row_totals.items()}
    found |= {(None, c): cell for c, cell in grid.column_totals.items()}
    return found
