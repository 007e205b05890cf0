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


def test_a_partner_sees_a_figure_hidden_for_the_earlier_publication(
    client, survey, make_user, login
):
    """Sivry's 9 people without a car, « < 10 » in the first publication; 2 new people in
    Sivry without a car: the second shows Sivry's table with « ◦ » and says why, in the page
    and in the API, and no longer shows 11."""
    from html import unescape

    from app.accounts import tokens
    from app.accounts.scopes import set_partner_scope
    from app.extensions import db
    from tests.analysis.helpers import answer, publish
    from tests.api.test_results_hypothesis import COMMUNES, reset_and_answer

    sivry, couvin = "56088", "56016"
    people = [(sivry, "65_plus", "y", None)] * 30 + [(sivry, "30_64", "n", None)] * 9
    people += [(couvin, "65_plus", "y", None)] * 25 + [(couvin, "30_64", "n", None)] * 14
    people += [("56005", "30_64", "y", None)] * 40 + [("56005", "65_plus", "n", None)] * 20
    reset_and_answer(people)
    publish()
    partner = make_user("partner")
    set_partner_scope(partner, list(COMMUNES), ["mobility", "pcs-mobility"])
    plain = tokens.issue(partner, "read")[1]
    db.session.commit()
    url, headers = "/api/v1/surveys/every-type/results", {"Authorization": f"Bearer {plain}"}

    def sivry_no_car():
        body = client.get(url, headers=headers, query_string={"filter": f"commune:{sivry}"})
        assert body.status_code == 200
        car = next(q for q in body.get_json()["questions"] if q["id"] == "has_car")
        return next(a for a in car["tables"][0]["answers"] if a["key"] == "no")

    assert sivry_no_car()["hidden"] == "small"
    answer(1, commune=COMMUNES[sivry], age_band="30_64", has_car="no")
    answer(1, commune=COMMUNES[sivry], age_band="65_plus", has_car="no")
    for _ in range(8):  # and enough new people elsewhere to publish again
        answer(1, commune=COMMUNES["56005"], age_band="30_64", has_car="yes")
    assert publish() == 2
    figure = sivry_no_car()
    assert figure["count"] is None and figure["hidden"] == "earlier"

    login(partner)
    found = client.get(f"/analyse/every-type?filtre=commune:{sivry}")
    page = unescape(found.get_data(as_text=True))
    assert ">◦<" in page  # in the table, not only in the legend
    assert "dans une publication précédente ne puisse pas être retrouvé" in page  # French
    assert ">11<" not in page
    # another request, another group: the earlier release is read again, nothing stale
    for other in (f"commune:{couvin}", "commune:56005"):
        assert client.get(f"/analyse/every-type?filtre={other}").status_code == 200


def line_values(line, counts, limit=60):
    """Every value each hidden figure of a one-way line can take, by brute force: shown ones
    fixed, « < k » 0 to k−1, • k or more, ◦ anything (up to `limit`)."""
    choices = {}
    for key, cell in line.cells.items():
        if cell.count is not None:
            choices[key] = [cell.count]
        elif cell.reason == "small":
            choices[key] = range(K)
        elif cell.reason == "complement":
            choices[key] = range(K, limit + 1)
        else:
            choices[key] = range(limit + 1)
    return choices


def test_several_answers_each_read_in_two_releases():
    """Exactly two choices each (a review's case): 35 people, 70 answers; a 0 and b 8 are both
    « < 10 », the rest shown. 10 new people: a 0, b 10 shown would tell that b was 8 (a could
    not fall, so a + b = 8 with a = 0)."""
    from itertools import product

    before = {"a": 0, "b": 8, "c": 27, "d": 35}
    after = {"a": 0, "b": 10, "c": 35, "d": 45}
    first, figures = carried_line(before, K, answered=35, against_answered=True)
    assert first.cells["a"].hidden and first.cells["b"].hidden and first.total == 35
    second, _ = carried_line(after, K, [(first, figures)], answered=45, against_answered=True)
    old, new = line_values(first, before), line_values(second, after)
    possible = set()
    for values in product(*old.values()):
        was = dict(zip(old, values, strict=True))
        if sum(was.values()) != 2 * 35:
            continue
        for later in product(*new.values()):
            now = dict(zip(new, later, strict=True))
            grown = {key: now[key] - was[key] for key in now}
            if sum(now.values()) == 2 * 45 and all(0 <= g <= 10 for g in grown.values()):
                possible.add(was["b"])
                break
    assert 8 in possible and max(possible) - min(possible) >= protection(8)


def test_a_response_deleted_between_releases_is_no_error():
    """A figure that falls (a response deleted, a free text coded anew) is not what the reader
    assumed: the release is still made, and protected."""
    before = {"often": 40, "sometimes": 25, "never": 9}
    after = {"often": 38, "sometimes": 30, "never": 12}
    first, figures = carried_line(before, K)
    second, _ = carried_line(after, K, [(first, figures)])
    assert second.total == 80
    grid_before = {"sivry": {"yes": 30, "no": 9}, "couvin": {"yes": 40, "no": 20}}
    grid_after = {"sivry": {"yes": 28, "no": 12}, "couvin": {"yes": 41, "no": 20}}
    old = protect_grid(grid_before, K, margins(grid_before))
    new = _protected(grid_after, False, K, margins(grid_after), None, [(grid_before, old)])
    assert new.row_totals["sivry"] == Cell(40)
