"""A three-way table (commune × age band × answer) published beside its three two-way margins:
a linear program (scipy's HiGHS, not the app's search) plays the reader who has all four, and
narrows each hidden figure as far as it can.

What must hold (app/analysis/disclosure/cubes.py): every three-way count of 1 to k−1 hidden
keeps the stated interval (ranges.protection), and no hidden two-way count is narrowed by the
three-way table below that interval (unless the two-way tables alone already narrowed it)."""

import math
import random
from itertools import product

import numpy as np
import pytest
from scipy.optimize import linprog

from app.analysis.disclosure.cubes import protect_cube
from app.analysis.disclosure.ranges import protection
from app.analysis.disclosure.suppression import protect_grid

K = 10
NA = "na"


def table(seed: int, communes: int, ages: int, answers: int, people: int):
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    weights_g = [rng.choice((1, 1, 2, 5, 12)) for _ in range(communes)]
    weights_a = [rng.choice((1, 2, 3)) for _ in range(ages)]
    weights_v = [rng.choice((1, 2, 4, 8)) for _ in range(answers)] + [1]
    axes = (
        [f"g{i}" for i in range(communes)],
        [f"a{i}" for i in range(ages)],
        [f"v{i}" for i in range(answers)] + [NA],
    )
    counts = dict.fromkeys(product(*axes), 0)
    for _ in range(people):
        key = tuple(
            rng.choices(axis, weights)[0]
            for axis, weights in zip(axes, (weights_g, weights_a, weights_v), strict=True)
        )
        counts[key] += 1
    return axes, counts


def two_way(counts, axes, keep):
    rows, columns = (axes[i] for i in keep)
    summed = {r: dict.fromkeys(columns, 0) for r in rows}
    for key, n in counts.items():
        summed[key[keep[0]]][key[keep[1]]] += n
    grid = protect_grid(summed, K, open_categories=frozenset({NA}))
    published = {(r, c): grid.cells[r][c] for r in rows for c in columns}
    published |= {(r, None): grid.row_totals[r] for r in rows}
    published |= {(None, c): grid.column_totals[c] for c in columns}
    return grid, published


def reader_program(counts, axes, grids, cube):
    """The constraints one reader has: every figure shown, every hidden one's symbol."""
    keys = list(counts)
    at = {key: i for i, key in enumerate(keys)}
    rows, bounds = [], []
    for key in keys:
        shown = cube[key].count if cube is not None else None
        if shown is not None:
            bounds.append((shown, shown))
        elif cube is not None and cube[key].reason == "complement":
            bounds.append((K, None))
        elif cube is not None:
            bounds.append((0, K - 1))
        else:
            bounds.append((0, None))

    def add(members, cell):
        row = np.zeros(len(keys))
        row[[at[m] for m in members]] = 1
        if cell.count is not None:
            rows.append((row, cell.count, cell.count))
        elif cell.reason == "complement":
            rows.append((row, K, None))
        else:
            rows.append((row, 0, K - 1))

    for keep, grid in grids.items():
        layer = ({0, 1, 2} - set(keep)).pop()

        def line(key, keep=keep, layer=layer):
            return [
                tuple(key[keep.index(i)] if i in keep else x for i in range(3)) for x in axes[layer]
            ]

        for r, cells in grid.cells.items():
            for c, cell in cells.items():
                add(line((r, c)), cell)
        for r, cell in grid.row_totals.items():
            add([m for m in keys if m[keep[0]] == r], cell)
        for c, cell in grid.column_totals.items():
            add([m for m in keys if m[keep[1]] == c], cell)
    return keys, at, rows, bounds


def interval(program, objective):
    _keys, _at, rows, bounds = program
    a_ub, b_ub, a_eq, b_eq = [], [], [], []
    for row, low, high in rows:
        if low == high:
            a_eq.append(row), b_eq.append(low)
            continue
        if low is not None:
            a_ub.append(-row), b_ub.append(-low)
        if high is not None:
            a_ub.append(row), b_ub.append(high)
    found = []
    for sign in (1, -1):
        solved = linprog(
            sign * objective,
            A_ub=np.array(a_ub) if a_ub else None,
            b_ub=b_ub or None,
            A_eq=np.array(a_eq) if a_eq else None,
            b_eq=b_eq or None,
            bounds=bounds,
            method="highs",
        )
        assert solved.status in (0, 3), solved.message
        found.append(sign * solved.fun if solved.status == 0 else sign * math.inf)
    low, high = found
    return math.ceil(low - 1e-6), math.floor(high + 1e-6)


# Tables where some count of 1 to k−1 has no box of hidden figures around it that moves it as
# far as owed (everything around it is zero or pinned): withheld whole.
WITHHELD = {(1, 6), (3, 5), (5, 4)}


@pytest.mark.parametrize(
    "seed, communes, ages, answers, people",
    [
        (1, 6, 3, 3, 160),
        (2, 8, 4, 4, 400),
        (3, 5, 3, 2, 90),
        (4, 10, 4, 3, 900),
        (5, 4, 2, 3, 60),
        (9, 8, 4, 4, 1500),
        (10, 12, 4, 4, 2000),
    ],
)
def test_a_reader_of_the_three_way_table_and_its_margins_narrows_nothing_beyond_the_guarantee(
    seed, communes, ages, answers, people
):
    axes, counts = table(seed, communes, ages, answers, people)
    grids, margins = {}, {}
    for keep in ((0, 2), (1, 2), (0, 1)):
        grids[keep], margins[keep] = two_way(counts, axes, keep)
    if any(g.withheld for g in grids.values()):
        pytest.skip("a margin withheld: nothing to combine")
    cube = protect_cube(
        counts, axes, (margins[(0, 2)], margins[(1, 2)], margins[(0, 1)]), K, frozenset({NA})
    )
    if cube is None:
        assert (seed, communes) in WITHHELD  # no pattern protects it: the reader has the margins
        return
    assert (seed, communes) not in WITHHELD
    assert any(not c.hidden for c in cube.values()), "something is shown"
    program = reader_program(counts, axes, grids, cube)
    keys, at = program[0], program[1]
    for key, cell in cube.items():
        n = counts[key]
        if cell.hidden:
            assert cell.reason == ("small" if n < K else "complement")
        else:
            assert cell.count == n
        if cell.hidden and 0 < n < K and NA not in key:
            objective = np.zeros(len(keys))
            objective[at[key]] = 1
            low, high = interval(program, objective)
            assert low <= n <= high
            assert high - low >= protection(n), (key, n, low, high)
    before = reader_program(counts, axes, grids, None)
    for keep in grids:
        layer = ({0, 1, 2} - set(keep)).pop()
        for (r, c), cell in margins[keep].items():
            if None in (r, c) or not (cell.hidden and cell.reason == "small"):
                continue
            members = [
                tuple(((r, c)[keep.index(i)] if i in keep else x) for i in range(3))
                for x in axes[layer]
            ]
            n = sum(counts[m] for m in members)
            if not n:
                continue
            objective = np.zeros(len(keys))
            objective[[at[m] for m in members]] = 1
            low, high = interval(program, objective)
            was_low, was_high = interval(before, objective)
            assert high - low >= min(protection(n), was_high - was_low), (keep, r, c, n)
