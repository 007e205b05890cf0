"""What a reader has of a protected table (suppression), to read it with the same table of an
earlier release (linked): every figure's true count, how it is shown, and the relations that
tie them."""

from dataclasses import dataclass, field

from app.analysis.disclosure.suppression import Cell, Grid, Line, _equations, _figures


@dataclass(frozen=True)
class Reading:
    """One release's table as a reader has it: every figure's true count (cells and totals),
    how it is shown (suppression.Cell), the lines whose parts add up to their total, and the
    parts that are at most their total (several answers per person)."""

    values: dict
    shown: dict
    sums: list = field(default_factory=list)
    within: list = field(default_factory=list)
    # parts whose sum is at least the total (several answers each, at least one per person)
    covers: list = field(default_factory=list)
    fixed: frozenset = frozenset()  # figures that stay shown whatever (published elsewhere)
    caps: dict = field(default_factory=dict)  # hidden figures a reader knows to be at most this


TOTAL = "\0total"  # a one-way table's total among its figures


def line_reading(counts: dict[str, int], line: Line, additive: bool, total: int, k: int):
    """A one-way table as shown (`total`: the true number its total stands for). In a table
    that adds up, a reader knows that • is no more than the smallest count still shown."""
    if all(cell.hidden for cell in line.cells.values()) and line.total is None:
        return None  # nothing shown
    values = {**counts, TOTAL: total}
    hidden_total = Cell(None, "small" if total < k else None)
    shown = {**line.cells, TOTAL: Cell(line.total) if line.total is not None else hidden_total}
    keys = list(counts)
    caps = {}
    if additive:
        least = min((c.count for c in line.cells.values() if c.count), default=None)
        for key, cell in line.cells.items():
            if cell.reason == "complement" and least is not None and counts[key] <= least:
                caps[key] = least
    return Reading(
        values,
        shown,
        sums=[(keys, TOTAL)] if additive else [],
        within=[] if additive else [(key, TOTAL) for key in keys],
        covers=[] if additive else [(keys, TOTAL)],  # each answering gave one at least
        fixed=frozenset({TOTAL}),
        caps=caps,
    )


def grid_reading(counts: dict[str, dict[str, int]], grid: Grid, fixed=()):
    """A two-way table as shown; fixed: its totals published elsewhere (never hidden)."""
    if grid.withheld:
        return None
    rows = list(counts)
    columns = list(next(iter(counts.values()), {}))
    shown = {(r, c): grid.cells[r][c] for r in rows for c in columns}
    shown |= {(r, None): grid.row_totals[r] for r in rows}
    shown |= {(None, c): grid.column_totals[c] for c in columns}
    shown[(None, None)] = grid.total
    return Reading(
        _figures(counts, rows, columns),
        shown,
        sums=_equations(rows, columns),
        fixed=frozenset(fixed) | {(None, None)},
    )
