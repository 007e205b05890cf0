"""The free-text answers of one question, for the committee to read and code: searched (without
regard to case or accents), narrowed to a group of the dashboard's filters or to a code, newest
first, a page at a time."""

import unicodedata
from dataclasses import dataclass

from sqlalchemy import select

from app.analysis.codebook import codes_by_answer
from app.analysis.queries import _real
from app.extensions import db
from app.surveys.models import Answer, Response, SurveyVersion

PER_PAGE = 50
UNCODED = "aucun"  # the code filter's value for answers without any code


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
    members: set[int] | None = None,
    code: int | str | None = None,
    page: int = 1,
) -> TextPage:
    """members: the response ids of the chosen group (None: everyone); code: a code id, or
    UNCODED for the answers without any."""
    rows = db.session.execute(
        select(Answer.id, Answer.response_id, Answer.text)
        .join(Response, Response.id == Answer.response_id)
        .join(SurveyVersion, SurveyVersion.id == Response.version_id)
        .where(Answer.question_id == question_id, Answer.text.is_not(None), *_real(survey_id))
        .order_by(Answer.id.desc())
    ).all()
    if members is not None:
        rows = [r for r in rows if r.response_id in members]
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
