"""Small cells: hidden, and never recoverable from what is shown (checked by an attacker that
works out, by brute force over the possible values, what each hidden cell can be)."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.analysis.disclosure.suppression import protect


def test_a_small_cell_hides_and_takes_the_smallest_other_with_it():
    line = protect({"a": 3, "b": 20, "c": 30}, k=10)
    assert line.cells["a"].count is None and line.cells["a"].reason == "small"
    assert line.cells["b"].count is None and line.cells["b"].reason == "complement"
    assert line.cells["c"].count == 30 and line.total == 53
    assert line.share("c") == 30 / 53 and line.share("a") is None


def test_too_few_people_show_nothing_not_even_the_total():
    line = protect({"a": 5, "b": 4}, k=10)
    assert line.total is None and all(c.hidden for c in line.cells.values())


def test_a_zero_protects_a_small_cell_at_no_cost():
    # 1 hidden alone would be the total minus the rest: the zero hides with it (« < 10 » both:
    # the reader cannot tell which holds the 1), and 12 and 40 stay shown.
    line = protect({"a": 1, "b": 0, "c": 12, "d": 40}, k=10)
    assert [key for key, c in line.cells.items() if c.hidden] == ["a", "b"]
    assert line.cells["b"].reason == "small" and line.cells["c"].count == 12


def test_a_zero_is_shown_and_never_costs_the_largest_figure():
    """A review's case: a « not answered » of 0 hid the largest answer of every row."""
    line = protect({"yes": 40, "no": 12, "unanswered": 0}, k=10)
    assert line.cells["unanswered"].count == 0 and line.cells["yes"].count == 40


def test_the_smallest_cell_protects_a_small_one():
    """The least information lost: the complement is the smallest cell that protects."""
    line = protect({"often": 60, "sometimes": 25, "never": 14, "dont_know": 3}, k=10)
    assert [key for key, c in line.cells.items() if c.hidden] == ["never", "dont_know"]
    assert line.cells["often"].count == 60


def test_several_answers_per_person_need_no_complement():
    line = protect({"a": 3, "b": 20, "c": 30}, k=10, additive=False, total=40)
    assert line.cells["b"].count == 20 and line.cells["a"].hidden and line.total == 40


def test_k_cannot_go_below_five():
    with pytest.raises(ValueError, match="below 5"):
        protect({"a": 30}, k=4)


def possible_values(line, counts: dict, k: int) -> dict[str, set[int]]:
    """What an attacker who sees the line can say of each hidden cell: every value for which
    the other hidden cells can still make up the total (brute force, no formula)."""
    hidden = [key for key, c in line.cells.items() if c.hidden]
    rest = line.total - sum(c.count for c in line.cells.values() if not c.hidden)

    # What a reader knows: « < k » is 0 to k−1 (a zero hidden to protect another shows so); • is
    # k or more, and no more than the smallest count still shown (complements are the smallest).
    shown = [c.count for c in line.cells.values() if c.count]
    most = min([rest, *shown])

    def values(key):
        small = line.cells[key].reason == "small"
        return range(0, k) if small else range(k, most + 1)

    found = {}
    for key in hidden:
        reachable = {0}
        for other in hidden:
            if other != key:
                reachable = {r + v for r in reachable for v in values(other) if r + v <= rest}
        found[key] = {v for v in values(key) if rest - v in reachable}
    return found


@settings(max_examples=300, deadline=None)
@given(
    counts=st.dictionaries(st.sampled_from("abcdefg"), st.integers(0, 40), min_size=1, max_size=7),
    k=st.integers(5, 12),
)
def test_no_hidden_cell_can_be_recovered(counts, k):
    line = protect(counts, k)
    for key, n in counts.items():
        if 0 < n < k:
            assert line.cells[key].hidden  # every small cell is hidden
        if not line.cells[key].hidden:
            assert line.cells[key].count == n  # what is shown is true
    if line.total is None:
        return  # nothing to solve with
    assert line.total == sum(counts.values())
    for key, values in possible_values(line, counts, k).items():
        assert counts[key] in values  # the attacker's reasoning is sound ...
        assert len(values) >= 2, (key, values)  # ... and never pins a hidden cell down
        if 0 < counts[key] < k:  # a small count: the stated protection interval
            due = owed(counts[key], line.total, len(counts), k, max(counts.values()) < k)
            assert max(values) - min(values) >= due, (key, values)


def owed(value: int, total: int, parts: int, k: int, all_small: bool) -> int:
    """The guarantee as stated: an interval half the count wide (p = 50 %), never one value,
    unless the line's total alone leaves less room, all its parts being below k."""
    if total > parts * (k - 1) or not all_small:  # then the total alone tells nothing
        return max(1, math.ceil(value / 2))
    low, high = max(0, total - (parts - 1) * (k - 1)), min(k - 1, total)
    return max(1, min(math.ceil(value / 2), high - low))


def test_a_line_of_few_people_is_narrowed_by_its_total_alone_not_more():
    """15 people answering yes (6) or no (9), k = 10: both « < 10 » are 6 to 9, whatever is
    hidden; the total stays shown (it is the number of people answering)."""
    line = protect({"yes": 6, "no": 9}, k=10)
    assert line.total == 15 and line.cells["yes"].hidden and line.cells["no"].hidden


def test_two_small_cells_are_not_left_as_eight_or_nine():
    """A review's case: two « < 10 » of 8 and 9 beside shown counts: each was « 8 or 9 »."""
    line = protect({"a": 8, "b": 9, "c": 30, "d": 45}, k=10)
    values = possible_values(line, {"a": 8, "b": 9, "c": 30, "d": 45}, 10)
    assert max(values["b"]) - min(values["b"]) >= 5  # half of 9, at least
    assert line.cells["d"].count == 45  # the largest stays shown


def test_a_complement_of_no_cost_is_taken_in_the_small_cell_s_area():
    """Chimay's 3 need a complement; two communes of nobody cost nothing: the one of Chimay's
    area is hidden, so that the area's sum stays known and « Sud ESEM » can be opened."""
    counts = {"91005": 0, "56016": 3, "56022": 0, "56088": 40, "93014": 35}
    areas = {"91005": "haute-meuse", "56016": "sud-esem", "56022": "sud-esem"}
    areas |= {"56088": "sud-esem", "93014": "sud-esem"}
    line = protect(counts, 10, groups=areas)
    assert [key for key, c in line.cells.items() if c.hidden] == ["56016", "56022"]
    # without areas, display order: Anhée (Haute-Meuse) comes first
    line = protect(counts, 10)
    assert [key for key, c in line.cells.items() if c.hidden] == ["91005", "56016"]
