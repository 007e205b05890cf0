"""Cross-tabulations: any two breakdowns of the respondents, protected as two-way tables.

A breakdown gives each response one category: the commune, area or province of residence (the
questionnaire's first place question), the channel, or the answer to a question that takes one
answer per person (single choice, yes/no, scale); « not answered » is a category too, so every
response is in the table. Several answers per person (multiple choice, ranking) would not add
up along rows and columns, so they are not offered here.

The margins of a cross-tabulation are one-way tables the dashboard already shows (the question's
table, the coverage table, the channels): they are taken as published, with the same cells
hidden, so that the two cannot be put together to solve what either hides. Areas and provinces
are sums of communes whose counts the coverage table may hide: their own totals stay hidden.
"""

from collections.abc import Callable
from dataclasses import dataclass

from app.analysis.pairs import CHANNEL, PERIOD, Pairs
from app.analysis.public import PublicResults
from app.analysis.stats import wilson
from app.analysis.suppression import Cell, Grid, protect_grid
from app.surveys.text import localize
from app.surveys.types.choice import MultipleChoice, Ranking, SingleChoice
from app.surveys.types.place import PlaceQuestion
from app.surveys.types.scale import DONT_KNOW, Matrix, Scale
from app.territory.places import ELSEWHERE, UNDISCLOSED

NOT_ANSWERED = "unanswered"


class UnknownBreakdown(ValueError):
    """A breakdown key that is not offered for this questionnaire."""


@dataclass
class Breakdown:
    label: str
    categories: dict[str, str]  # key → label, in display order
    source: str  # what it is counted as (analysis.pairs): a question, matrix row, @channel…
    category_of: Callable[[str], str]  # an answer's code (a token) → its category
    published: dict[str, Cell] | None = None  # its one-way table as shown elsewhere
    question: str | None = None  # the question it comes from, if any
    members: dict[str, list[str]] | None = None  # area, province: each group's communes


@dataclass
class CrossTable:
    rows: Breakdown
    columns: Breakdown
    grid: Grid

    def row_share(self, row: str, column: str) -> float | None:
        count, total = self.grid.cells[row][column].count, self.grid.row_totals[row].count
        return count / total if count is not None and total else None

    def row_interval(self, row: str, column: str) -> tuple[float, float] | None:
        count, total = self.grid.cells[row][column].count, self.grid.row_totals[row].count
        return wilson(count, total) if count is not None and total else None


def breakdowns(material, communes) -> dict[str, Breakdown]:
    """Every breakdown this questionnaire offers, by key (the allow-list of the views), each
    with its one-way table as the dashboard shows it."""
    definition, words, lang = material.definition, material.words, material.lang
    results, responses = material.results, material.responses
    offered: dict[str, Breakdown] = {}
    unanswered = {NOT_ANSWERED: words[NOT_ANSWERED]}
    place = next((q for q in definition.questions() if isinstance(q, PlaceQuestion)), None)
    if place is not None:
        by_nis = {c.nis: c for c in communes}

        def residence(attribute):
            def category(token):  # a commune's NIS code, or the kind of place
                commune = by_nis.get(token)
                if commune is not None:
                    return getattr(commune, attribute)
                return token if token in (ELSEWHERE, UNDISCLOSED) else ELSEWHERE

            return category

        outside = {ELSEWHERE: words[ELSEWHERE], UNDISCLOSED: words[UNDISCLOSED]}
        published = _published(_table(results, place.id), responses)
        offered["commune"] = Breakdown(
            words["commune"],
            {c.nis: c.name for c in communes} | outside | unanswered,
            place.id,
            residence("nis"),
            published,
        )
        areas = {a: words[a] for a in dict.fromkeys(c.area for c in communes)}
        provinces = {p: p for p in sorted({c.province for c in communes})}
        for key, groups in (("area", areas), ("province", provinces)):
            members = {g: [c.nis for c in communes if getattr(c, key) == g] for g in groups}
            offered[key] = Breakdown(
                words[key],
                groups | outside | unanswered,
                place.id,
                residence(key),
                _kept(published, [ELSEWHERE, UNDISCLOSED, NOT_ANSWERED]),
                members=members | {c: [c] for c in (*outside, NOT_ANSWERED)},
            )
    for key, table, source in (
        ("channel", material.by_channel, CHANNEL),
        ("period", material.by_period, PERIOD),
    ):
        offered[key] = Breakdown(
            words[key], dict(table.labels), source, str, dict(table.line.cells)
        )
    for question in definition.questions():
        if isinstance(question, MultipleChoice | Ranking):
            continue
        if isinstance(question, Matrix):
            for row in question.rows:
                offered[f"{question.id}.{row.id}"] = Breakdown(
                    f"{question.text(lang)} – {localize(row.label, lang)}",
                    {c.id: localize(c.label, lang) for c in question.scale} | unanswered,
                    f"{question.id}.{row.id}",
                    str,
                    _published(_table(results, question.id, row.id), responses),
                    question.id,
                )
            continue
        if isinstance(question, SingleChoice):
            labels = {c.id: question.display({question.id: c.id}, lang) for c in question.choices}
        elif isinstance(question, Scale):
            points = {str(p): str(p) for p in question.points()}
            labels = points | ({DONT_KNOW: words[DONT_KNOW]} if question.dont_know else {})
        else:
            continue
        offered[question.id] = Breakdown(
            question.text(lang),
            labels | unanswered,
            question.id,
            str,
            _published(_table(results, question.id), responses),
            question.id,
        )
    return offered


def _table(results: PublicResults, question_id: str, row: str | None = None):
    """The question's (or matrix row's) one-way table as shown; None when it is withheld or
    hidden as a whole."""
    found = next((r for r in results.questions if r.id == question_id), None)
    if found is None or found.withheld or found.answered is None:
        return None
    return next((t for t in found.tables if t.row == row), None)


def _published(table, responses: int) -> dict[str, Cell]:
    """A one-way table as shown, plus « not answered » (the responses less those answering:
    both shown, so shown too). Empty when hidden as a whole: every total stays hidden."""
    if table is None or table.line.total is None:
        return {}
    return dict(table.line.cells) | {NOT_ANSWERED: Cell(responses - table.line.total)}


def _kept(published: dict | None, keys: list[str]) -> dict | None:
    return None if published is None else {k: published[k] for k in keys if k in published}


def check(offered: dict, rows: str | None, columns: str | None) -> None:
    for key in (rows, columns):
        if key not in offered:
            raise UnknownBreakdown(key or "")
    if rows == columns:
        raise UnknownBreakdown(columns)


def crosstab(offered: dict, pairs: Pairs, rows: str | None, columns: str | None, k: int):
    check(offered, rows, columns)
    if offered[rows].members is not None or offered[columns].members is not None:
        return _summed(offered, pairs, rows, columns, k)
    down, across = offered[rows], offered[columns]
    counts = counted(down, across, pairs)
    # A category stays even when empty (leaving it out would tell that it is empty, which the
    # one-way table may hide), unless its one-way table already shows it empty.
    down, across = _without_known_empty(down), _without_known_empty(across)
    counts = {r: {c: counts[r][c] for c in across.categories} for r in down.categories}
    margins = (_margins(down, counts, k), _margins(across, _flip(counts), k))
    return CrossTable(down, across, _protected(counts, rows > columns, k, *margins))


def _summed(offered: dict, pairs: Pairs, rows: str, columns: str, k: int) -> CrossTable:
    """Areas and provinces are sums of communes: their table is the commune table added up, a
    figure shown only when every commune figure in it is shown (so it tells nothing more; a
    review solved commune cells from separately protected area and province tables). Hidden
    sums carry no bound: they may be below k or not."""
    flipped = offered[rows].members is None
    groups, other = (columns, rows) if flipped else (rows, columns)
    if offered[other].members is not None or other == "commune":
        raise UnknownBreakdown(other)  # nested in each other: nothing to learn
    base = crosstab(offered, pairs, "commune", other, k).grid
    members = offered[groups].members
    shown_zero = Cell(0)

    def added(found: list[Cell]) -> Cell:
        if any(cell.hidden for cell in found):
            return Cell(None, "complement")
        return Cell(sum(cell.count for cell in found))

    def of(table: dict, group: str, pick) -> list[Cell]:
        return [pick(table[m]) if m in table else shown_zero for m in members[group]]

    down = _without_known_empty(offered[groups])
    across = offered[other]
    kept = list(next(iter(base.cells.values()), {}))
    across = Breakdown(
        across.label,
        {c: across.categories[c] for c in kept},
        across.source,
        across.category_of,
        across.published,
        across.question,
    )
    cells = {
        g: {c: added(of(base.cells, g, lambda row, c=c: row[c])) for c in kept}
        for g in down.categories
    }
    row_totals = {g: added(of(base.row_totals, g, lambda cell: cell)) for g in down.categories}
    grid = Grid(cells, row_totals, dict(base.column_totals), base.total, base.withheld)
    if not flipped:
        return CrossTable(down, across, grid)
    return CrossTable(
        across,
        down,
        Grid(
            {c: {g: cells[g][c] for g in cells} for c in kept},
            dict(base.column_totals),
            row_totals,
            base.total,
            base.withheld,
        ),
    )


def counted(down: Breakdown, across: Breakdown, pairs: Pairs) -> dict[str, dict[str, int]]:
    """Every response once, by its category down and across (« not answered » included)."""
    counts = {r: dict.fromkeys(across.categories, 0) for r in down.categories}
    for (r, c), n in pairs.table(down.source, across.source).items():
        if not n:  # nobody: « not answered » of a channel, say, which every response has
            continue
        row = NOT_ANSWERED if r is None else down.category_of(r)
        column = NOT_ANSWERED if c is None else across.category_of(c)
        if row in counts and column in counts[row]:  # never otherwise: the same responses
            counts[row][column] += n
    return counts


def _without_known_empty(breakdown: Breakdown) -> Breakdown:
    published = breakdown.published or {}
    kept = {c: label for c, label in breakdown.categories.items() if published.get(c) != Cell(0)}
    return Breakdown(
        breakdown.label,
        kept,
        breakdown.source,
        breakdown.category_of,
        breakdown.published,
        breakdown.question,
        breakdown.members,
    )


def _flip(counts: dict) -> dict:
    columns = list(next(iter(counts.values()), {}))
    return {c: {r: counts[r][c] for r in counts} for c in columns}


def _margins(breakdown: Breakdown, counts: dict, k: int) -> dict[str, Cell] | None:
    if breakdown.published is None:
        return None
    margins = {}
    for category, cells in counts.items():
        total = sum(cells.values())
        published = breakdown.published.get(category)
        if published is None:  # not shown elsewhere: hidden, with what « < k » or • says
            published = Cell(None, "small" if total < k else "complement")
        margins[category] = published
    return margins


def _protected(counts: dict, transposed: bool, k: int, row_margins, column_margins) -> Grid:
    """The same hiding pattern whichever way round the table is asked for (otherwise the two
    patterns of one table, put together, could tell what each hides)."""
    if not transposed:
        return protect_grid(counts, k, row_margins, column_margins)
    flipped = protect_grid(_flip(counts), k, column_margins, row_margins)
    columns = list(next(iter(counts.values()), {}))
    return Grid(
        {r: {c: flipped.cells[c][r] for c in columns} for r in counts},
        flipped.column_totals,
        flipped.row_totals,
        flipped.total,
        flipped.withheld,
    )
