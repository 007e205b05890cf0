"""The respondent's path: start, save a page, resume, submit once, delete. Services flush only."""

import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.respond import codes
from app.surveys.models import Answer, Response, SurveyVersion
from app.surveys.runtime import visible_pages, visible_questions, without_hidden
from app.surveys.services import insert_answers, read_answers
from app.surveys.types import AnswerError


def now() -> datetime:
    return datetime.now(UTC)


def new_start_key() -> str:
    return secrets.token_urlsafe(24)


def start(version: SurveyVersion, start_key: str, channel: str = "web") -> Response:
    """A partial response; the same start key (a double tap) gives back the same one."""
    existing = db.session.scalar(select(Response).where(Response.start_key == start_key))
    if existing is not None:
        return existing
    months = version.model.retention_months
    response = Response(
        version_id=version.id,
        channel=channel,
        start_key=start_key,
        expires_at=now() + timedelta(days=30 * months),
    )
    db.session.add(response)
    try:
        db.session.flush()
    except IntegrityError:  # the same start key arrived twice at once: the database decided
        db.session.rollback()
        return db.session.scalar(select(Response).where(Response.start_key == start_key))
    return response


def save_answers(response: Response, answers: dict, page_id: str | None) -> None:
    """Replace the stored answers (only what the logic shows is kept)."""
    definition = response.version.model
    answers = without_hidden(definition, answers)
    db.session.execute(delete(Answer).where(Answer.response_id == response.id))
    insert_answers(response.id, definition, answers)
    response.current_page = page_id
    db.session.flush()
    db.session.expire(response, ["answers"])


def missing_page(response: Response, answers: dict) -> str | None:
    """The first visible page with a required question left unanswered, if any."""
    definition = response.version.model
    for page in visible_pages(definition, answers):
        for question in visible_questions(page, answers):
            try:
                question.check_required(answers.get(question.id))
            except AnswerError:
                return page.id
    return None


def submit(response: Response) -> str | None:
    """Mark the response submitted exactly once; the deletion code when this call did it.

    A conditional UPDATE decided by the database: a double tap or a replayed POST finds the
    response already submitted and changes nothing.
    """
    code = codes.new_code()
    result = db.session.execute(
        update(Response)
        .where(Response.id == response.id, Response.submitted_at.is_(None))
        .values(
            submitted_at=now(),
            deletion_hash=codes.code_hash("delete", code),
            resume_hash=None,
            current_page=None,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire(response)
    return code if result.rowcount == 1 else None


def issue_resume_code(response: Response) -> str:
    code = codes.new_code()
    response.resume_hash = codes.code_hash("resume", code)
    db.session.flush()
    return code


def find_partial(survey_id: int, code: str) -> Response | None:
    normalised = codes.normalise(code)
    if normalised is None:
        return None
    return db.session.scalar(
        select(Response)
        .join(SurveyVersion, SurveyVersion.id == Response.version_id)
        .where(
            SurveyVersion.survey_id == survey_id,
            Response.resume_hash == codes.code_hash("resume", normalised),
            Response.submitted_at.is_(None),
            Response.expires_at > now(),
        )
    )


def delete_submitted(survey_id: int, code: str) -> bool:
    normalised = codes.normalise(code)
    if normalised is None:
        return False
    target = db.session.scalar(
        select(Response.id)
        .join(SurveyVersion, SurveyVersion.id == Response.version_id)
        .where(
            SurveyVersion.survey_id == survey_id,
            Response.deletion_hash == codes.code_hash("delete", normalised),
        )
    )
    if target is None:
        return False
    from app.analysis.tallies import unfold  # counted in the analysis: taken out first

    unfold(target, survey_id)
    db.session.execute(delete(Response).where(Response.id == target))
    return True


def purge_expired() -> int:
    """Partial responses past their survey's retention are deleted."""
    result = db.session.execute(
        delete(Response).where(Response.submitted_at.is_(None), Response.expires_at <= now())
    )
    return result.rowcount


def answers_of(response: Response) -> dict:
    return read_answers(response)
