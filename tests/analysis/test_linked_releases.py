"""A release protected against the earlier ones (issue 17, item 4; disclosure.linked): a reader
holding both releases of a table, who assumes nobody was deleted in between, cannot narrow a
count hidden in either beyond the stated interval (ranges.protection), unless its own release
alone already leaves less room.

The reader here is a linear program of the test's own (scipy's HiGHS through linprog, over the
true counts of both releases), fed only with what the two tables show."""

import math

import numpy as np
import pytest
from scipy.optimize import linprog

from app.analysis.disclosure.linked import carried_line
from app.analysis.disclosure.ranges import protection
from app.analysis.disclosure.suppression import Cell, protect, protect_grid
from app.analysis.results.crosstab import _protected

K = 10
# Sivry's 9 people without a car, « < 10 » in the first release; 2 new people in Sivry, both
# without a car, in the second (where 11 alone would tell 11 − 2 = 9).
BEFORE = {
    "sivry": {"yes": 30, "no": 9},
    "cerfontaine": {"yes": 25, "no": 14},
    "couvin": {"yes": 40, "no": 20},
    "viroinval": {"yes": 12, "no": 15},
}
AFTER = {
    "sivry": {"yes": 30, "no": 11},
    "cerfontaine": {"yes": 27, "no": 15},
    "couvin": {"yes": 44, "no": 22},
    "viroinval": {"yes": 14, "no": 15},
}


def shown_grid(grid) -> dict:
    """Every figure of a protected table, as a reader sees it: (row, column) → Cell."""
    found = {(r, c): cell for r, row in grid.cells.items() for c, cell in row.items()}
    found |= {(r, None): cell for r, cell in grid.row_totals.items()}
    found |= {(None, c): cell for c, cell in grid.column_totals.items()}
    found[(None, None)] = grid.total
    return found


def reader_interval(tables, target) -> tuple[int, int]:
    """The whole numbers `target` (release, row, column) can be, for a reader holding every
    table of `tables` [(counts, shown)], the people of release 0, then those added by each
    later one as unknowns (nobody deleted)."""
    rows = list(tables[0][0])
    columns = list(tables[0][0][rows[0]])
    cells = [(r, c) for r in rows for c in columns]
    size = len(cells) * len(tables)

    def vector(release, row, column):
        found = np.zeros(size)
        for i, (r, c) in enumerate(cells):
            if (row is None or r == row) and (column is None or c == column):
                for layer in range(release + 1):
                    found[layer * len(cells) + i] = 1
        return found

    equal, at_most = [], []
    for release, (_counts, shown) in enumerate(tables):
        for (row, column), cell in shown.items():
            figure = vector(release, row, column)
            if cell.count is not None:
                equal.append((figure, cell.count))
            elif cell.reason == "small":
                at_most.append((figure, K - 1))
            elif cell.reason == "complement":
                at_most.append((-figure, -K))
    bounds = []
    for sign in (1, -1):
        found = linprog(
            sign * vector(*target),
            A_ub=np.array([v for v, _ in at_most]) if at_most else None,
            b_ub=np.array([b for _, b in at_most]) if at_most else None,
            A_eq=np.array([v for v, _ in equal]),
            b_eq=np.array([b for _, b in equal]),
            bounds=(0, None),
            method="highs",
        )
        assert found.status == 0, found.message
        bounds.append(sign * found.fun)
    return math.ceil(bounds[0] - 1e-6), math.floor(bounds[1] + 1e-6)


def margins(counts) -> dict:
    return {r: Cell(sum(row.values())) for r, row in counts.items()}


def test_the_second_release_hides_what_would_pin_the_first():
    first = protect_grid(BEFORE, K, margins(BEFORE))
    assert first.cells["sivry"]["no"] == Cell(None, "small")
    alone = protect_grid(AFTER, K, margins(AFTER))
    assert alone.cells["sivry"]["no"] == Cell(11)  # on its own: nothing to hide
    tables = [(BEFORE, shown_grid(first)), (AFTER, shown_grid(alone))]
    assert reader_interval(tables, (0, "sivry", "no")) == (9, 9)  # pinned

    second = _protected(AFTER, False, K, margins(AFTER), None, [(BEFORE, first)])
    assert second.cells["sivry"]["no"] == Cell(None, "earlier")  # « ◦ »: any number
    assert not second.withheld
    tables = [(BEFORE, shown_grid(first)), (AFTER, shown_grid(second))]
    low, high = reader_interval(tables, (0, "sivry", "no"))
    assert low <= 9 <= high and high - low >= protection(9)
    # the communes' numbers of people stay shown (they are published on the dashboard)
    assert all(second.row_totals[r] == Cell(sum(AFTER[r].values())) for r in AFTER)
    # the largest figures stay shown
    assert second.cells["couvin"] == {"yes": Cell(44), "no": Cell(22)}


def test_a_small_count_of_the_second_release_is_protected_against_the_first():
    """A count shown in the first release (0) and small in the second: the reader knows it was
    0 and that it grew by no more than its line's new people."""
    before = {"a": {"yes": 20, "no": 0}, "b": {"yes": 25, "no": 14}, "c": {"yes": 30, "no": 12}}
    after = {"a": {"yes": 20, "no": 8}, "b": {"yes": 25, "no": 14}, "c": {"yes": 31, "no": 12}}
    first = protect_grid(before, K, margins(before))
    second = _protected(after, False, K, margins(after), None, [(before, first)])
    assert second.cells["a"]["no"].hidden
    tables = [(before, shown_grid(first)), (after, shown_grid(second))]
    low, high = reader_interval(tables, (1, "a", "no"))
    alone = reader_interval([(after, shown_grid(second))], (0, "a", "no"))
    assert low <= 8 <= high
    assert high - low >= min(protection(8), alone[1] - alone[0])


def test_without_an_earlier_release_nothing_changes():
    line, figures = carried_line({"yes": 40, "no": 9, "dont_know": 0}, K)
    assert line == protect({"yes": 40, "no": 9, "dont_know": 0}, K)
    assert figures["no"] == 9
    grid = _protected(AFTER, False, K, margins(AFTER), None, [])
    assert grid == protect_grid(AFTER, K, margins(AFTER))


def test_a_one_way_table_read_in_two_releases():
    """« Less than 10 » (9), then 11 with 2 new people who both answered: 9 again, unless the
    second release hides it too, and what the line's total would tell."""
    before = {"often": 40, "sometimes": 25, "never": 9}
    after = {"often": 40, "sometimes": 25, "never": 11}
    first, first_figures = carried_line(before, K)
    assert first.cells["never"] == Cell(None, "small")
    second, _ = carried_line(after, K, [(first, first_figures)])
    assert second.cells["never"].hidden
    # one line: the three answers as one row, its total the number of people
    as_grid = [
        ({"all": before}, _line_shown(first, before)),
        ({"all": after}, _line_shown(second, after)),
    ]
    low, high = reader_interval(as_grid, (0, "all", "never"))
    assert low <= 9 <= high and high - low >= protection(9)


def _line_shown(line, counts) -> dict:
    found = {("all", key): cell for key, cell in line.cells.items()}
    found |= {(None, key): cell for key, cell in line.cells.items()}
    total = Cell(line.total) if line.total is not None else Cell(None, None)
    found[("all", None)] = found[(None, None)] = total
    return found


@pytest.mark.parametrize("transposed", [False, True])
def test_the_same_pattern_whichever_way_round(transposed):
    first = protect_grid(BEFORE, K, margins(BEFORE))
    straight = _protected(AFTER, False, K, margins(AFTER), None, [(BEFORE, first)])
    if not transposed:
        return
    flipped_before = {c: {r: BEFORE[r][c] for r in BEFORE} for c in ("yes", "no")}
    flipped_after = {c: {r: AFTER[r][c] for r in AFTER} for c in ("yes", "no")}
    first_flipped = _protected(flipped_before, True, K, None, margins(BEFORE), [])
    # asked the other way round (columns before rows), the same table is flipped inside
    other = _protected(
        flipped_after, True, K, None, margins(AFTER), [(flipped_before, first_flipped)]
    )
    assert {(r, c): other.cells[c][r] for r in AFTER for c in ("yes", "no")} == {
        (r, c): straight.cells[r][c] for r in AFTER for c in ("yes", "no")
    }
