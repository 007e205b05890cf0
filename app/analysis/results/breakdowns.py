"""The breakdowns of a questionnaire's respondents: what a crossing, a group, a weighting or a
map by commune is made of.

A breakdown gives each response one category: the commune, area or province of residence (the
questionnaire's place question), the channel, the quarter, or the answer to a question that
takes one answer per person (single choice, yes/no, scale, each row of a matrix); « not
answered » is a category too, so every response is in it. Several answers per person (multiple
choice, ranking) would not add up along rows and columns: they make no breakdown.

Each breakdown carries its one-way table as the dashboard shows it (the question's table, the
coverage table, the channels): every view takes it as published, with the same cells hidden.
Areas and provinces are sums of communes whose counts the coverage table may hide: their own
totals stay hidden.
"""

from collections.abc import Callable
from dataclasses import dataclass

from app.analysis.counting import CHANNEL, PERIOD
from app.analysis.disclosure.suppression import Cell
from app.analysis.results.labels import NOT_ANSWERED
from app.analysis.results.model import PublicResults
from app.territory.places import ELSEWHERE, UNDISCLOSED


@dataclass
class Breakdown:
    label: str
    categories: dict[str, str]  # key → label, in display order
    source: str  # what it is counted as (analysis.counting): a question, matrix row, @channel…
    category_of: Callable[[str], str]  # an answer's code (a token) → its category
    published: dict[str, Cell] | None = None  # its one-way table as shown elsewhere
    question: str | None = None  # the question it comes from, if any
    members: dict[str, list[str]] | None = None  # area, province: each group's communes


def breakdowns(figures, communes) -> dict[str, Breakdown]:
    """Every breakdown this questionnaire offers, by key (the allow-list of the views), each
    with its one-way table as the dashboard shows it."""
    definition, words, lang = figures.definition, figures.words, figures.lang
    results, responses = figures.results, figures.responses
    offered: dict[str, Breakdown] = {}
    unanswered = {NOT_ANSWERED: words[NOT_ANSWERED]}
    place = next((q for q in definition.questions() if q.residence), None)
    if place is not None:
        offered |= _residence(place, results, responses, words, communes)
    for key, table, source in (
        ("channel", figures.by_channel, CHANNEL),
        ("period", figures.by_period, PERIOD),
    ):
        offered[key] = Breakdown(
            words[key], dict(table.labels), source, str, dict(table.line.cells)
        )
    for question in definition.questions():
        if question.several or question.residence:
            continue
        for spec in question.tables(lang):
            key = f"{question.id}.{spec.row}" if spec.row else question.id
            label = question.text(lang) + (f" – {spec.title}" if spec.row else "")
            offered[key] = Breakdown(
                label,
                spec.labels | unanswered,
                key,
                str,
                _published(_table(results, question.id, spec.row), responses),
                question.id,
            )
    return offered


def _residence(place, results, responses, words, communes) -> dict[str, Breakdown]:
    """The commune, area and province of residence."""
    by_nis = {c.nis: c for c in communes}

    def residence(attribute):
        def category(token):  # a commune's NIS code, or the kind of place
            commune = by_nis.get(token)
            if commune is not None:
                return getattr(commune, attribute)
            return token if token in (ELSEWHERE, UNDISCLOSED) else ELSEWHERE

        return category

    unanswered = {NOT_ANSWERED: words[NOT_ANSWERED]}
    outside = {ELSEWHERE: words[ELSEWHERE], UNDISCLOSED: words[UNDISCLOSED]}
    published = _published(_table(results, place.id), responses)
    offered = {
        "commune": Breakdown(
            words["commune"],
            {c.nis: c.name for c in communes} | outside | unanswered,
            place.id,
            residence("nis"),
            published,
        )
    }
    areas = {a: words[a] for a in dict.fromkeys(c.area for c in communes)}
    provinces = {p: p for p in sorted({c.province for c in communes})}
    for key, groups in (("area", areas), ("province", provinces)):
        members = {g: [c.nis for c in communes if getattr(c, key) == g] for g in groups}
        offered[key] = Breakdown(
            words[key],
            groups | outside | unanswered,
            place.id,
            residence(key),
            _kept(
                published,
                [ELSEWHERE, UNDISCLOSED, NOT_ANSWERED],
                _sizes(published, members, responses),
            ),
            members=members | {c: [c] for c in (*outside, NOT_ANSWERED)},
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


def _kept(published: dict | None, keys: list[str], more: dict) -> dict | None:
    if published is None:
        return None
    return {k: published[k] for k in keys if k in published} | more


def _sizes(published: dict | None, members: dict[str, list[str]], responses: int) -> dict:
    """The number of people of each area (province) that the commune table already tells:
    the sum of its communes when all are shown, or, when every hidden figure of the table lies
    inside it, the responses less the figures shown outside (so « Sud ESEM », holding every
    small commune, can be looked at alone). Otherwise none: the group is not offered."""
    sizes = {}
    for group, inside in (members if published else {}).items():
        outside = [cell for key, cell in published.items() if key not in inside]
        if not any(cell.hidden for cell in outside):
            sizes[group] = Cell(responses - sum(cell.count for cell in outside))
    return sizes
