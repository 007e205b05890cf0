"""Checks across a whole definition that field-by-field validation cannot see."""

import csv
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
        for q, question in enumerate(page.questions):
            qpath = (*path, "questions", q)
            if question.id in seen:
                yield (*qpath, "id"), f"question id « {question.id} » is used twice"
            yield from _question(qpath, question, seen, survey)
            yield from _pipes(qpath, question, before_page)
            seen[question.id] = qpath


def _themes(path, themes) -> Iterator[Problem]:
    for i, slug in enumerate(themes):
        if slug not in known_themes():
            yield (*path, i), f"unknown theme « {slug} » (see app/territory/data/themes.csv)"


def _question(path, question, earlier, survey) -> Iterator[Problem]:
    yield from _themes((*path, "themes"), question.themes)
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


def _pipes(path, question, before_page: set) -> Iterator[Problem]:
    """An answer is piped once its page is sent: a pipe names a question of an earlier page."""
    texts = [question.label, question.help]
    if isinstance(question, ChoiceQuestion):
        texts += [c.label for c in question.choices]
    for name in sorted(set().union(*(piped_ids(t) for t in texts))):
        if name not in before_page:
            yield (
                (*path, "label"),
                f"${{{name}}} pipes an answer that is not asked on an earlier page",
            )


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
    if isinstance(target, Matrix):
        ids = {c.id for c in target.scale} if ref.row else set()
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
