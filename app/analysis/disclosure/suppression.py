"""Small cells: hidden, and protected so that no hidden cell can be worked out from the rest.

A count from 1 to k−1 (k: the setting ANALYSIS_MIN_CELL, default 10, never below 5) is shown as
« < k » (primary suppression). A zero is not sensitive (as in τ-ARGUS: « nobody » names no one):
it is shown, unless it is needed to protect another cell. Hiding every zero made tables hide
their largest figures to protect empty cells. In a table whose cells add up to a shown total,
one hidden cell would be the total minus the others: more cells are hidden (complementary
suppression) until every hidden small count keeps, given everything shown, the protection
interval stated in ranges.protection (half its value wide, never one value).

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

from app.analysis.disclosure.ranges import Residual, line_alone, owed

MIN_CELL_FLOOR = 5
# A table of a release that hides a figure for an earlier release (disclosure.linked) shows
# every hidden figure as « ◦ »: any number. « < k » or • would tell on which side of k each
# lies, and a figure hidden only for the earlier release would be a zero or k or more: with the
# earlier release, that can narrow the very count it protects (9, then at least 10 with 5 new
# people: 5 to 9).
EARLIER = "earlier"


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


def protect(
    counts: dict[str, int],
    k: int,
    additive: bool = True,
    total: int | None = None,
    groups: dict[str, str] | None = None,
    forced: frozenset = frozenset(),
):
    """Protect a one-way table. additive: the counts add up to the total (one answer per person);
    total: the number of people answering (by default the sum of the counts); groups: the
    group of each key (a commune's area): among complements of equal cost, one in the group of
    a small cell is taken first, so that the groups' sums stay known (« Sud ESEM » opens).
    forced: figures hidden whatever their size (an earlier release hid them: disclosure.linked)."""
    if k < MIN_CELL_FLOOR:
        raise ValueError(f"the smallest cell shown cannot be below {MIN_CELL_FLOOR}")
    total = sum(counts.values()) if total is None else total
    if total < k:  # too few people to show anything, not even how many
        return Line({key: Cell(None, "small") for key in counts}, None)
    small = {key for key, n in counts.items() if 0 < n < k or (key in forced and n < k)}
    complement: set[str] = {key for key in forced if key in counts and counts[key] >= k}
    if additive:
        while _recoverable(counts, small, complement, total, k):
            shown = [key for key in counts if key not in small | complement]
            if not shown:  # every cell is hidden and still solvable: hide the total too
                return Line({key: Cell(None, _reason(key, small, forced)) for key in counts}, None)
            near = {(groups or {}).get(key) for key in small}
            # ties: in a small cell's group first, then display order
            chosen = min(shown, key=lambda key: (counts[key], (groups or {}).get(key) not in near))
            (small if counts[chosen] < k else complement).add(chosen)  # a zero: « < k »
    cells = {
        key: Cell(None, _reason(key, small, forced)) if key in small | complement else Cell(n)
        for key, n in counts.items()
    }
    return Line(cells, total)


def _reason(key, small: set, forced=frozenset()) -> str:
    """Why a figure is hidden, as shown: « < k », •, or « ◦ » in a table that hides any for
    an earlier release (see EARLIER)."""
    if forced:
        return EARLIER
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
        # every small cell of a line has the same bounds: each must be protected within them
        alone = [line_alone(total, len(counts), k)] if max(counts.values()) < k else []
        due = max((owed(counts[key], alone) for key in small if counts[key]), default=1)
        if high - low < (due if is_small else 1):
            return True
    return False


# -- Two-way tables: cells with their row and column totals and the grand total.


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
    forced: frozenset = frozenset(),
) -> Grid:
    """Protect a table whose cells add up along rows and columns (one answer per person in
    each dimension). Every count from 1 to k−1 is hidden, totals included; then the cheapest
    cells that protect them (see _rectangle, _next_to_hide) until no hidden figure can be
    worked out from the rest, nor narrowed beyond the guarantee (ranges.protection), with
    the bounds a reader knows (see ranges.Residual).

    open_categories: rows or columns whose small counts tell nothing of anyone (« not
    answered »: the one-way tables show it whatever its size): not hidden for being small,
    though they may be hidden to protect another cell, except in a group whose number of
    people is published: its own view tells how many of it did not answer (an attack solved a
    « not answered » hidden here from a group's number of answers).

    row_margins / column_margins: how the row (column) totals are already published elsewhere
    (a one-way table of the same people): a total shown there stays shown and is never relied
    on to hide anything; a total hidden there stays hidden, with the same meaning (« < k » or
    •). The table then gives nothing away that the one-way table hid.

    forced: figures hidden whatever their size, unless published elsewhere (an earlier release
    hid them: disclosure.linked)."""
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
    given = {}  # the totals as published elsewhere
    for margins, key_of in (
        (row_margins, lambda r: (r, None)),
        (column_margins, lambda c: (None, c)),
    ):
        for category, published in (margins or {}).items():
            key = key_of(category)
            fixed.add(key)
            given[key] = published
            if published.count is not None:
                if published.count != figures[key]:
                    raise ValueError(f"the published total of {category!r} is not this table's")
                small.discard(key)
            elif published.reason == EARLIER:  # hidden there for an earlier release: so here
                small.discard(key)
                (small if figures[key] < k else complement).add(key)
                forced = frozenset(forced) | {key}
            elif published.reason == "complement":
                small.discard(key)
                complement.add(key)
            else:
                small.add(key)
    # A group whose number of people is shown can be looked at alone, and its view tells how
    # many of it did not answer (its people less those who answered): that cell stays shown.
    shown_totals = {key for key in fixed if key not in small | complement}
    for row, column in figures:
        if (column in open_categories and (row, None) in shown_totals) or (
            row in open_categories and (None, column) in shown_totals
        ):
            fixed.add((row, column))
    for key in forced:
        if key in figures and key not in fixed:
            (small if figures[key] < k else complement).add(key)  # a zero: « < k »
    # Hiding one more figure only widens the others' intervals: after the first search only
    # the figures still exposed, and the one just hidden, are looked at again.
    # A figure hidden for an earlier release is never left pinned by the rest (alone in its
    # line it would be the total less the others).
    sensitive = {key for key in small | (complement & set(forced)) if figures[key] > 0}
    known = {key for key in fixed if key not in small | complement}  # never hidden later
    lines = _lines(figures, rows, columns, k, known)
    graph = Residual(figures, small, complement, k, sensitive, lines)
    graph.unpinned = complement & set(forced)
    exposed = graph.exposed()
    while exposed:
        chosen = _rectangle(figures, rows, columns, exposed, graph, k, fixed)
        if not chosen:
            candidate = _next_to_hide(figures, rows, columns, exposed, graph, k, fixed)
            if candidate is None:  # no pattern protects it
                return _withheld(rows, columns)
            chosen = [candidate]
        for key in chosen:
            (small if figures[key] < k else complement).add(key)  # a zero: « < k »
            graph.add(key, small=figures[key] < k)
        exposed = graph.exposed(exposed | set(chosen))
    for key in graph.settled():  # pinned by the rest anyway: shown, nothing more is told
        graph.remove(key)
        small.discard(key)
        complement.discard(key)
    hidden = small | complement

    def cell(key):
        if key in given:  # as the one-way table shows it
            return given[key]
        return Cell(None, _reason(key, small, forced)) if key in hidden else Cell(figures[key])

    return Grid(
        {r: {c: cell((r, c)) for c in columns} for r in rows},
        {r: cell((r, None)) for r in rows},
        {c: cell((None, c)) for c in columns},
        cell((None, None)),
    )


def _lines(figures, rows, columns, k, known):
    """For a figure, what the known totals of its lines alone tell of it (ranges.owed): the
    total less the figures always shown (« not answered »), over the parts left."""

    def alone(total_key, parts):
        rest = [key for key in parts if key not in known]
        if any(figures[key] >= k for key in rest):  # not all below k: it tells nothing
            return None
        total = figures[total_key] - sum(figures[p] for p in parts if p in known)
        return line_alone(total, len(rest), k)

    def lines(key):
        row, column = key
        found = []
        if row is not None and column is not None:
            if (row, None) in known:
                found.append(alone((row, None), [(row, c) for c in columns]))
            if (None, column) in known:
                found.append(alone((None, column), [(r, column) for r in rows]))
        elif (None, None) in known:
            parts = [(r, None) for r in rows] if column is None else [(None, c) for c in columns]
            found.append(alone((None, None), parts))
        return [line for line in found if line is not None]

    return lines


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


def _rectangle(figures, rows, columns, exposed, graph, k, fixed) -> list:
    """For the first exposed cell (r, c), the cheapest rectangle around it that protects it:
    another row r' and column c' whose cells (r, c'), (r', c), (r', c') are hidden with it, so
    that the four can move together (one up, the next down) without changing any total.
    Cheapest: the fewest people newly hidden (a zero or an already hidden cell costs nothing).
    The committee keeps the large figures; τ-ARGUS's hypercube method works the same way. []
    when no single rectangle protects it (the greedy search then takes over)."""
    hidden = set(graph.arcs)
    target = next(
        (key for key in sorted(exposed, key=str) if None not in key and key in hidden), None
    )
    if target is None:
        return []
    r, c = target
    candidates = []
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
            candidates.append((sum(figures[key] for key in new), len(candidates), new))
    for _, _, new in sorted(candidates):
        for key in new:
            graph.add(key, small=figures[key] < k)
        protects = not graph.exposed({target})
        for key in new:
            graph.remove(key)
        if protects:
            return new
    return []


def _next_to_hide(figures, rows, columns, exposed, graph, k, fixed=frozenset()):
    """A shown figure that protects an exposed one, else that widens them: first among those
    sharing a line with one (then any other: a cycle may need to go round), the smallest
    (cells before totals; ties in display order): the least information lost (a zero first:
    it costs nothing, and shows as « < k »). Else the smallest sharing a line. Never the
    grand total."""
    hidden = set(graph.arcs)
    position = {key: i for i, key in enumerate(figures)}

    def cheapest(keys):
        return sorted(keys, key=lambda key: (None in key, figures[key], position[key]))

    around = set()
    for parts, total in _equations(rows, columns):
        line = [*parts, total]
        if any(key in exposed for key in line):
            around |= {key for key in line if key not in hidden and key not in fixed}
    elsewhere = {key for key in figures if key not in hidden | fixed | around}
    lacking = graph.shortfall(exposed)
    for group in (cheapest(around), cheapest(elsewhere)):
        widening = None
        for key in group:  # each tried hidden, then shown again
            graph.add(key, small=figures[key] < k)
            still = graph.exposed(exposed)
            after = graph.shortfall(exposed)
            graph.remove(key)
            if still != exposed:
                return key
            if widening is None and after < lacking:
                widening = key
        if widening is not None:
            return widening
    ordered = cheapest(around)
    return ordered[0] if ordered else None
