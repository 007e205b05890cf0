"""The free-text answers of one question, for the committee to read and code: searched (without
regard to case or accents), narrowed to a group of the dashboard's filters or to a code, newest
first, a page at a time."""

import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select

from app.analysis.codebook.models import AnswerCode, Code, CodebookRevision
from app.extensions import db
from app.surveys.models import Answer, Response
from app.surveys.queries import real_responses, version_ids

PER_PAGE = 50
UNCODED = "aucun"  # the code filter's value for answers without any code


def text_questions(definition) -> dict:
    """The questionnaire's free-text questions, by id: the answers that can be coded."""
    return {q.id: q for q in definition.questions() if q.free_text}


def readable_questions(definition) -> dict:
    """The questions whose texts the committee reads: the free-text ones (coded too), then the
    choice questions whose « Other, please specify » asks for a text (read, not coded)."""
    others = {
        q.id: q for q in definition.questions() if getattr(q, "asks_other_text", lambda: False)()
    }
    return text_questions(definition) | others


def codes_of(survey_id: int) -> list[Code]:
    return list(
        db.session.scalars(
            select(Code).where(Code.survey_id == survey_id).order_by(Code.label_key, Code.id)
        )
    )


def revision(survey_id: int) -> int:
    found = db.session.get(CodebookRevision, survey_id)
    return found.revision if found else 0


def codes_by_answer(answer_ids: list[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    rows = db.session.execute(
        select(AnswerCode.answer_id, AnswerCode.code_id).where(AnswerCode.answer_id.in_(answer_ids))
    )
    for answer_id, code_id in rows:
        found.setdefault(answer_id, set()).add(code_id)
    return found


@dataclass
class TextAnswer:
    id: int
    text: str
    codes: set[int]


@dataclass
class TextPage:
    total: int  # answers matching, on every page
    page: int
    pages: int
    answers: list[TextAnswer]


def folded(text: str) -> str:
    """« Médecin » and « medecin » alike: case and accents left aside."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def text_page(
    survey_id: int,
    question_id: str,
    search: str = "",
    members=None,
    code: int | str | None = None,
    page: int = 1,
) -> TextPage:
    """members: a sub-select of the response ids of the chosen group (None: everyone); code: a
    code id, or UNCODED for the answers without any."""
    query = (
        select(Answer.id, Answer.response_id, Answer.text)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Answer.question_id == question_id,
            Answer.text.is_not(None),
            *real_responses(survey_id, versions=version_ids(survey_id)),
        )
    )
    if members is not None:
        query = query.where(Answer.response_id.in_(members))
    if not search and code is None:  # a page read as such: the database counts and cuts
        total = db.session.scalar(select(func.count()).select_from(query.subquery()))
        pages = max(1, -(-total // PER_PAGE))
        shown = db.session.execute(
            query.order_by(Answer.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
        ).all()
        codes = codes_by_answer([r.id for r in shown]) if shown else {}
        answers = [TextAnswer(r.id, r.text, codes.get(r.id, set())) for r in shown]
        return TextPage(total, page, pages, answers)
    rows = db.session.execute(query.order_by(Answer.id.desc())).all()
    if search:
        wanted = folded(search)
        rows = [r for r in rows if wanted in folded(r.text)]
    codes = codes_by_answer([r.id for r in rows]) if rows else {}
    if code == UNCODED:
        rows = [r for r in rows if not codes.get(r.id)]
    elif code is not None:
        rows = [r for r in rows if code in codes.get(r.id, ())]
    pages = max(1, -(-len(rows) // PER_PAGE))
    shown = rows[(page - 1) * PER_PAGE : page * PER_PAGE]
    answers = [TextAnswer(r.id, r.text, codes.get(r.id, set())) for r in shown]
    return TextPage(len(rows), page, pages, answers)
