"""Small cells: hidden, and protected so that no hidden cell can be worked out from the rest.

A count from 1 to k−1 (k: the setting ANALYSIS_MIN_CELL, default 10, never below 5) is shown as
« < k » (primary suppression). A zero is not sensitive (as in τ-ARGUS: « nobody » names no one):
it is shown, unless it is needed to protect another cell. Hiding every zero made tables hide
their largest figures to protect empty cells. In a table whose cells add up to a shown total,
one hidden cell would be the total minus the others: more cells are hidden (complementary
suppression) until every hidden cell could take at least two values given everything shown.

Complements are the smallest cells that protect: the least information lost, so the committee
keeps the largest figures of each line. A zero hidden to protect another costs nothing and is
shown as « < k » (it is fewer than k); a count of k or more hidden to protect another is shown as
•. So readers know that « < k » holds 0 to k−1 and • k or more, and, in a one-way table, no more
than the smallest count still shown (complements are the smallest); the check uses all these
bounds, so two hidden cells adding up to 0 (or to 2k−2) are not left to be solved.

Tables whose cells do not add up to their total (multiple choice: one person, several cells)
give no such equation: primary suppression is enough there.
"""

from dataclasses import dataclass

MIN_CELL_FLOOR = 5


@dataclass(frozen=True)
class Cell:
    count: int | None  # None when hidden
    reason: str | None = None  # "small" (fewer than k) or "complement" (hides another)

    @property
    def hidden(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class Line:
    """A protected one-way table: its cells by key, and its total (None when hidden)."""

    cells: dict[str, Cell]
    total: int | None

    def share(self, key: str) -> float | None:
        count = self.cells[key].count
        if count is None or not self.total:
            return None
        return count / self.total


def protect(counts: dict[str, int], k: int, additive: bool = True, total: int | None = None):
    """Protect a one-way table. additive: the counts add up to the total (one answer per person);
    total: the number of people answering (by default the sum of the counts)."""
    if k < MIN_CELL_FLOOR:
        raise ValueError(f"the smallest cell shown cannot be below {MIN_CELL_FLOOR}")
    total = sum(counts.values()) if total is None else total
    if total < k:  # too few people to show anything, not even how many
        return Line({key: Cell(None, "small") for key in counts}, None)
    small = {key for key, n in counts.items() if 0 < n < k}
    complement: set[str] = set()
    if additive:
        while _recoverable(counts, small, complement, total, k):
            shown = [key for key in counts if key not in small | complement]
            if not shown:  # every cell is hidden and still solvable: hide the total too
                return Line({key: Cell(None, _reason(key, small)) for key in counts}, None)
            chosen = min(shown, key=lambda key: counts[key])  # ties: display order
            (small if counts[chosen] < k else complement).add(chosen)  # a zero: « < k »
    cells = {
        key: Cell(None, _reason(key, small)) if key in small | complement else Cell(n)
        for key, n in counts.items()
    }
    return Line(cells, total)


def _reason(key: str, small: set[str]) -> str:
    return "small" if key in small else "complement"


def bounds(
    small: int, complement: int, hidden_sum: int, k: int, is_small: bool, cap: float | None = None
):
    """The values a hidden cell can take, knowing the sum of the hidden cells of its line, that
    small cells hold 0..k−1 and complementary ones k or more, and no more than `cap` (the
    smallest count still shown: complements are the smallest). (low, high); low == high means
    the cell can be worked out."""
    most = hidden_sum if cap is None else min(cap, hidden_sum)
    others_small = small - (1 if is_small else 0)
    others_complement = complement - (0 if is_small else 1)
    own_low, own_high = (0, k - 1) if is_small else (k, most)
    others_low = others_complement * k
    others_high = others_small * (k - 1) + others_complement * most
    low = max(own_low, hidden_sum - others_high)
    high = min(own_high, hidden_sum - others_low)
    return low, high


def _recoverable(counts, small: set, complement: set, total: int, k: int) -> bool:
    hidden = small | complement
    if not hidden:
        return False
    hidden_sum = total - sum(n for key, n in counts.items() if key not in hidden)
    shown = [n for key, n in counts.items() if key not in hidden and n]
    cap = min(shown) if complement and shown else None
    for is_small in (True, False):
        if not (small if is_small else complement):
            continue
        low, high = bounds(len(small), len(complement), hidden_sum, k, is_small, cap)
        if low >= high:
            return True
    return False


# -- Two-way tables: cells with their row and column totals and the grand total.

INFINITE = float("inf")


@dataclass(frozen=True)
class Grid:
    """A protected two-way table. cells[row][column]; a total of None is hidden."""

    cells: dict[str, dict[str, Cell]]
    row_totals: dict[str, Cell]
    column_totals: dict[str, Cell]
    total: Cell
    withheld: bool = False  # no hiding pattern protects it: the table is not shown at all


def protect_grid(
    counts: dict[str, dict[str, int]],
    k: int,
    row_margins: dict[str, Cell] | None = None,
    column_margins: dict[str, Cell] | None = None,
    open_categories: frozenset = frozenset(),
) -> Grid:
    """Protect a table whose cells add up along rows and columns (one answer per person in
    each dimension). Every count from 1 to k−1 is hidden, totals included; then the cheapest
    cells that protect them (see _rectangle, _next_to_hide) until no hidden figure can be
    worked out from the rest, with the bounds a reader knows (see _pinned).

    open_categories: rows or columns whose small counts tell nothing of anyone (« not
    answered »: the one-way tables show it whatever its size): not hidden for being small,
    though they may be hidden to protect another cell.

    row_margins / column_margins: how the row (column) totals are already published elsewhere
    (a one-way table of the same people): a total shown there stays shown and is never relied
    on to hide anything; a total hidden there stays hidden, with the same meaning (« < k » or
    •). The table then gives nothing away that the one-way table hid."""
    if k < MIN_CELL_FLOOR:
        raise ValueError(f"the smallest cell shown cannot be below {MIN_CELL_FLOOR}")
    rows = list(counts)
    columns = list(next(iter(counts.values()), {}))
    figures = _figures(counts, rows, columns)
    # The grand total is the number of people in the table: published (or derivable) anyway,
    # so it is never counted on to hide anything.
    grand = figures[(None, None)]
    if grand < k:
        return _withheld(rows, columns)
    small = {
        key
        for key, n in figures.items()
        if 0 < n < k and key[0] not in open_categories and key[1] not in open_categories
    }
    complement: set = set()
    fixed = {(None, None)}
    for margins, key_of in (
        (row_margins, lambda r: (r, None)),
        (column_margins, lambda c: (None, c)),
    ):
        for category, published in (margins or {}).items():
            key = key_of(category)
            fixed.add(key)
            if published.count is not None:
                if published.count != figures[key]:
                    raise ValueError(f"the published total of {category!r} is not this table's")
                small.discard(key)
            elif published.reason == "complement":
                small.discard(key)
                complement.add(key)
            else:
                small.add(key)
    # Hiding one more figure only adds ways for the others to vary: a figure that could take
    # another value still can. So after the first search only the figures still pinned, and
    # the one just hidden, are looked at again.
    recovered = _pinned(figures, small, complement, k)
    while recovered:
        chosen = _rectangle(figures, rows, columns, recovered, small | complement, k, fixed)
        if not chosen:
            candidate = _next_to_hide(
                figures, rows, columns, recovered, small, complement, k, fixed
            )
            if candidate is None:  # no pattern protects it
                return _withheld(rows, columns)
            chosen = [candidate]
        for key in chosen:
            (small if figures[key] < k else complement).add(key)  # a zero: « < k »
        recovered = _pinned(figures, small, complement, k, recovered | set(chosen))
    hidden = small | complement

    def cell(key):
        return (
            Cell(None, "small" if key in small else "complement")
            if key in hidden
            else Cell(figures[key])
        )

    return Grid(
        {r: {c: cell((r, c)) for c in columns} for r in rows},
        {r: cell((r, None)) for r in rows},
        {c: cell((None, c)) for c in columns},
        cell((None, None)),
    )


def _withheld(rows, columns) -> Grid:
    none = Cell(None, "small")
    return Grid(
        {r: dict.fromkeys(columns, none) for r in rows},
        dict.fromkeys(rows, none),
        dict.fromkeys(columns, none),
        none,
        withheld=True,
    )


def _figures(counts, rows, columns) -> dict:
    """Every figure of the table by (row, column); None stands for a total."""
    figures = {(r, c): counts[r][c] for r in rows for c in columns}
    figures |= {(r, None): sum(counts[r].values()) for r in rows}
    figures |= {(None, c): sum(counts[r][c] for r in rows) for c in columns}
    figures[(None, None)] = sum(figures[(r, None)] for r in rows)
    return figures


def _equations(rows, columns) -> list[tuple[list, tuple]]:
    """Each line: its parts, and the total they add up to."""
    lines = [([(r, c) for c in columns], (r, None)) for r in rows]
    lines += [([(r, c) for r in rows], (None, c)) for c in columns]
    lines.append(([(r, None) for r in rows], (None, None)))
    lines.append(([(None, c) for c in columns], (None, None)))
    return lines


def _pinned(figures: dict, small: set, complement: set, k: int, among=None) -> set:
    """Hidden figures (of `among`, by default all) that everything shown, with the bounds
    readers know, fixes to one value.

    A two-way table with its margins is a flow: the grand total runs from a source to each
    row, from each row to each column through its cells, and from each column back. Any other
    table agreeing with what is shown differs from the true one by cycles of flow through the
    hidden figures that stay within their bounds; so a hidden figure can take another value
    exactly when some such cycle passes through it: a search in the residual graph, exact and
    fast (no solver needed)."""
    return _Residual(figures, small, complement, k).pinned(among)


class _Residual:
    """The residual graph of the hidden figures: an arc where a figure can rise (tail to head)
    and one back where it can fall."""

    def __init__(self, figures: dict, small: set, complement: set, k: int):
        self.figures, self.k = figures, k
        self.arcs: dict = {}
        self.bounds: dict = {}
        self.out: dict = {}
        for key in small | complement:
            self.add(key, small=key in small)

    def add(self, key, small: bool = False) -> None:
        """One more hidden figure (« < k » when small, else k or more)."""
        tail, head = self.arcs[key] = _ends(key)
        low, high = self.bounds[key] = (0, self.k - 1) if small else (self.k, INFINITE)
        if self.figures[key] < high:
            self.out.setdefault(tail, []).append((head, key))
        if self.figures[key] > low:
            self.out.setdefault(head, []).append((tail, key))

    def remove(self, key) -> None:
        """The figure last added, shown again."""
        tail, head = self.arcs.pop(key)
        low, high = self.bounds.pop(key)
        if self.figures[key] > low:
            self.out[head].pop()
        if self.figures[key] < high:
            self.out[tail].pop()

    def pinned(self, among=None) -> set:
        found = set()
        for key in self.arcs if among is None else among:
            (tail, head), (low, high) = self.arcs[key], self.bounds[key]
            value = self.figures[key]
            can_rise = value < high and _reaches(self.out, head, tail, key)
            can_fall = value > low and _reaches(self.out, tail, head, key)
            if not (can_rise or can_fall):
                found.add(key)
        return found


def _ends(key: tuple) -> tuple:
    row, column = key
    if row is None and column is None:
        return ("sink", "source")
    if column is None:
        return ("source", ("row", row))
    if row is None:
        return (("column", column), "sink")
    return (("row", row), ("column", column))


def _reaches(residual: dict, start, goal, without) -> bool:
    seen, frontier = {start}, [start]
    while frontier:
        node = frontier.pop()
        if node == goal:
            return True
        for following, key in residual.get(node, ()):
            if key != without and following not in seen:
                seen.add(following)
                frontier.append(following)
    return False


def _rectangle(figures, rows, columns, recovered, hidden, k, fixed) -> list:
    """For the first pinned cell (r, c), the cheapest rectangle around it: another row r' and
    column c' whose cells (r, c'), (r', c), (r', c') are hidden with it, so that the four can
    move together (one up, the next down) without changing any total. Cheapest: the fewest
    people newly hidden (a zero or an already hidden cell costs nothing). The committee keeps
    the large figures; τ-ARGUS's hypercube method works the same way. [] when no rectangle adds
    anything (the greedy search then takes over)."""
    target = next(
        (key for key in sorted(recovered, key=str) if None not in key and key in hidden), None
    )
    if target is None:
        return []
    r, c = target
    best, cost = [], None
    for other_row in rows:
        if other_row == r:
            continue
        for other_column in columns:
            if other_column == c:
                continue
            corners = [(r, other_column), (other_row, c), (other_row, other_column)]
            new = [key for key in corners if key not in hidden]
            if any(key in fixed for key in new) or not new:
                continue
            price = sum(figures[key] for key in new)
            if cost is None or price < cost:
                best, cost = new, price
    return best


def _next_to_hide(figures, rows, columns, recovered, small, complement, k, fixed=frozenset()):
    """A shown figure sharing a line with a recovered one: the smallest (cells before totals;
    ties in display order) that frees one of them, else the smallest: the least information
    lost (a zero first: it costs nothing, and shows as « < k »). Never the grand total."""
    hidden = small | complement
    position = {key: i for i, key in enumerate(figures)}
    around = set()
    for parts, total in _equations(rows, columns):
        line = [*parts, total]
        if any(key in recovered for key in line):
            around |= {key for key in line if key not in hidden and key not in fixed}
    ordered = sorted(around, key=lambda key: (None in key, figures[key], position[key]))
    graph = _Residual(figures, small, complement, k)
    for key in ordered:  # each tried hidden, then shown again
        graph.add(key, small=figures[key] < k)
        freed = recovered - graph.pinned(recovered)
        graph.remove(key)
        if freed:
            return key
    return ordered[0] if ordered else None
