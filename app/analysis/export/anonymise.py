"""The committee's response files made k-anonymous on the quasi-identifiers, as sdcMicro does.

Quasi-identifiers: the answers others may know of a person, the questions a definition marks
`quasi_identifier: true` and the place of residence always (microdata.is_quasi_identifier). k is
the setting ANALYSIS_MIN_CELL, as for every figure. Two steps, then what was lost is counted:

1. Global recoding of the commune: a commune with fewer than k rows is replaced by its area;
   the rows so given an area, if fewer than k, by their province; if still fewer than k, the
   place is left empty.
2. Local suppression: while some rows share their quasi-identifiers with fewer than k−1 other
   rows, each such row has one value left empty, from the variable with the most distinct
   values first (it splits the rows most: sdcMicro's order too), the next one the next round.

An empty value, not answered or suppressed, is a value of its own: it matches other empty values
only, not every value as sdcMicro's NA does. With a wildcard, one row (A, empty) beside nine
(A, 30) counts ten alike, yet whoever knows that their neighbour of 50 in A answered finds the
only row that can be theirs. With empty as a value, every row that shows the same values as a
person's row could be theirs, whatever one knows of them: at least k candidates for everyone. It
costs a few more suppressions, and leaves rows that lost everything in one class: if it holds fewer
than k rows, rows of the largest classes (those beyond the k they need) join it. A file of fewer
than k responses cannot hide anyone: it has no rows.

Decided on the quasi-identifiers of every row at once (a first pass reads their answers only,
question by question), then applied as the whole rows are read and written, both passes in one
snapshot of the database: the same rows in the same order, so the running number is the key.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from flask_babel import gettext as _

from app.analysis.export import microdata
from app.territory.queries import communes

Territory = dict[str, tuple[str, str]]  # a commune's NIS code → its area and its province


@dataclass
class Variable:
    """What one quasi-identifier lost, in values (a value left unanswered is not counted)."""

    name: str
    label: str
    to_area: int = 0  # communes replaced by their area
    to_province: int = 0  # … by their province
    suppressed: int = 0  # answers left empty


@dataclass
class Report:
    k: int
    rows: int  # responses read
    variables: list[Variable]
    places: list[int] = field(default_factory=list)  # the variables that hold a commune
    touched: int = 0  # rows with at least one value recoded or left empty
    withheld: bool = False  # fewer than k responses: the file has no rows

    @property
    def share(self) -> float:
        return self.touched / self.rows if self.rows else 0.0


@dataclass
class Protection:
    report: Report
    values: list[tuple]  # each row's quasi-identifiers as released, by running number − 1
    at: list[int]  # their columns in the whole file

    def apply(self, rows: Iterator[list]) -> Iterator[list]:
        """The rows with their quasi-identifiers replaced (the rows read in the same snapshot
        as the first pass: a row it did not see is an error, never written unprotected)."""
        if self.report.withheld:
            return
        for row in rows:
            number = row[0] - 1
            if number >= len(self.values):
                raise RuntimeError("a response the protection did not see")
            for column, value in zip(self.at, self.values[number], strict=True):
                row[column] = value
            yield row


@dataclass
class Anonymiser:
    made: microdata.Layout  # every column; the places' labels also name areas and provinces
    quasi: microdata.Layout  # the quasi-identifiers' questions only, for the first pass
    territory: Territory
    k: int

    def protect(self, survey_id: int, connection) -> Protection:
        cells = microdata.cells_by_question(survey_id, self.quasi, connection)
        size, width = len(cells), len(self.quasi.columns)
        columns = [[r[i] for r in cells] for i in range(microdata.LEADING, width)]
        del cells  # only the quasi-identifiers' values are kept, column by column
        quasi = [self.made.columns[i] for i in self.made.quasi]
        variables = [Variable(c.name, c.label) for c in quasi]
        places = [j for j, i in enumerate(self.made.quasi) if i in self.made.places]
        values, report = decide(columns, size, variables, places, self.territory, self.k)
        return Protection(report, values, self.made.quasi)


def anonymiser(definition, lang: str, words: dict, k: int) -> Anonymiser:
    """In the request (labels in the reader's language); protect() reads, later if need be."""
    made = microdata.layout(definition, lang, words)
    quasi = microdata.layout(definition, lang, words, keep=microdata.is_quasi_identifier)
    assert len(quasi.quasi) == len(made.quasi)  # the same questions, in the same order
    found = communes()
    wider = {c.area: words[c.area] for c in found}
    wider |= {
        p: _("Province of %(province)s", province=p) for p in sorted({c.province for c in found})
    }
    for i in made.places:
        made.columns[i] = replace(made.columns[i], labels=made.columns[i].labels | wider)
    return Anonymiser(made, quasi, {c.nis: (c.area, c.province) for c in found}, k)


def decide(
    columns: list[list],
    size: int,
    variables: list[Variable],
    places: list[int],
    territory: Territory,
    k: int,
) -> tuple[list[tuple], Report]:
    """Each row's quasi-identifiers as released, and the report. `columns`: each variable's
    values, row by row (None: empty), `size` rows; `places`: the variables that hold a commune.
    Worked out on codes with numpy (pandas, 100 MB more, is not needed)."""
    import numpy as np  # loaded by the exports only

    report = Report(k, size, variables, places)
    if size < k:
        report.withheld = True
        return [], report
    coded = [_factorize(column) for column in columns]  # (codes from 0, −1: empty; values)
    before = [codes for codes, _values in coded]
    for j in places:
        coded[j] = _recode(*coded[j], territory, k)
    codes = np.column_stack([c for c, _v in coded]) if coded else np.empty((size, 0), np.int64)
    _suppress(codes, k)
    _count(before, codes, [v for _c, v in coded], report, territory)
    # Each column's values by code, None last: code −1 takes it.
    found = [np.array([*v, None], dtype=object)[codes[:, j]] for j, (_c, v) in enumerate(coded)]
    return (list(zip(*found, strict=True)) if found else [()] * size), report


def _factorize(column: list):
    import numpy as np

    index: dict = {}
    codes = (-1 if v is None else index.setdefault(v, len(index)) for v in column)
    return np.fromiter(codes, dtype=np.int64, count=len(column)), list(index)


def _recode(codes, values: list, territory: Territory, k: int):
    """Communes with fewer than k rows replaced by their area; if the rows so given an area are
    fewer than k, by their province; if still fewer, left empty. Decided on each value's count
    (the rows of a commune all go alike); the new codes and values."""
    import numpy as np

    counts = np.bincount(codes[codes >= 0], minlength=len(values))
    found = list(values)
    moving = [i for i, v in enumerate(values) if v in territory and counts[i] < k]
    for level in (0, 1):  # the area, then the province
        given: dict = {}
        for i in moving:
            found[i] = territory[values[i]][level]
            given[found[i]] = given.get(found[i], 0) + counts[i]
        moving = [i for i in moving if given[found[i]] < k]
    for i in moving:
        found[i] = None
    new = {v: n for n, v in enumerate(dict.fromkeys(v for v in found if v is not None))}
    recoded = np.array([-1 if v is None else new[v] for v in found] + [-1])  # −1 stays −1
    return recoded[codes], list(new)


def _suppress(codes, k: int) -> None:
    """Local suppression, in place on the codes (−1: empty)."""
    import numpy as np

    distinct = [len(np.unique(codes[:, j][codes[:, j] >= 0])) for j in range(codes.shape[1])]
    order = sorted(range(codes.shape[1]), key=lambda j: -distinct[j])  # ties: definition order
    ordered = codes[:, order]
    while True:
        risky = _sizes(ordered) < k
        left = ordered[risky] >= 0
        some = left.any(axis=1)
        if not some.any():  # only rows with every value empty (or none) are short of k
            break
        rows = np.flatnonzero(risky)[some]
        ordered[rows, left[some].argmax(axis=1)] = -1  # each its first value still there
    _fill_the_empty_class(ordered, k)
    codes[:, order] = ordered


def _fill_the_empty_class(codes, k: int) -> None:
    """The rows that lost every value, if fewer than k, joined by rows of the largest classes
    beyond their k; all rows emptied if there are not enough."""
    import numpy as np

    short = int((_sizes(codes) < k).sum())
    if not short:
        return
    need = k - short
    _keys, inverse, counts = np.unique(codes, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    for kind in np.argsort(-counts, kind="stable"):
        spare = int(counts[kind]) - k
        if need <= 0 or spare <= 0:
            break
        taken = np.flatnonzero(inverse == kind)[-min(spare, need) :]
        codes[taken] = -1
        need -= len(taken)
    if need > 0:
        codes[:] = -1


def _sizes(codes):
    """How many rows share each row's values."""
    import numpy as np

    if codes.shape[1] == 0:
        return np.full(len(codes), len(codes))
    _keys, inverse, counts = np.unique(codes, axis=0, return_inverse=True, return_counts=True)
    return counts[inverse.reshape(-1)]


def _count(before: list, codes, values: list[list], report: Report, territory) -> None:
    """The values left empty (an answer that was there), the communes given their area or
    province, and the rows touched: from the codes before and after."""
    import numpy as np

    areas = {a for a, _p in territory.values()}
    provinces = {p for _a, p in territory.values()}
    touched = np.zeros(report.rows, dtype=bool)
    for j, variable in enumerate(report.variables):
        lost = (before[j] >= 0) & (codes[:, j] < 0)
        variable.suppressed = int(lost.sum())
        touched |= lost
        if j in report.places:  # a value now an area or a province was recoded
            for kind, names in (("to_area", areas), ("to_province", provinces)):
                among = np.array([v in names for v in values[j]] + [False])[codes[:, j]]
                setattr(variable, kind, int(among.sum()))
                touched |= among
    report.touched = int(touched.sum())


def report_lines(report: Report) -> list[str]:
    """The report in sentences (the SPSS file's document, and the pages)."""
    if report.withheld:
        return [
            _(
                "Fewer than %(k)s responses: the file has no rows, since no suppression can "
                "hide a person among fewer than %(k)s.",
                k=report.k,
            )
        ]
    lines = [
        _(
            "k-anonymous with k = %(k)s: every combination of the quasi-identifiers is shared by "
            "at least %(k)s rows (an empty value counts as a value of its own).",
            k=report.k,
        ),
        _(
            "Rows changed: %(touched)s of %(rows)s.",
            touched=report.touched,
            rows=report.rows,
        ),
    ]
    for j, v in enumerate(report.variables):
        if j in report.places:
            line = _(
                "%(name)s – values replaced by the area: %(area)s; by the province: "
                "%(province)s; left empty: %(empty)s.",
                name=v.name,
                area=v.to_area,
                province=v.to_province,
                empty=v.suppressed,
            )
        else:
            line = _("%(name)s – values left empty: %(empty)s.", name=v.name, empty=v.suppressed)
        lines.append(line)
    return lines


def report_rows(report: Report, words: dict) -> tuple[list[str], list[list]]:
    """The « Protection » sheet of the XLSX: a line per quasi-identifier, then the sentences."""
    head = [
        words["variable"],
        words["question"],
        _("Replaced by the area"),
        _("Replaced by the province"),
        _("Left empty"),
    ]
    rows = [[v.name, v.label, v.to_area, v.to_province, v.suppressed] for v in report.variables]
    rows += [[line, None, None, None, None] for line in report_lines(report)]
    return head, rows
