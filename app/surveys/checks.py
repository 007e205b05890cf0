"""Checks across a whole definition that field-by-field validation cannot see."""

import csv
import re
from collections.abc import Iterator
from functools import cache

from app.surveys import logic
from app.surveys.definition import SurveyDefinition
from app.surveys.text import piped_ids
from app.surveys.types import Choice
from app.surveys.types.choice import ChoiceQuestion, MultipleChoice
from app.surveys.types.scale import Matrix
from app.territory.models import PLACE_KINDS
from app.territory.services import DATA_DIR

Problem = tuple[tuple, str]  # (path in the file, message)
LINK_WITH_PIPE = re.compile(r"\]\([^)]*\$\{")


@cache
def known_themes() -> frozenset[str]:
    with (DATA_DIR / "themes.csv").open(encoding="utf-8") as handle:
        return frozenset(row["slug"] for row in csv.DictReader(handle))


@cache
def known_places() -> frozenset[str]:
    with (DATA_DIR / "sections.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return frozenset({r["nis"] for r in rows} | {r["nis"] + r["section"] for r in rows})


def check(survey: SurveyDefinition) -> Iterator[Problem]:
    if survey.opens and survey.closes and survey.closes < survey.opens:
        yield ("closes",), "the closing date comes before the opening date"
    yield from _themes(("themes",), survey.themes)
    seen: dict[str, tuple] = {}
    page_ids: set[str] = set()
    for p, page in enumerate(survey.pages):
        path = ("pages", p)
        if page.id in page_ids:
            yield (*path, "id"), f"page id « {page.id} » is used twice"
        page_ids.add(page.id)
        if page.show_if:
            yield from _condition((*path, "show_if"), page.show_if, None, seen, survey)
        before_page = set(seen)
        if page.title:
            yield from _pipes_in((*path, "title"), page.title, before_page)
        for q, question in enumerate(page.questions):
            qpath = (*path, "questions", q)
            if question.id in seen:
                yield (*qpath, "id"), f"question id « {question.id} » is used twice"
            yield from _question(qpath, question, seen, survey)
            yield from _pipes(qpath, question, before_page)
            if getattr(question, "ages", None) and any(
                getattr(survey.question(q), "ages", None) for q in seen
            ):
                yield (*qpath, "ages"), "only one question can give the ages (for weighting)"
            seen[question.id] = qpath


def _indicator(path, question) -> Iterator[Problem]:
    """An answer of the question, which takes one answer per person (a share of it by commune
    is a row of a table that adds up)."""
    if question.several or question.residence or not question.asks:
        yield path, "an indicator is an answer of a question that takes one answer per person"
        return
    tables = question.tables("fr")
    answers = tables[0].labels if tables else {}
    if question.indicator not in {str(a) for a in answers}:
        known = ", ".join(str(a) for a in answers) or "none"
        yield path, f"« {question.indicator} » is not an answer of this question ({known})"


def _themes(path, themes) -> Iterator[Problem]:
    for i, slug in enumerate(themes):
        if slug not in known_themes():
            yield (*path, i), f"unknown theme « {slug} » (see app/territory/data/themes.csv)"


def _question(path, question, earlier, survey) -> Iterator[Problem]:
    yield from _themes((*path, "themes"), question.themes)
    if question.indicator is not None:
        yield from _indicator((*path, "indicator"), question)
    if question.id in logic.KEYWORDS:
        yield (
            (*path, "id"),
            f"« {question.id} » is a word of the condition language: choose another id",
        )
    if question.type == "date" and question.min and question.max and question.min > question.max:
        yield (*path, "min"), "min is after max"
    if question.type == "multiple_choice":
        most = question.max_choices or len(question.choices)
        if question.min_choices and (
            question.min_choices > most or question.min_choices > len(question.choices)
        ):
            yield (*path, "min_choices"), "min_choices is more than can be chosen"
    if not question.asks and question.required:
        yield (*path, "required"), "a note asks nothing, so it cannot be required"
    if question.show_if:
        yield from _condition((*path, "show_if"), question.show_if, question.id, earlier, survey)
    if isinstance(question, ChoiceQuestion):
        yield from _unique_ids((*path, "choices"), question.choices, "choice")
        if sum(c.other for c in question.choices) > 1:
            yield (*path, "choices"), "only one choice can be « other »"
        yield from _choices_from(path, question, earlier, survey)
    if isinstance(question, Matrix):
        yield from _unique_ids((*path, "rows"), question.rows, "row")
        yield from _unique_ids((*path, "scale"), question.scale, "choice")


def _texts(path, question) -> Iterator[tuple[tuple, dict]]:
    yield (*path, "label"), question.label
    if question.help:
        yield (*path, "help"), question.help
    if isinstance(question, ChoiceQuestion):
        for i, choice in enumerate(question.choices):
            yield (*path, "choices", i, "label"), choice.label
    if isinstance(question, Matrix):
        for i, matrix_row in enumerate(question.rows):
            yield (*path, "rows", i, "label"), matrix_row.label


def _pipes(path, question, before_page: set) -> Iterator[Problem]:
    """An answer is piped once its page is sent: a pipe names a question of an earlier page."""
    for where, text in _texts(path, question):
        yield from _pipes_in(where, text, before_page)


def _pipes_in(where, text: dict, before_page: set) -> Iterator[Problem]:
    for name in sorted(piped_ids(text)):
        if name not in before_page:
            yield where, f"${{{name}}} pipes an answer that is not asked on an earlier page"
    if any(LINK_WITH_PIPE.search(value) for value in text.values()):
        yield where, "a link's address cannot contain ${…}"


def _unique_ids(path, items, what: str) -> Iterator[Problem]:
    seen = set()
    for i, item in enumerate(items):
        if item.id in seen:
            yield (*path, i, "id"), f"{what} id « {item.id} » is used twice in this question"
        seen.add(item.id)


def _choices_from(path, question, earlier, survey) -> Iterator[Problem]:
    source_id = question.choices_from
    if not source_id:
        return
    source = survey.question(source_id)
    if source_id not in earlier or not isinstance(source, MultipleChoice):
        yield (
            (*path, "choices_from"),
            (f"choices_from must name an earlier multiple-choice question, not « {source_id} »"),
        )
        return
    missing = [c.id for c in question.choices if source.choice(c.id) is None]
    if missing:
        yield (*path, "choices_from"), f"choices {', '.join(missing)} are not in « {source_id} »"


def _condition(path, text, own_id, earlier, survey) -> Iterator[Problem]:
    node = logic.parse(text)  # already parsed once by the model: it is valid
    for ref in sorted(logic.references(node), key=lambda r: r.question):
        if ref.question == own_id:
            yield path, f"show_if refers to « {ref.question} » itself (a cycle)"
        elif ref.question not in earlier:
            where = "comes later" if survey.question(ref.question) else "does not exist"
            yield path, f"show_if names « {ref.question} », which {where}"
        else:
            target = survey.question(ref.question)
            if ref.row and not (
                isinstance(target, Matrix) and any(r.id == ref.row for r in target.rows)
            ):
                yield path, f"« {ref.question}.{ref.row} » is not a row of a matrix question"
    for ref, value in logic.literals(node):
        target = survey.question(ref.question)
        if ref.question not in earlier or target is None:
            continue
        yield from _literal(path, target, ref, value)


def _literal(path, target, ref, value) -> Iterator[Problem]:
    if isinstance(target, Matrix) and not ref.row:
        yield path, f"« {ref.question} » is a matrix: name one of its rows, like {ref.question}.row"
        return
    if target.type in ("number", "scale") and isinstance(value, str) and value != "dont_know":
        yield path, f"« {ref.question} » is a number: compare it with a number, not « {value} »"
        return
    if isinstance(target, Matrix | ChoiceQuestion) and not isinstance(value, str | bool):
        yield path, f"choice ids are texts: write '{value}' in quotes for « {ref.question} »"
        return
    if isinstance(target, Matrix):
        ids = {c.id for c in target.scale}
    elif isinstance(target, ChoiceQuestion):
        ids = {c.id for c in target.choices}
    elif target.type == "place":
        if isinstance(value, str) and value not in known_places() and value not in PLACE_KINDS:
            yield path, f"« {value} » is not a commune (NIS code), a section or a place kind"
        return
    else:
        return
    if ids and isinstance(value, str) and value not in ids:
        yield path, f"« {value} » is not a choice of « {ref.question} »"


__all__ = ["Choice", "Problem", "check"]
