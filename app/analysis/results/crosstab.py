"""Cross-tabulations: any two breakdowns of the respondents (results.breakdowns), protected as
two-way tables.

The margins of a cross-tabulation are one-way tables the dashboard already shows: they are taken
as published, with the same cells hidden, so that the two cannot be put together to solve what
either hides. Areas and provinces are sums of communes: their table is the commune table added
up.
"""

from dataclasses import dataclass

from app.analysis.counting import Crossings
from app.analysis.disclosure.intervals import wilson
from app.analysis.disclosure.linked import carried
from app.analysis.disclosure.readings import grid_reading
from app.analysis.disclosure.suppression import Cell, Grid, _withheld, protect_grid
from app.analysis.results.breakdowns import Breakdown
from app.analysis.results.labels import NOT_ANSWERED


class UnknownBreakdown(ValueError):
    """A breakdown key that is not offered for this questionnaire."""


@dataclass
class CrossTable:
    rows: Breakdown
    columns: Breakdown
    grid: Grid
    # The people counted in each cell (never shown): what a later release protects against.
    counts: dict | None = None

    def row_share(self, row: str, column: str) -> float | None:
        count, total = self.grid.cells[row][column].count, self.grid.row_totals[row].count
        return count / total if count is not None and total else None

    def answering_share(self, row: str, column: str) -> float | None:
        """The share among the row's people who answered the column question, as the
        dashboard gives shares (None when a figure it needs is hidden)."""
        cells = self.grid.cells[row]
        count, total = cells[column].count, self.grid.row_totals[row].count
        missing = cells.get(NOT_ANSWERED)
        if count is None or total is None or (missing is not None and missing.hidden):
            return None
        answering = total - (missing.count if missing is not None else 0)
        return count / answering if answering else None

    def row_interval(self, row: str, column: str) -> tuple[float, float] | None:
        count, total = self.grid.cells[row][column].count, self.grid.row_totals[row].count
        return wilson(count, total) if count is not None and total else None


def check(offered: dict, rows: str | None, columns: str | None) -> None:
    for key in (rows, columns):
        if key not in offered:
            raise UnknownBreakdown(key or "")
    if rows == columns:
        raise UnknownBreakdown(columns)


def crosstab(
    offered: dict, crossings: Crossings, rows: str | None, columns: str | None, k: int, earlier=None
):
    """earlier(rows, columns): the same table in each earlier release (CrossTables), for a
    release to be protected against them (disclosure.linked); None for live figures."""
    check(offered, rows, columns)
    if offered[rows].members is not None or offered[columns].members is not None:
        return _summed(offered, crossings, rows, columns, k, earlier)
    down, across = offered[rows], offered[columns]
    counts = counted(down, across, crossings)
    # A category stays even when empty (leaving it out would tell that it is empty, which the
    # one-way table may hide), unless its one-way table already shows it empty.
    down, across = _without_known_empty(down), _without_known_empty(across)
    counts = {r: {c: counts[r][c] for c in across.categories} for r in down.categories}
    margins = (_margins(down, counts, k), _margins(across, _flip(counts), k))
    before = [(t.counts, t.grid) for t in (earlier(rows, columns) if earlier else []) if t.counts]
    grid = _protected(counts, rows > columns, k, *margins, before)
    return CrossTable(down, across, grid, counts)


def _summed(
    offered: dict, crossings: Crossings, rows: str, columns: str, k: int, earlier=None
) -> CrossTable:
    """Areas and provinces are sums of communes: their table is the commune table added up, a
    figure shown only when it tells nothing the commune table does not (see added; a review
    solved commune cells from separately protected area and province tables). Hidden sums
    carry no bound: they may be below k or not."""
    flipped = offered[rows].members is None
    groups, other = (columns, rows) if flipped else (rows, columns)
    if offered[other].members is not None or other == "commune":
        raise UnknownBreakdown(other)  # nested in each other: nothing to learn
    base = crosstab(offered, crossings, "commune", other, k, earlier).grid
    members = offered[groups].members

    def added(line: dict[str, Cell], total: Cell, group: str) -> Cell:
        return sum_of(line, total, members[group])

    down = _without_known_empty(offered[groups])
    across = offered[other]
    kept = list(next(iter(base.cells.values()), {}))
    across = Breakdown(
        across.label,
        {c: across.categories[c] for c in kept},
        across.source,
        across.category_of,
        across.published,
        across.question,
    )
    columns = {c: {r: row[c] for r, row in base.cells.items()} for c in kept}
    cells = {
        g: {c: added(columns[c], base.column_totals[c], g) for c in kept} for g in down.categories
    }
    row_totals = {g: added(base.row_totals, base.total, g) for g in down.categories}
    grid = Grid(cells, row_totals, dict(base.column_totals), base.total, base.withheld)
    if not flipped:
        return CrossTable(down, across, grid)
    return CrossTable(
        across,
        down,
        Grid(
            {c: {g: cells[g][c] for g in cells} for c in kept},
            dict(base.column_totals),
            row_totals,
            base.total,
            base.withheld,
        ),
    )


def sum_of(line: dict[str, Cell], total: Cell, inside) -> Cell:
    """The sum of some figures of a protected line (communes of an area, say): shown when
    none is hidden, or when every hidden figure of the line lies inside and the line's total
    is shown (the sum is then the total less the figures shown outside: known already; so
    « Sud ESEM », holding every small commune, is not refused). Else hidden, with no bound."""
    inside = set(inside)
    found = [line.get(m, Cell(0)) for m in inside]
    if not any(cell.hidden for cell in found):
        return Cell(sum(cell.count for cell in found))
    outside = [cell for key, cell in line.items() if key not in inside]
    if total.count is not None and not any(cell.hidden for cell in outside):
        return Cell(total.count - sum(cell.count for cell in outside))
    return Cell(None, "complement")


def counted(down: Breakdown, across: Breakdown, crossings: Crossings) -> dict[str, dict[str, int]]:
    """Every response once, by its category down and across (« not answered » included)."""
    counts = {r: dict.fromkeys(across.categories, 0) for r in down.categories}
    for (r, c), n in crossings.table(down.source, across.source).items():
        if not n:  # nobody: « not answered » of a channel, say, which every response has
            continue
        row = NOT_ANSWERED if r is None else down.category_of(r)
        column = NOT_ANSWERED if c is None else across.category_of(c)
        if row in counts and column in counts[row]:  # never otherwise: the same responses
            counts[row][column] += n
    return counts


def _without_known_empty(breakdown: Breakdown) -> Breakdown:
    published = breakdown.published or {}
    kept = {c: label for c, label in breakdown.categories.items() if published.get(c) != Cell(0)}
    return Breakdown(
        breakdown.label,
        kept,
        breakdown.source,
        breakdown.category_of,
        breakdown.published,
        breakdown.question,
        breakdown.members,
    )


def _flip(counts: dict) -> dict:
    columns = list(next(iter(counts.values()), {}))
    return {c: {r: counts[r][c] for r in counts} for c in columns}


def _margins(breakdown: Breakdown, counts: dict, k: int) -> dict[str, Cell] | None:
    if breakdown.published is None:
        return None
    margins = {}
    for category, cells in counts.items():
        total = sum(cells.values())
        published = breakdown.published.get(category)
        if published is None:  # not shown elsewhere: hidden, with what « < k » or • says
            published = Cell(None, "small" if total < k else "complement")
        margins[category] = published
    return margins


def _protected(
    counts: dict, transposed: bool, k: int, row_margins, column_margins, earlier=()
) -> Grid:
    """The same hiding pattern whichever way round the table is asked for (otherwise the two
    patterns of one table, put together, could tell what each hides). earlier: (counts, grid)
    of the same table in each earlier release, as asked for."""
    if not transposed:
        return _carried(counts, k, row_margins, column_margins, earlier)
    before = [(_flip(c), _flipped(g)) for c, g in earlier]
    return _flipped(_carried(_flip(counts), k, column_margins, row_margins, before))


def _carried(counts: dict, k: int, row_margins, column_margins, earlier) -> Grid:
    """Protected on its own, then against the earlier releases' same table."""
    open_categories = frozenset({NOT_ANSWERED})  # shown whatever its size on the dashboard too
    fixed = [(r, None) for r in row_margins or ()] + [(None, c) for c in column_margins or ()]

    def make(forced):
        grid = protect_grid(counts, k, row_margins, column_margins, open_categories, forced)
        return grid, grid_reading(counts, grid, fixed)

    before = [grid_reading(c, g) for c, g in earlier]
    return carried(make, before, k, lambda: _withheld(list(counts), _columns(counts)))


def _columns(counts: dict) -> list:
    return list(next(iter(counts.values()), {}))


def _flipped(grid: Grid) -> Grid:
    """The same table, rows and columns swapped."""
    rows = list(grid.column_totals)
    return Grid(
        {r: {c: grid.cells[c][r] for c in grid.cells} for r in rows},
        grid.column_totals,
        grid.row_totals,
        grid.total,
        grid.withheld,
    )
