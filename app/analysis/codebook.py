"""A questionnaire's codebook: the committee names codes (themes) and gives them to free-text
answers. Services flush only; every change raises the codebook's revision (analysis.cache)."""

import unicodedata
from collections import Counter

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from app.analysis.models import AnswerCode, Code, CodebookRevision
from app.analysis.queries import _real
from app.extensions import db
from app.surveys.models import Answer, Response, SurveyVersion
from app.surveys.types.entry import ShortText

MAX_LABEL = 80


class CodebookError(ValueError):
    """A change refused, with the reason for the person who asked for it."""


def text_questions(definition) -> dict[str, ShortText]:
    """The questionnaire's free-text questions, by id: the answers that can be coded."""
    return {q.id: q for q in definition.questions() if isinstance(q, ShortText)}


def codes_of(survey_id: int) -> list[Code]:
    return list(
        db.session.scalars(
            select(Code).where(Code.survey_id == survey_id).order_by(Code.label_key, Code.id)
        )
    )


def revision(survey_id: int) -> int:
    found = db.session.get(CodebookRevision, survey_id)
    return found.revision if found else 0


def add_code(survey_id: int, label: str) -> Code:
    cleaned = " ".join("".join(c for c in label if unicodedata.category(c)[0] != "C").split())
    if not cleaned:
        raise CodebookError(_("Give the code a name."))
    # The folded key may be longer than the name (« ß » folds to « ss »): both must fit.
    if len(cleaned) > MAX_LABEL or len(cleaned.casefold()) > MAX_LABEL:
        raise CodebookError(_("A code's name has at most %(n)s characters.", n=MAX_LABEL))
    code = Code(survey_id=survey_id, label=cleaned, label_key=cleaned.casefold())
    try:
        with db.session.begin_nested():
            db.session.add(code)
    except IntegrityError:
        message = _("This codebook already has a code « %(code)s ».", code=cleaned)
        raise CodebookError(message) from None
    _changed(survey_id)
    return code


def remove_code(survey_id: int, code_id: int) -> bool:
    """The code, and every answer's use of it, gone (False: no such code here)."""
    found = db.session.scalar(select(Code).where(Code.id == code_id, Code.survey_id == survey_id))
    if found is None:
        return False
    db.session.execute(delete(AnswerCode).where(AnswerCode.code_id == code_id))
    db.session.delete(found)
    _changed(survey_id)
    return True


def set_codes(survey_id: int, definition, answer_id: int, code_ids: list[int], user_id: int):
    """The answer's codes become exactly these. Only a free-text answer of a submitted, real
    response to this questionnaire can be coded, with codes of its own codebook."""
    answer = db.session.execute(
        select(Answer.id, Answer.question_id)
        .join(Response, Response.id == Answer.response_id)
        .join(SurveyVersion, SurveyVersion.id == Response.version_id)
        .where(Answer.id == answer_id, Answer.text.is_not(None), *_real(survey_id))
    ).first()
    if answer is None or answer.question_id not in text_questions(definition):
        raise CodebookError(_("No such free-text answer in this questionnaire."))
    wanted = set(code_ids)
    known = set(db.session.scalars(select(Code.id).where(Code.survey_id == survey_id)))
    if wanted - known:
        raise CodebookError(_("Unknown code: choose codes of this questionnaire's codebook."))
    db.session.execute(delete(AnswerCode).where(AnswerCode.answer_id == answer_id))
    for code_id in sorted(wanted):
        db.session.add(AnswerCode(answer_id=answer_id, code_id=code_id, tagged_by=user_id))
    _changed(survey_id)


def codes_by_answer(answer_ids: list[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    rows = db.session.execute(
        select(AnswerCode.answer_id, AnswerCode.code_id).where(AnswerCode.answer_id.in_(answer_ids))
    )
    for answer_id, code_id in rows:
        found.setdefault(answer_id, set()).add(code_id)
    return found


def coded(survey_id: int) -> dict[str, Counter]:
    """Question id → code id → how many people's answers (submitted, real) carry that code."""
    rows = db.session.execute(
        # From the questionnaire's codes: read from its answers, every answer is looked at
        # (a third of a second at 100,000 responses, on every first reading).
        select(Answer.question_id, AnswerCode.code_id, func.count())
        .select_from(Code)
        .join(AnswerCode, AnswerCode.code_id == Code.id)
        .join(Answer, Answer.id == AnswerCode.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .join(SurveyVersion, SurveyVersion.id == Response.version_id)
        .where(Code.survey_id == survey_id, *_real(survey_id))
        .group_by(Answer.question_id, AnswerCode.code_id)
    )
    found: dict[str, Counter] = {}
    for question_id, code_id, people in rows:
        found.setdefault(question_id, Counter())[code_id] = people
    return found


def _changed(survey_id: int) -> None:
    db.session.flush()
    raised = db.session.execute(
        update(CodebookRevision)
        .where(CodebookRevision.survey_id == survey_id)
        .values(revision=CodebookRevision.revision + 1)
    )
    if raised.rowcount == 0:
        db.session.add(CodebookRevision(survey_id=survey_id, revision=1))
        db.session.flush()
