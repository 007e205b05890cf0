"""A questionnaire's codebook: the committee names codes (themes) and gives them to free-text
answers. Services flush only; every change raises the codebook's revision (analysis.cache).

Giving the same code twice at once (two tabs, a double click) stores it once: the primary key
of a code on an answer decides, and the insert skips what is there. The revision is raised by
an upsert (a first change of two at once would otherwise insert the revision twice)."""

import unicodedata

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from app.analysis.codebook.models import AnswerCode, Code, CodebookRevision
from app.analysis.codebook.queries import text_questions
from app.extensions import db
from app.surveys.models import Answer, Response
from app.surveys.queries import real_responses

MAX_LABEL = 80


class CodebookError(ValueError):
    """A change refused, with the reason for the person who asked for it."""


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
    """The answer's codes become these. Only a free-text answer of a submitted, real response to
    this questionnaire can be coded, with codes of its own codebook."""
    answer = db.session.execute(
        select(Answer.id, Answer.question_id)
        .join(Response, Response.id == Answer.response_id)
        .where(Answer.id == answer_id, Answer.text.is_not(None), *real_responses(survey_id))
    ).first()
    if answer is None or answer.question_id not in text_questions(definition):
        raise CodebookError(_("No such free-text answer in this questionnaire."))
    wanted = set(code_ids)
    known = set(db.session.scalars(select(Code.id).where(Code.survey_id == survey_id)))
    if wanted - known:
        raise CodebookError(_("Unknown code: choose codes of this questionnaire's codebook."))
    db.session.execute(
        delete(AnswerCode).where(
            AnswerCode.answer_id == answer_id, AnswerCode.code_id.not_in(sorted(wanted))
        )
    )
    if wanted:
        statement = _insert(AnswerCode).on_conflict_do_nothing()
        db.session.execute(
            statement,
            [{"answer_id": answer_id, "code_id": c, "tagged_by": user_id} for c in sorted(wanted)],
        )
    _changed(survey_id)


def _changed(survey_id: int) -> None:
    """The codebook's revision, raised in place (or made, at its first change)."""
    statement = _insert(CodebookRevision).values(survey_id=survey_id, revision=1)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[CodebookRevision.survey_id],
            set_={"revision": CodebookRevision.revision + 1},
        )
    )


def _insert(model):
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(model)
