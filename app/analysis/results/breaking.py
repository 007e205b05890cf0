"""Every table that breaks the respondents down goes through `crossed()`: the crossing view, a
group's view (filters, and the fact sheets made of them), the maps by answer and weighting, on
the pages and in the API. So one rule holds in all of them, in one place:

A question asked only after some answers (its gate: `questions.sources`) counts, in its « not
answered », the people its gate turned away. Broken down by anything (or used to break anything
down), each group's « not answered » tells how many of that group its gate turned away: a count
the gate's own table by that breakdown may hide. So such a table is withheld whenever its gate's
table by the same breakdown hides anything, or cannot be made (several answers per person).
A review recovered 68 hidden counts through filter groups and maps before this rule covered them.
"""

from app.analysis.disclosure.suppression import Grid
from app.analysis.results.crosstab import CrossTable, UnknownBreakdown, crosstab
from app.analysis.results.questions import sources


def crossed(figures, rows: str, columns: str) -> CrossTable:
    """The protected table rows × columns, withheld (grid.withheld, gated) where a gate would
    tell what its table hides. Kept per reading: views ask for the same tables many times."""
    kept = figures.__dict__.setdefault("_crossed", {})
    if (rows, columns) not in kept:
        table = crosstab(
            figures.offered, figures.crossings, rows, columns, figures.k, _before(figures)
        )
        if gated(figures, rows, columns):
            table = CrossTable(table.rows, table.columns, _withheld(table.grid))
        kept[(rows, columns)] = table
    return kept[(rows, columns)]


def _before(figures):
    """The same table in each earlier release, when the figures are a release's (a reader
    may have kept them: disclosure.linked)."""
    if not figures.earlier:
        return None

    def tables(rows: str, columns: str) -> list[CrossTable]:
        found = []
        for earlier in figures.earlier:
            try:
                found.append(crossed(earlier, rows, columns))
            except UnknownBreakdown:  # not offered then
                continue
        return found

    return tables


def gated(figures, rows: str, columns: str) -> bool:
    """Whether either side is a question whose gate hides anything by the other side."""
    return any(
        (question := figures.offered[key].question) is not None
        and gate_hides(figures, other, question)
        for key, other in ((columns, rows), (rows, columns))
    )


def gate_hides(figures, key: str, question_id: str) -> bool:
    """Whether the questions deciding if this one is asked hide anything once broken down by
    the breakdown key: then a table of this question by that breakdown would tell it (its « not
    answered » counts the people the gate turned away)."""
    from app.analysis.results.groups import by_group

    by_id = {r.id: r for r in figures.results.questions}
    for source in sources(figures.definition, question_id):
        result = by_id.get(source)
        if result is None:
            continue
        try:
            groups = by_group(figures, key, result)
        except UnknownBreakdown:
            return True
        for found in groups.values():
            hidden = any(c.hidden for t in found.tables for c in t.line.cells.values())
            if hidden or found.answered is None or not found.broken_down:
                return True
    return False


def _withheld(grid: Grid) -> Grid:
    from app.analysis.disclosure.suppression import _withheld as nothing_shown

    return nothing_shown(list(grid.cells), list(grid.column_totals))
