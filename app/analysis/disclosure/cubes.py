"""Three-way tables: the people of one group of a breakdown *and* one group of another (a
commune and an age band), by their answer to a question. Protected with τ-ARGUS's hypercube
method against a reader of the three-way table and of its three two-way margins, as the other
views publish them (commune × answer, age band × answer, commune × age band).

1. A figure whose two-way margin is hidden is hidden (its value would narrow that margin).
2. Every count of 1 to k−1 is hidden (« < k »), unless one of its categories is « not
   answered » (open, as in the two-way tables).
3. Each hidden count of 1 to k−1 gets a certificate: boxes of 2 × 2 × 2 hidden figures around
   it (another category on each axis). Adding t to the corners an even number of steps from it
   and taking t from the others changes no margin of any kind, so every table a reader has
   stays the same: the count rises and falls as far as the corners allow, each within what a
   reader knows of it (« < k »: 0 to k−1, •: k or more). Boxes add up; each end of the interval
   is one table. The boxes hidden are the cheapest (the fewest people newly hidden: zeros cost
   nothing). The interval is the one stated in ranges.protection.
4. Each hidden count of a two-way margin (1 to k−1 people) keeps that interval once the
   three-way figures are out. Certificate: the margin's own rectangles of hidden figures,
   lifted into one layer of the third breakdown at a time (they then change no other margin).
   Where those do not carry enough, a linear program (HiGHS) plays the reader who has all four
   tables and says how far the count can move: it must move as far as it is owed, or as far
   as the two-way tables alone let it (the three-way table then tells nothing more of it).

A table that cannot be protected so is withheld as a whole (None): the question is then not
broken down by the two groups together.
"""

from itertools import product

from app.analysis.disclosure.ranges import INFINITE, protection
from app.analysis.disclosure.suppression import EARLIER, Cell

Key = tuple  # (first group, second group, answer)


def protect_cube(
    counts: dict[Key, int],
    axes: tuple[list, list, list],
    margins: tuple[dict, dict, dict],
    k: int,
    open_categories: frozenset = frozenset(),
    forced: frozenset = frozenset(),
) -> dict[Key, Cell] | None:
    """counts: every (g, a, v) of the axes; margins: the published two-way tables, each
    {(row, column): Cell} with its totals under (row, None) and (None, column): g × v, a × v,
    g × a. The three-way figures as shown, or None when no pattern protects them. forced:
    figures hidden whatever their size (an earlier release hid them: disclosure.linked)."""
    by_answer, by_second, by_pair = margins
    cube = _Cube(counts, axes, k)
    opened = {key for key in counts if set(key) & open_categories}
    hidden = {key for key, n in counts.items() if 0 < n < k and key not in opened}
    hidden |= {
        key
        for key in counts
        if by_answer[(key[0], key[2])].hidden
        or by_second[(key[1], key[2])].hidden
        or by_pair[key[:2]].hidden
    }
    # As in the two-way tables: a group whose number is shown tells its « not answered » (its
    # people less those answering): those figures stay shown.
    fixed = {
        key
        for key in counts
        if key[2] in open_categories and not by_pair[key[:2]].hidden and key not in hidden
    }
    hidden |= {key for key in forced if key in counts and key not in fixed}
    cube.hide(hidden)
    cube.fix(fixed)
    for key in sorted(hidden, key=str):
        small = 0 < counts[key] < k and key not in opened
        if (small or (key in forced and counts[key])) and not cube.certify(key):
            return None
    for margin, layer in ((by_answer, 1), (by_second, 0), (by_pair, 2)):
        for key in _exposed_margins(margin, layer, cube):
            if not _audited(key, layer, margins, cube):
                return None

    def shown(key, n):
        if not cube.is_hidden(key):
            return Cell(n)
        return Cell(None, EARLIER if forced else "small" if n < k else "complement")

    return {key: shown(key, n) for key, n in counts.items()}


def cube_reading(counts: dict[Key, int], cells: dict[Key, Cell] | None, margins: tuple):
    """A three-way table as shown, with its two-way margins (as published: never hidden
    here), for a later release to be read against (disclosure.linked)."""
    from app.analysis.disclosure.readings import Reading

    if cells is None:
        return None
    by_answer, by_second, by_pair = margins
    values, shown = dict(counts), dict(cells)
    lines: dict = {}
    for (g, a, v), n in counts.items():
        for total in ((g, a, None), (g, None, v), (None, a, v)):
            values[total] = values.get(total, 0) + n
            lines.setdefault(total, []).append((g, a, v))
    for g, a, v in list(lines):
        margin, key = (
            (by_pair, (g, a))
            if v is None
            else (by_second, (a, v))
            if g is None
            else (by_answer, (g, v))
        )
        shown[(g, a, v)] = margins_cell(margin, key)
    return Reading(
        values,
        shown,
        sums=[(parts, total) for total, parts in lines.items()],
        fixed=frozenset(lines),
    )


def margins_cell(margin: dict, key) -> Cell:
    return margin.get(key, Cell(None))


class _Cube:
    """The counts as an array, which of them are hidden, and the bounds a reader knows."""

    def __init__(self, counts, axes, k):
        import numpy as np

        self.axes, self.k, self.counts = axes, k, counts
        self.index = [{x: i for i, x in enumerate(axis)} for axis in axes]
        self.values = np.zeros([len(axis) for axis in axes])
        for key, n in counts.items():
            self.values[self.at(key)] = n
        self.hidden = np.zeros(self.values.shape, dtype=bool)
        small = self.values < k
        self.low = np.where(small, 0, k)
        self.high = np.where(small, k - 1, np.inf)

    def at(self, key) -> tuple:
        return tuple(index[x] for index, x in zip(self.index, key, strict=True))

    def fix(self, keys) -> None:
        """Figures that stay shown whatever happens."""
        import numpy as np

        self.fixed = np.zeros(self.values.shape, dtype=bool)
        for key in keys:
            self.fixed[self.at(key)] = True

    def hide(self, keys) -> None:
        for key in keys:
            self.hidden[self.at(key)] = True

    def is_hidden(self, key) -> bool:
        return bool(self.hidden[self.at(key)])

    def bounds(self, at) -> tuple[float, float]:
        return float(self.low[at]), float(self.high[at])

    def certify(self, key) -> bool:
        """Hide the cheapest boxes that give the count its interval; False if none can."""
        owed = protection(self.counts[key])
        found = self._boxes(self.at(key))
        value, bounds = (lambda at: float(self.values[at])), self.bounds
        at = self.at(key)
        rise, up = gather(found(1), owed, value, bounds, (at, 1))
        fall, down = gather(found(-1), owed, value, bounds, (at, -1))
        if rise + fall < owed:
            return False
        for box in up if rise >= owed else down if fall >= owed else up + down:
            for at, _ in box:
                self.hidden[at] = True
        return True

    def _boxes(self, p):
        """The boxes around p that can move it, cheapest first (the fewest people newly
        hidden), worked out for all boxes at once; each given, when asked for, as
        [(corner, +1/−1)] (the signs turned round for a fall)."""
        import numpy as np

        shape = self.values.shape
        others = [np.array([j for j in range(n) if j != i]) for i, n in zip(p, shape, strict=True)]
        if any(not len(o) for o in others):
            return lambda sign: iter(())
        size = tuple(len(o) for o in others)
        cost, blocked = np.zeros(size), np.zeros(size, dtype=bool)
        up, down = np.full(size, np.inf), np.full(size, np.inf)
        for picks in PICKS:
            index = np.ix_(
                *[o if pick else np.array([i]) for pick, i, o in zip(picks, p, others, strict=True)]
            )
            values, hidden = self.values[index], self.hidden[index]
            cost = cost + np.where(hidden, 0, values)
            blocked = blocked | (self.fixed[index] & ~hidden)
            rise_room, fall_room = self.high[index] - values, values - self.low[index]
            if sum(picks) % 2 == 0:  # moves with p
                up, down = np.minimum(up, rise_room), np.minimum(down, fall_room)
            else:
                up, down = np.minimum(up, fall_room), np.minimum(down, rise_room)
        order = {}
        for sign, room in ((1, up), (-1, down)):
            where = np.nonzero(~blocked & (room > 0))
            order[sign] = [w[np.lexsort((*where[::-1], cost[where]))] for w in where]

        def boxes(sign):
            for where in zip(*order[sign], strict=True):
                other = [int(o[w]) for o, w in zip(others, where, strict=True)]
                yield [
                    (
                        tuple(o if pick else i for pick, i, o in zip(picks, p, other, strict=True)),
                        sign if sum(picks) % 2 == 0 else -sign,
                    )
                    for picks in PICKS
                ]

        return boxes


PICKS = list(product((0, 1), repeat=3))  # a box's corners: which axes step away from p


def gather(moves, needed, value, bounds, target=None) -> tuple[float, list]:
    """How far a figure can move along the given moves, taken in order and added up (each a
    list of (figure, +1/−1): all of them at once, by the same amount), stopping at `needed`, or
    when `target` (the figure, and the way every move moves it) can move no further; and the
    moves used. Each figure stays within its bounds, whatever moved it before."""
    moved: dict = {}
    total, used = 0, []
    for move in moves:
        room = INFINITE
        for item, sign in move:
            low, high = bounds(item)
            now = value(item) + moved.get(item, 0)
            room = min(room, high - now if sign > 0 else now - low)
        if room <= 0:
            continue
        step = min(room, needed - total)
        for item, sign in move:
            moved[item] = moved.get(item, 0) + sign * step
        total += step
        used.append(move)
        if total >= needed or (target is not None and _at_bound(target, moved, value, bounds)):
            break
    return total, used


def _at_bound(target, moved, value, bounds) -> bool:
    item, sign = target
    now = value(item) + moved.get(item, 0)
    return now >= bounds(item)[1] if sign > 0 else now <= bounds(item)[0]


def _lift(key, x, layer):
    found = list(key)
    found.insert(layer, x)
    return tuple(found)


def _exposed_margins(margin: dict, layer: int, cube: _Cube) -> list:
    """Rule 4's first test: the hidden counts of a margin (1 to k−1 people) that its
    rectangles, lifted layer by layer into hidden three-way figures, do not move as far as
    they are owed."""
    k, axes = cube.k, cube.axes
    kept = [axis for i, axis in enumerate(axes) if i != layer]
    cells = {key: cell for key, cell in margin.items() if None not in key}
    hidden = {key for key, cell in cells.items() if cell.hidden}
    totals = {key: sum(cube.counts[_lift(key, x, layer)] for x in axes[layer]) for key in cells}

    def value(item):
        return totals[item[1]] if item[0] == "margin" else float(cube.values[item])

    def bounds(item):
        if item[0] == "margin":
            reason = cells[item[1]].reason
            if reason == EARLIER:  # any number (disclosure.linked)
                return (0, INFINITE)
            return (0, k - 1) if reason == "small" else (k, INFINITE)
        return cube.bounds(item)

    exposed = []
    for key in sorted(hidden, key=str):
        if cells[key].reason not in ("small", EARLIER) or not 0 < totals[key] < k:
            continue
        moves = []
        for r, c in product(kept[0], kept[1]):
            corners = [(key, 1), ((key[0], c), -1), ((r, key[1]), -1), ((r, c), 1)]
            if r == key[0] or c == key[1] or not all(x in hidden for x, _ in corners):
                continue
            tied = [(("margin", corner), sign) for corner, sign in corners]
            for x in axes[layer]:
                lifted = [(cube.at(_lift(corner, x, layer)), sign) for corner, sign in corners]
                if all(cube.hidden[at] for at, _ in lifted):
                    moves.append(lifted + tied)
        owed = protection(totals[key])
        target = ("margin", key)
        rise, _ = gather(moves, owed, value, bounds, (target, 1))
        fall, _ = gather(
            [[(i, -s) for i, s in m] for m in moves], owed, value, bounds, (target, -1)
        )
        if rise + fall < owed:
            exposed.append(key)
    return exposed


def _audited(key, layer: int, margins, cube: _Cube) -> bool:
    """Rule 4's last word: the interval a reader of all four tables gets for the margin count
    `key`, by linear programming, is as wide as owed, or as wide as without the three-way
    figures."""
    value = sum(cube.counts[_lift(key, x, layer)] for x in cube.axes[layer])
    members = [cube.at(_lift(key, x, layer)) for x in cube.axes[layer]]
    low, high = _interval(members, margins, cube, with_cube=True)
    if high - low >= protection(value):
        return True
    was_low, was_high = _interval(members, margins, cube, with_cube=False)
    return high - low >= was_high - was_low


def _interval(members, margins, cube: _Cube, with_cube: bool) -> tuple[int, float]:
    import numpy as np
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix

    shape = cube.values.shape
    size = int(np.prod(shape))
    numbers = np.arange(size).reshape(shape)
    if with_cube:
        bounds = [
            (cube.low[at], None if np.isinf(cube.high[at]) else cube.high[at])
            if cube.hidden[at]
            else (cube.values[at], cube.values[at])
            for at in np.ndindex(shape)
        ]
    else:
        bounds = [(0, None)] * size
    rows, lows, highs = [], [], []
    for margin, layer in zip(margins, (1, 0, 2), strict=True):
        axis_of = [i for i in range(3) if i != layer]
        for key, cell in margin.items():
            fixed = {
                axis_of[i]: cube.index[axis_of[i]][x] for i, x in enumerate(key) if x is not None
            }
            rows.append(numbers[tuple(fixed.get(i, slice(None)) for i in range(3))].ravel())
            if cell.count is not None:
                lows.append(cell.count), highs.append(cell.count)
            elif cell.reason == "small":
                lows.append(0), highs.append(cube.k - 1)
            elif cell.reason == EARLIER:  # any number (disclosure.linked)
                lows.append(0), highs.append(np.inf)
            else:
                lows.append(cube.k), highs.append(np.inf)
    matrix = csr_matrix(
        (
            np.ones(sum(len(r) for r in rows)),
            (np.repeat(np.arange(len(rows)), [len(r) for r in rows]), np.concatenate(rows)),
        ),
        shape=(len(rows), size),
    )
    equal = [i for i in range(len(rows)) if lows[i] == highs[i]]
    ranged = [i for i in range(len(rows)) if lows[i] != highs[i]]
    upper = [i for i in ranged if not np.isinf(highs[i])]
    a_ub = matrix[upper + ranged] if upper or ranged else None
    b_ub = None
    if a_ub is not None:
        a_ub = a_ub.multiply(np.array([1] * len(upper) + [-1] * len(ranged))[:, None]).tocsr()
        b_ub = np.array([highs[i] for i in upper] + [-lows[i] for i in ranged])
    objective = np.zeros(size)
    objective[[int(numbers[at]) for at in members]] = 1
    ends = []
    for sign in (1, -1):  # the least, then the most
        solved = linprog(
            sign * objective,
            A_ub=a_ub,
            b_ub=b_ub,
            A_eq=matrix[equal] if equal else None,
            b_eq=np.array([lows[i] for i in equal]) if equal else None,
            bounds=bounds,
            method="highs",
        )
        if solved.status == 3:  # no upper end: a • among its parts
            ends.append(INFINITE)
            continue
        if solved.status != 0:  # never: the true table satisfies every constraint
            raise RuntimeError(f"the reader's program failed: {solved.message}")
        ends.append(sign * solved.fun)
    low, high = ends
    return int(np.ceil(low - 1e-6)), high if high == INFINITE else int(np.floor(high + 1e-6))
