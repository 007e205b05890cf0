"""A table read in two releases: what the later one must hide so that, read with the earlier,
no hidden count is narrowed beyond the guarantee (ranges.protection).

A reader who kept an earlier release puts each table beside the same table now. Nobody is
deleted in between (the reader may assume it), so every figure now is at least what it was, and
the new people of a line add up to its growth. A count hidden in either release can then lie in
a narrower interval than each release alone gives: Sivry's 9 people without a car were « < 10 »;
with 2 new people in Sivry, a later « 11 » tells that they were 9 (no more than 9, no fewer
than 11 − 2). Each release is protected on its own first (suppression, cubes); then `carried`
plays that reader with a linear program over both releases (HiGHS, as τ-ARGUS audits linked
tables) and hides more of the later release, the cheapest figures first, until every hidden
small count of either keeps the interval owed, or as wide an interval as its own release alone
gives it (a line's total may leave less room, ranges.owed). The earlier release is out: only the
later one can hide more. A table no pattern protects is withheld, as in one release.
"""

import math
from collections.abc import Callable

from app.analysis.disclosure.ranges import protection
from app.analysis.disclosure.readings import TOTAL, Reading, line_reading
from app.analysis.disclosure.suppression import EARLIER, Cell, Line, protect

INFINITE = math.inf  # HiGHS reads it as no bound
TRIES = 12  # figures tried per step before the table is withheld


def carried(make: Callable, earlier: list, k: int, withheld: Callable, search: bool = True):
    """The table protected against the same table of earlier releases. make(forced) protects
    the table with the figures `forced` hidden too and gives (what is shown, its Reading);
    earlier: the Readings of the earlier releases; withheld(): the table shown as nothing.
    search: False to withhold the table at once when it would narrow anything (the three-way
    tables, whose programs are the largest)."""
    forced: frozenset = frozenset()
    made, reading = make(forced)
    earlier = [r for r in earlier if r is not None]
    if not earlier or reading is None:
        return made
    lacking = shortfall(reading, earlier, k)
    while lacking:
        if not search:
            return withheld()
        step = None
        for key in _candidates(reading, lacking)[:TRIES]:
            tried, tried_reading = make(forced | {key})
            if tried_reading is None:  # the table would be withheld: try another
                continue
            # first those narrowed so far (a few programs), then everything once it helps
            after = shortfall(tried_reading, earlier, k, among=set(lacking))
            if sum(after.values()) < sum(lacking.values()):
                step = key, tried, tried_reading
                break
        if step is None:
            return withheld()
        key, made, reading = step
        forced = forced | {key}
        lacking = shortfall(reading, earlier, k)
    return made


def shortfall(now: Reading, earlier: list, k: int, among=None) -> dict:
    """The hidden small counts of either release narrowed beyond what they are owed, read with
    each earlier release in turn: {(which, key): values lacking} (which: 0 the earlier, 1 now).
    among: only these."""
    found: dict = {}
    for before in earlier:
        for target, lack in _Pair(before, now, k).lacking(among).items():
            found[target] = max(found.get(target, 0), lack)
    return found


def _candidates(reading: Reading, lacking: dict) -> list:
    """Shown figures of the later release to try hiding: the very figure narrowed (the earlier
    release hid it), then those sharing a line with one narrowed, then any other; the smallest
    first (the least information lost)."""
    open_ = [
        key for key, cell in reading.shown.items() if not cell.hidden and key not in reading.fixed
    ]
    narrowed = {key for _, key in lacking}
    around = set()
    for parts, total in reading.sums:
        line = {*parts, total}
        if line & narrowed:
            around |= line
    for part, total in reading.within:
        if {part, total} & narrowed:
            around |= {part, total}

    def rank(key):
        return (key not in narrowed, key not in around, reading.values[key], str(key))

    return sorted(open_, key=rank)


class _Pair:
    """The linear program of a reader holding both releases of a table: a variable for each
    figure hidden in either (shown ones are constants)."""

    def __init__(self, before: Reading, now: Reading, k: int):
        self.k, self.readings = k, (before, now)
        self.index: dict = {}
        lower, upper = [], []
        for which, reading in enumerate(self.readings):
            for key, cell in reading.shown.items():
                if cell.hidden:
                    self.index[(which, key)] = len(lower)
                    low, high = _bounds(cell, k)
                    lower.append(low)
                    upper.append(min(high, reading.caps.get(key, high)))
        self.size = len(lower)
        self.rows: list = []  # (low, high, {variable: coefficient}), each for which
        for which, reading in enumerate(self.readings):
            for parts, total in reading.sums:
                self._row(which, {**{(which, p): 1 for p in parts}, (which, total): -1}, 0, 0)
            for part, total in reading.within:
                self._row(which, {(which, part): 1, (which, total): -1}, -INFINITE, 0)
            for parts, total in reading.covers:
                terms = {**{(which, p): 1 for p in parts}, (which, total): -1}
                self._row(which, terms, 0, INFINITE)
        # Nobody deleted, as the reader may assume: a figure now is at least what it was, and
        # a new person adds at most one to each part of a line (at least one to those where
        # each answers something). Kept only where true: a response deleted, a free-text
        # answer coded anew or a number's classes redrawn by a new version make a figure fall,
        # and a reader assuming otherwise there is misled, not informed.
        common = before.values.keys() & now.values.keys()
        for key in common:
            self._row(None, {(0, key): 1, (1, key): -1}, -INFINITE, 0)
        for part, total in now.within:
            if {part, total} <= common:
                terms = {(1, part): 1, (0, part): -1, (1, total): -1, (0, total): 1}
                self._row(None, terms, -INFINITE, 0)
        for parts, total in now.covers:
            if {*parts, total} <= common:
                terms = {(1, total): -1, (0, total): 1}
                for p in parts:
                    terms[(1, p)], terms[(0, p)] = 1, -1
                self._row(None, terms, 0, INFINITE)
        self.lower, self.upper = lower, upper
        self.models: dict = {}
        self.truth = [0.0] * self.size
        for (which, key), at in self.index.items():
            self.truth[at] = float(self.readings[which].values[key])
        self.points: dict = {}  # tables found that the reader cannot rule out, per program

    def _row(self, which, terms: dict, low: float, high: float) -> None:
        """A constraint low ≤ Σ coefficient × figure ≤ high, the shown figures moved across."""
        variables, constant = {}, 0.0
        for (side, key), coefficient in terms.items():
            at = self.index.get((side, key))
            if at is None:
                constant += coefficient * self.readings[side].values[key]
            else:
                variables[at] = variables.get(at, 0) + coefficient
        variables = {at: c for at, c in variables.items() if c}
        truth = constant + sum(
            c * self.readings[side].values[key]
            for (side, key), c in terms.items()
            if (side, key) in self.index
        )
        if not low - 1e-9 <= truth <= high + 1e-9:
            return  # not true of these figures: no reader learns from it
        if variables:
            self.rows.append((low - constant, high - constant, variables, which))

    def lacking(self, among=None) -> dict:
        """The targets (of `among`, by default all) narrowed beyond what they are owed:
        {(which, key): values lacking}."""
        found = {}
        for (which, key), at in self.index.items():
            if among is not None and (which, key) not in among:
                continue
            value = self.readings[which].values[key]
            if not 0 < value < self.k:
                continue  # the guarantee is for the hidden small counts
            owed = protection(value)
            width = self._width(at, None, owed)
            if width >= owed:
                continue
            alone = self._width(at, which, owed)  # as wide as its own release leaves it
            due = max(1, min(owed, alone))
            if width < due:
                found[(which, key)] = due - width
        return found

    def _width(self, at: int, which, enough: float) -> float:
        """How wide the whole numbers the variable can be are, with both releases (which
        None) or with one release's own figures; the exact width, or at least `enough`.
        Every solution found is a table the reader cannot rule out (the truth first): when
        those already set the variable `enough` apart, no program is solved."""
        points = self.points.setdefault(which, [self.truth])
        low, high = min(p[at] for p in points), max(p[at] for p in points)
        if high - low >= enough:
            return high - low
        bounds = []
        for sense in ("min", "max"):
            bounds.append(self._solve(at, which, sense))
            low, high = min(low, bounds[-1]), max(high, bounds[-1])
            if sense == "min" and high - low >= enough:
                return high - low
        if math.isinf(bounds[1]):
            return math.inf
        return math.floor(bounds[1] + 1e-6) - math.ceil(bounds[0] - 1e-6)

    def _solve(self, at: int, which, sense: str) -> float:
        """The least (most) the variable can be; its solution joins the points."""
        import highspy  # kept off the respondents' path
        import numpy as np

        model = self.models.get(which)
        if model is None:
            model = self.models[which] = self._model(which)
        # always minimised (the most is minus the least of minus it): the last basis stays
        # a good start
        sign = 1.0 if sense == "min" else -1.0
        model.changeColsCost(1, np.array([at], dtype=np.int32), np.array([sign]))
        model.run()
        status = model.getModelStatus()
        value = sign * model.getInfo().objective_function_value
        if status == highspy.HighsModelStatus.kOptimal:
            self.points[which].append(list(model.getSolution().col_value))
        model.changeColsCost(1, np.array([at], dtype=np.int32), np.array([0.0]))
        if status == highspy.HighsModelStatus.kUnbounded:
            return math.inf
        if status != highspy.HighsModelStatus.kOptimal:  # the truth is a solution: never
            raise RuntimeError(f"the reader's linear program failed: {status}")
        return value

    def _model(self, which):
        import highspy
        import numpy as np

        model = highspy.Highs()
        model.setOptionValue("output_flag", False)
        # Solved again from the last basis, which a new cost leaves feasible: the primal
        # simplex goes on from there (a quarter of the dual's time on the three-way tables)
        model.setOptionValue("presolve", "off")
        model.setOptionValue("simplex_strategy", 4)
        model.addVars(self.size, np.array(self.lower), np.array(self.upper))
        for low, high, variables, side in self.rows:
            if which is not None and side != which:
                continue
            columns = list(variables)
            model.addRow(
                low,
                high,
                len(columns),
                np.array(columns, dtype=np.int32),
                np.array([variables[c] for c in columns], dtype=float),
            )
        return model


def _bounds(cell, k: int) -> tuple[float, float]:
    """What a reader knows of a hidden figure: « < k » 0 to k−1, • k or more, « ◦ » nothing."""
    if cell.reason == "small":
        return 0.0, float(k - 1)
    if cell.reason == "complement":
        return float(k), INFINITE
    return 0.0, INFINITE


def carried_line(
    counts: dict[str, int],
    k: int,
    earlier=(),
    additive: bool = True,
    total: int | None = None,
    groups: dict | None = None,
    answered: int | None = None,
    against_answered: bool = False,
) -> tuple[Line, dict]:
    """A one-way table (suppression.protect) protected against the same table of earlier
    releases. earlier: what this gives back for each, (Line as shown, its figures).
    against_answered: the line is shown against the `answered` people (several answers each),
    not its sum.
    Gives the Line as shown and its figures (the counts and what its total stands for)."""
    # What the reader knows is what protect() assumed: the line's own total (its sum, for
    # several answers that add up: n answers each, n × the people answering).
    size = sum(counts.values()) if additive else total
    figures = {**counts, TOTAL: size if size is not None else 0}

    def reading(line: Line, counted: dict):
        rest = {key: n for key, n in counted.items() if key != TOTAL}
        if against_answered:  # the sum is known when the people answering are shown
            line = Line(line.cells, counted[TOTAL] if line.total is not None else None)
        return line_reading(rest, line, additive, counted[TOTAL], k)

    def make(forced):
        line = protect(counts, k, additive, total, groups, forced)
        if against_answered:  # shown against those who answered, when k or more
            shown = line.total is not None and answered is not None and answered >= k
            line = Line(line.cells, answered if shown else None)
        return line, reading(line, figures)

    def nothing():
        return Line({key: Cell(None, EARLIER) for key in counts}, None)

    before = [reading(line, counted) for line, counted in earlier if counted is not None]
    return carried(make, before, k, nothing), figures
