"""Two-way tables (a question by commune, by age band …): no hidden figure can be worked out
from the rows, the columns and the totals. The attacker here solves the table exactly, by
search over every completion, independently of the protection's own reasoning."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from app.analysis.disclosure.suppression import protect_grid

K = 5


def shown_or_none(cell):
    return cell.count


def completions_allow(grid, rows, columns, fixed: dict, truth: dict) -> bool:
    """Is there a table of non-negative integers that agrees with everything shown, with the
    bounds of hidden figures (« < k »: 0..k−1, •: k or more, no reason: anything) and with
    `fixed`? (`truth` only
    orders the search, so that a completion is found quickly when there is one.)"""
    figure = {(r, c): grid.cells[r][c] for r in rows for c in columns}
    figure |= {(r, None): grid.row_totals[r] for r in rows}
    figure |= {(None, c): grid.column_totals[c] for c in columns}
    figure[(None, None)] = grid.total
    shown_total = grid.total.count
    cap = shown_total if shown_total is not None else 4 * sum(truth.values()) + 4 * K

    def fits(key, value):
        if key in fixed and fixed[key] != value:
            return False
        cell = figure[key]
        if cell.count is not None:
            return value == cell.count
        if cell.reason is None:  # nothing shown about it at all
            return True
        return value < K if cell.reason == "small" else value >= K

    def room(key):
        caps = [
            figure[t].count for t in ((key[0], None), (None, key[1])) if figure[t].count is not None
        ]
        return min([cap, *caps])

    # the fixed figure first: a value outside its own bounds is refused at once
    interior = sorted(((r, c) for r in rows for c in columns), key=lambda key: key not in fixed)
    values: dict = {}

    def most(key):  # the largest value a figure can have
        cell = figure[key]
        if cell.count is not None:
            return cell.count
        return K - 1 if cell.reason == "small" else cap

    def search(i: int) -> bool:
        if i == len(interior):
            totals = {(None, c): sum(values[(r, c)] for r in rows) for c in columns}
            totals[(None, None)] = sum(values.values())
            return all(fits(key, v) for key, v in totals.items())
        key = interior[i]
        r, c = key
        if key in fixed:
            options = [fixed[key]]
        elif figure[key].count is not None:
            options = [figure[key].count]
        else:
            options = sorted(range(room(key) + 1), key=lambda v: abs(v - truth[key]))
        for v in options:
            if not fits(key, v):
                continue
            values[key] = v
            column = sum(values[(x, c)] for x in rows if (x, c) in values)
            row = sum(values[(r, x)] for x in columns if (r, x) in values)
            if column > most((None, c)) or row > most((r, None)):
                continue
            if sum(values[x] for x in interior[: i + 1]) > most((None, None)):
                continue
            if all((r, x) in values for x in columns) and not fits((r, None), row):
                continue
            if search(i + 1):
                return True
        values.pop(key, None)
        return False

    return search(0)


tables = st.integers(2, 3).flatmap(
    lambda n_rows: st.integers(2, 3).flatmap(
        lambda n_cols: st.lists(
            st.lists(
                st.sampled_from([0, 1, 2, 3, 4, 5, 6, 8, 12]), min_size=n_cols, max_size=n_cols
            ),
            min_size=n_rows,
            max_size=n_rows,
        )
    )
)


def labelled(table: list[list[int]]):
    rows = [f"r{i}" for i in range(len(table))]
    columns = [f"c{j}" for j in range(len(table[0]))]
    counts = {r: dict(zip(columns, v, strict=True)) for r, v in zip(rows, table, strict=True)}
    return rows, columns, counts


def owed(grid, rows, columns, key, value: int, truth: dict) -> int:
    """The guarantee as stated: half the count wide (p = 50 %), never one value, unless the
    totals shown of the cell's row and column alone leave less, their parts all below K."""
    r, c = key
    width = math.ceil(value / 2)
    for total, line in (
        (grid.row_totals[r], [truth[(r, x)] for x in columns]),
        (grid.column_totals[c], [truth[(x, c)] for x in rows]),
    ):
        if total.count is not None and max(line) < K:  # every part below K
            parts = len(line)
            low, high = max(0, total.count - (parts - 1) * (K - 1)), min(K - 1, total.count)
            width = min(width, high - low)
    return max(1, width)


def assert_nothing_solvable(grid, rows, columns, truth: dict) -> None:
    """Every hidden cell can take at least one value other than its true one, and a small one
    (1 to K−1) lies in an interval at least half its value wide (the stated guarantee)."""
    for key, n in truth.items():
        if grid.cells[key[0]][key[1]].count is None and 0 < n < K:
            possible = [
                v for v in range(K) if completions_allow(grid, rows, columns, {key: v}, truth)
            ]
            assert max(possible) - min(possible) >= owed(grid, rows, columns, key, n, truth), (
                truth,
                key,
                possible,
            )
        if grid.cells[key[0]][key[1]].count is None:
            others = sorted((v for v in range(0, 4 * K + n) if v != n), key=lambda v: abs(v - n))
            assert any(completions_allow(grid, rows, columns, {key: v}, truth) for v in others), (
                truth,
                key,
            )


@settings(max_examples=80, deadline=None, derandomize=True)
@given(table=tables)
def test_no_hidden_figure_of_a_two_way_table_can_be_worked_out(table):
    rows, columns, counts = labelled(table)
    grid = protect_grid(counts, K)
    truth = {(r, c): counts[r][c] for r in rows for c in columns}
    if grid.withheld:  # nothing is shown at all
        assert all(cell.count is None for row in grid.cells.values() for cell in row.values())
        return
    assert grid.total.count == sum(truth.values())  # the number of people is never hidden
    for (r, c), n in truth.items():
        cell = grid.cells[r][c]
        assert (cell.count is None) if 0 < n < K else (cell.count in (None, n))
    assert completions_allow(grid, rows, columns, {}, truth)  # the truth is one completion
    assert_nothing_solvable(grid, rows, columns, truth)


def test_a_lone_small_cell_takes_three_others_with_it():
    grid = protect_grid({"a": {"x": 2, "y": 20}, "b": {"x": 30, "y": 40}}, K)
    hidden = [(r, c) for r in "ab" for c in "xy" if grid.cells[r][c].count is None]
    assert hidden == [("a", "x"), ("a", "y"), ("b", "x"), ("b", "y")]
    assert grid.total.count == 92  # the grand total and margins can stay


@settings(max_examples=60, deadline=None, derandomize=True)
@given(table=tables)
def test_margins_published_by_a_one_way_table_stay_as_published(table):
    from app.analysis.disclosure.suppression import protect

    rows, columns, counts = labelled(table)
    one_way = protect({r: sum(counts[r].values()) for r in rows}, K)
    if one_way.total is None:
        return  # nothing of it is published
    grid = protect_grid(counts, K, row_margins=one_way.cells)
    if grid.withheld:
        return
    assert grid.row_totals == one_way.cells  # the same cells, shown or hidden the same way
    truth = {(r, c): counts[r][c] for r in rows for c in columns}
    assert_nothing_solvable(grid, rows, columns, truth)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(table=tables)
def test_an_open_not_answered_column_gives_nothing_else_away(table):
    """« Not answered » is shown whatever its size (as on the dashboard): its small counts are
    not hidden for being small, and the attacker reads them exactly; every other hidden figure
    still cannot be worked out."""
    rows, columns, counts = labelled(table)
    grid = protect_grid(counts, K, open_categories=frozenset({columns[-1]}))
    if grid.withheld:
        return
    truth = {(r, c): counts[r][c] for r in rows for c in columns}
    for r in rows:
        shown = grid.cells[r][columns[-1]]
        assert shown.count in (None, counts[r][columns[-1]])  # small or not, shown true
        for c in columns[:-1]:
            assert grid.cells[r][c].count is None if 0 < counts[r][c] < K else True
    assert completions_allow(grid, rows, columns, {}, truth)
    assert_nothing_solvable(grid, rows, columns, truth)


def test_the_cheapest_rectangle_keeps_the_largest_figures():
    """A review's case: one skipped question's « not answered » of 0 or 1 per row hid the
    largest answer of every row. Now « not answered » is open and zeros are not sensitive: the
    small « No » of one row is protected by the smallest cells around it."""
    counts = {
        "a": {"yes": 60, "no": 3, "unanswered": 1},
        "b": {"yes": 45, "no": 12, "unanswered": 0},
        "c": {"yes": 52, "no": 15, "unanswered": 1},
    }
    grid = protect_grid(counts, K, open_categories=frozenset({"unanswered"}))
    hidden = {(r, c) for r in counts for c in counts[r] if grid.cells[r][c].count is None}
    assert ("a", "no") in hidden
    assert not any(c == "yes" for _r, c in hidden)  # the largest figure of every row stays
    rows, columns = list(counts), ["yes", "no", "unanswered"]
    truth = {(r, c): counts[r][c] for r in rows for c in columns}
    assert_nothing_solvable(grid, rows, columns, truth)
