"""Reads for analysis: submitted, real (not synthetic) responses and their answers."""

from datetime import datetime

from sqlalchemy import func, select

from app.extensions import db
from app.surveys import pending
from app.surveys.models import Response, SurveyVersion


def _real(survey_id: int):
    """Submitted, real and settled: a response whose answers are still a document (sent while
    this reading runs, surveys.pending) is left out, as one sent a moment later would be."""
    return (
        Response.submitted_at.is_not(None),
        Response.synthetic.is_(False),
        SurveyVersion.survey_id == survey_id,
        pending.settled(),
    )


def span(survey_id: int) -> tuple[datetime | None, datetime | None]:
    """When the first and the last real responses were sent."""
    return tuple(
        db.session.execute(
            select(func.min(Response.submitted_at), func.max(Response.submitted_at))
            .join(SurveyVersion, SurveyVersion.id == Response.version_id)
            .where(*_real(survey_id))
        ).one()
    )


def quarter(moment) -> str:
    """« 2026-4 »: the period a response was sent in, as tallied and exported."""
    return f"{moment.year}-{(moment.month - 1) // 3 + 1}"


def started(survey_id: int) -> int:
    """Real responses begun, submitted or not (the base of the completion rate)."""
    return db.session.scalar(
        select(func.count(Response.id))
        .join(SurveyVersion, SurveyVersion.id == Response.version_id)
        .where(Response.synthetic.is_(False), SurveyVersion.survey_id == survey_id)
    )


def sent(survey_id: int) -> int:
    """Real responses submitted."""
    return db.session.scalar(
        select(func.count(Response.id))
        .join(SurveyVersion, SurveyVersion.id == Response.version_id)
        .where(*_real(survey_id))
    )


def plain_cursor(query):
    """The query run on the driver's own cursor, whose plain tuples cost far less than
    SQLAlchemy's rows when millions are read (its only parameters are numbers and codes,
    written in)."""
    connection = db.session.connection()
    sql = query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
    cursor = connection.connection.cursor()
    cursor.execute(str(sql))
    return cursor
