"""Small cells: hidden, and protected so that no hidden cell can be worked out from the rest.

A count below k (the setting ANALYSIS_MIN_CELL, default 10, never below 5) is shown as « < k »
(primary suppression). In a table whose cells add up to a shown total, one hidden cell would be
the total minus the others: more cells are hidden (complementary suppression) until every hidden
cell could take at least two values given everything shown. Readers know that a cell shown as
« < k » holds 0 to k−1 and that a cell hidden to protect another holds k or more; the check uses
those bounds too, so two hidden cells adding up to 0 (or to 2k−2) are not left to be solved.

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
    small = {key for key, n in counts.items() if n < k}
    complement: set[str] = set()
    if additive:
        while _recoverable(counts, small, complement, total, k):
            shown = [key for key in counts if key not in small | complement]
            if not shown:  # every cell is hidden and still solvable: hide the total too
                return Line({key: Cell(None, _reason(key, small)) for key in counts}, None)
            complement.add(min(shown, key=lambda key: (counts[key], key)))
    cells = {
        key: Cell(None, _reason(key, small)) if key in small | complement else Cell(n)
        for key, n in counts.items()
    }
    return Line(cells, total)


def _reason(key: str, small: set[str]) -> str:
    return "small" if key in small else "complement"


def bounds(small: int, complement: int, hidden_sum: int, k: int, is_small: bool):
    """The values a hidden cell can take, knowing the sum of the hidden cells of its line, that
    small cells hold 0..k−1 and complementary ones k or more. (low, high); low == high means
    the cell can be worked out."""
    others_small = small - (1 if is_small else 0)
    others_complement = complement - (0 if is_small else 1)
    own_low, own_high = (0, k - 1) if is_small else (k, hidden_sum)
    others_low = others_complement * k
    others_high = hidden_sum if others_complement else others_small * (k - 1)
    low = max(own_low, hidden_sum - others_high)
    high = min(own_high, hidden_sum - others_low)
    return low, high


def _recoverable(counts, small: set, complement: set, total: int, k: int) -> bool:
    hidden = small | complement
    if not hidden:
        return False
    hidden_sum = total - sum(n for key, n in counts.items() if key not in hidden)
    for is_small in (True, False):
        if not (small if is_small else complement):
            continue
        low, high = bounds(len(small), len(complement), hidden_sum, k, is_small)
        if low >= high:
            return True
    return False
