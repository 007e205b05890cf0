"""How far a reader can narrow each hidden figure of a two-way table: the guarantee of
suppression.protect_grid, worked out exactly.

A two-way table with its margins is a flow: the grand total runs from a source to each row,
from each row to each column through its cells, and from each column back. Any other table
agreeing with what is shown differs from the true one by a circulation through the hidden
figures that keeps each within the bounds a reader knows (« < k »: 0 to k−1, •: k or more). So
the most a hidden figure can rise is the most flow that can return from its head to its tail
through the others, and the most it can fall the most flow the other way: two small max-flow
problems (Edmonds–Karp on a graph of a few dozen nodes; a solver library would cost more to
call than the search does). These are the end points of the interval a linear-programming
attacker gets (the interval τ-ARGUS audits), and integral.
"""

from collections import deque

INFINITE = float("inf")


def protection(value: int) -> int:
    """The guarantee (τ-ARGUS's protection interval, at p = 50 %): a count hidden for being
    small, `value` people (1 to k−1, shown « < k »), lies for any reader of the table and of
    the one-way tables it shares totals with in an interval [low, high] at least this wide:
    half its value, and never a single value (see owed() for the one exception). A review
    narrowed two « < 10 » to « 8 or 9 » (width 1, where 5 is due); « 0 to 3 » for 3 people
    tells nothing worth protecting. Asking for all of 0 to k−1 instead would hide the largest
    figure of up to 7 % of rows on realistic data, and a commune of k or more wherever another
    has 1 to 3 people."""
    return max(1, -(-value // 2))


def line_alone(total: int, parts: int, k: int) -> tuple[int, int]:
    """What a line's total alone tells of any of its `parts` figures when all are below k
    and hidden (the most any pattern can hide)."""
    return max(0, total - (parts - 1) * (k - 1)), min(k - 1, total)


def owed(value: int, lines=()) -> int:
    """The width owed to a hidden count: protection(value), unless the totals of its lines
    alone leave less room, whatever is hidden (`lines`: the line_alone intervals of its lines
    whose every figure is below k): 15 people answering yes or no are 6 to 9 on each side.
    Never less than 1 (never pinned)."""
    width = protection(value)
    if lines:
        width = min(width, min(h for _, h in lines) - max(lo for lo, _ in lines))
    return max(1, width)


class Residual:
    """The hidden figures of a table as arcs between its rows, columns, source and sink, each
    with the bounds a reader knows."""

    def __init__(
        self, figures: dict, small: set, complement: set, k: int, sensitive=None, lines=None
    ):
        self.figures, self.k = figures, k
        # key → the line_alone intervals of the lines whose total every reader knows
        self.lines = lines or (lambda key: ())
        # the figures the guarantee is for: hidden for being small (not a zero hidden to
        # protect another, nor a « not answered » that tells nothing of anyone)
        self.sensitive = (
            {key for key in small if figures[key] > 0} if sensitive is None else set(sensitive)
        )
        # sensitive figures owed only not to be pinned (hidden for an earlier release: what
        # they protect is checked with that release, disclosure.linked)
        self.unpinned: set = set()
        self.arcs: dict = {}
        self.bounds: dict = {}
        self.incident: dict = {}
        for key in small | complement:
            self.add(key, small=key in small)

    def add(self, key, small: bool = False) -> None:
        """One more hidden figure (« < k » when small, else k or more)."""
        tail, head = self.arcs[key] = _ends(key)
        self.bounds[key] = (0, self.k - 1) if small else (self.k, INFINITE)
        for node in (tail, head):
            self.incident.setdefault(node, {})[key] = None

    def remove(self, key) -> None:
        """A figure shown again."""
        for node in self.arcs.pop(key):
            self.incident[node].pop(key, None)
        self.bounds.pop(key)

    def interval(self, key) -> tuple[int, float]:
        """The smallest and largest values a reader can give the hidden figure."""
        low, high = self.bounds[key]
        value = self.figures[key]
        tail, head = self.arcs[key]
        rise = self._flow(head, tail, key, high - value)
        fall = self._flow(tail, head, key, value - low)
        return value - fall, value + rise

    def exposed(self, among=None) -> set:
        """The sensitive hidden figures (of `among`, by default all) narrowed beyond the
        guarantee: to an interval narrower than owed()."""
        found = set()
        for key in self.arcs if among is None else among:
            if key not in self.arcs:
                continue
            low, high = self.interval(key)
            if high - low < self.wanted(key):
                found.add(key)
        return found

    def settled(self) -> list:
        """The other hidden figures that everything else pins down: showing them tells
        nothing more, so they are shown."""
        found = []
        for key in list(self.arcs):
            if key not in self.sensitive:
                low, high = self.interval(key)
                if low == high:
                    found.append(key)
        return found

    def shortfall(self, keys) -> float:
        """How many values the figures `keys` lack, together: 0 when all are protected."""
        lacking = 0.0
        for key in keys:
            if key in self.arcs:
                low, high = self.interval(key)
                lacking += max(0, self.wanted(key) - (high - low))
        return lacking

    def wanted(self, key) -> int:
        """The width due: owed() for a sensitive figure; nothing for any other (a complement,
        a zero hidden with others): one the rest pins down is shown again (see settled)."""
        if key not in self.sensitive:
            return 0
        if key in self.unpinned:
            return 1
        return owed(self.figures[key], self.lines(key))

    def _flow(self, start, goal, without, enough) -> float:
        """The most flow from start to goal through the hidden figures other than `without`,
        stopping once `enough` is reached."""
        if enough <= 0:
            return 0
        moved: dict = {}  # each figure's change so far
        total = 0
        while total < enough:
            path = self._path(start, goal, without, moved)
            if path is None:
                break
            step = min(enough - total, min(room for _, _, room in path))
            for key, sign, _ in path:
                moved[key] = moved.get(key, 0) + sign * step
            total += step
        return total

    def _path(self, start, goal, without, moved):
        """A shortest path along which every figure can still move: [(key, +1/−1, room)]."""
        back = {start: None}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            if node == goal:
                break
            for key in self.incident.get(node, ()):
                if key == without:
                    continue
                tail, head = self.arcs[key]
                low, high = self.bounds[key]
                value = self.figures[key] + moved.get(key, 0)
                if node == tail and head not in back and value < high:
                    back[head] = (node, key, 1, high - value)
                    queue.append(head)
                elif node == head and tail not in back and value > low:
                    back[tail] = (node, key, -1, value - low)
                    queue.append(tail)
        if goal not in back:
            return None
        path, node = [], goal
        while back[node] is not None:
            node, key, sign, room = back[node]
            path.append((key, sign, room))
        return path


def _ends(key: tuple) -> tuple:
    row, column = key
    if row is None and column is None:
        return ("sink", "source")
    if column is None:
        return ("source", ("row", row))
    if row is None:
        return (("column", column), "sink")
    return (("row", row), ("column", column))
