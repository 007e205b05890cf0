"""Cross-tabulations: any two breakdowns of the respondents, protected as two-way tables.

A breakdown gives each response one category: the commune, area or province of residence (the
questionnaire's first place question), the channel, or the answer to a question that takes one
answer per person (single choice, yes/no, scale). Several answers per person (multiple choice,
ranking) would not add up along rows and columns, so they are not offered here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from app.analysis.queries import Collected
from app.analysis.stats import wilson
from app.analysis.suppression import Grid, protect_grid
from app.surveys.types.choice import MultipleChoice, Ranking, SingleChoice
from app.surveys.types.place import PlaceQuestion
from app.surveys.types.scale import DONT_KNOW, Scale
from app.territory.places import ELSEWHERE, UNDISCLOSED


class UnknownBreakdown(ValueError):
    """A breakdown key that is not offered for this questionnaire."""


@dataclass
class Breakdown:
    label: str
    categories: dict[str, str]  # key → label, in display order
    category_of: Callable[[int], str | None]  # response id → category (None: not answered)


@dataclass
class CrossTable:
    rows: Breakdown
    columns: Breakdown
    grid: Grid
    outside: int  # responses left out: one of the two breakdowns unanswered

    def row_share(self, row: str, column: str) -> float | None:
        count, total = self.grid.cells[row][column].count, self.grid.row_totals[row].count
        return count / total if count is not None and total else None

    def row_interval(self, row: str, column: str) -> tuple[float, float] | None:
        count, total = self.grid.cells[row][column].count, self.grid.row_totals[row].count
        return wilson(count, total) if count is not None and total else None


def breakdowns(definition, data: Collected, channels: dict, communes, words: dict, lang: str):
    """Every breakdown this questionnaire offers, by key (the allow-list of the view)."""
    offered: dict[str, Breakdown] = {}
    place = next((q for q in definition.questions() if isinstance(q, PlaceQuestion)), None)
    if place is not None:
        by_nis = {c.nis: c for c in communes}
        where = (
            {rid: place.from_rows(rows)[place.id] for rid, rows in data.rows[place.id].items()}
            if place.id in data.rows
            else {}
        )

        def residence(attribute):
            def category(rid):
                found = where.get(rid)
                if found is None:
                    return None
                commune = by_nis.get(found.nis)
                return getattr(commune, attribute) if commune else found.kind

            return category

        outside = {ELSEWHERE: words[ELSEWHERE], UNDISCLOSED: words[UNDISCLOSED]}
        offered["commune"] = Breakdown(
            words["commune"], {c.nis: c.name for c in communes} | outside, residence("nis")
        )
        areas = {a: words[a] for a in dict.fromkeys(c.area for c in communes)}
        offered["area"] = Breakdown(words["area"], areas | outside, residence("area"))
        provinces = {p: p for p in sorted({c.province for c in communes})}
        offered["province"] = Breakdown(
            words["province"], provinces | outside, residence("province")
        )
    offered["channel"] = Breakdown(
        words["channel"], {c: words[c] for c in ("web", "kiosk", "paper")}, channels.get
    )
    for question in definition.questions():
        if isinstance(question, MultipleChoice | Ranking):
            continue
        if isinstance(question, SingleChoice):
            labels = {c.id: question.display({question.id: c.id}, lang) for c in question.choices}
        elif isinstance(question, Scale):
            points = [str(p) for p in question.points()]
            labels = {p: p for p in points} | (
                {DONT_KNOW: words[DONT_KNOW]} if question.dont_know else {}
            )
        else:
            continue
        offered[question.id] = Breakdown(question.text(lang), labels, _answers(question, data))
    return offered


def _answers(question, data: Collected):
    given = {
        rid: question.from_rows(rows).get(question.id)
        for rid, rows in data.rows.get(question.id, {}).items()
    }
    return lambda rid: None if given.get(rid) is None else str(given[rid])


def check(offered: dict, rows: str | None, columns: str | None) -> None:
    for key in (rows, columns):
        if key not in offered:
            raise UnknownBreakdown(key or "")
    if rows == columns:
        raise UnknownBreakdown(columns)


def crosstab(offered: dict, responses: list[int], rows: str | None, columns: str | None, k: int):
    check(offered, rows, columns)
    down, across = offered[rows], offered[columns]
    counts = {r: dict.fromkeys(across.categories, 0) for r in down.categories}
    outside = 0
    for rid in responses:
        r, c = down.category_of(rid), across.category_of(rid)
        if r in counts and c in counts[r]:
            counts[r][c] += 1
        else:
            outside += 1
    # A category nobody is in says nothing about anyone: left out, rather than hidden with
    # figures around it that would then have to be hidden too.
    kept_columns = [c for c in across.categories if any(counts[r][c] for r in counts)]
    counts = {r: {c: n[c] for c in kept_columns} for r, n in counts.items() if any(n.values())}
    down = Breakdown(down.label, {r: down.categories[r] for r in counts}, down.category_of)
    across = Breakdown(across.label, {c: across.categories[c] for c in kept_columns}, None)
    return CrossTable(down, across, _protected(counts, rows > columns, k), outside)


def _protected(counts: dict, transposed: bool, k: int) -> Grid:
    """The same hiding pattern whichever way round the table is asked for (otherwise the two
    patterns of one table, put together, could tell what each hides)."""
    if not transposed:
        return protect_grid(counts, k)
    columns = list(next(iter(counts.values()), {}))
    flipped = protect_grid({c: {r: counts[r][c] for r in counts} for c in columns}, k)
    return Grid(
        {r: {c: flipped.cells[c][r] for c in columns} for r in counts},
        flipped.column_totals,
        flipped.row_totals,
        flipped.total,
        flipped.withheld,
    )
