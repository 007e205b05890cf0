"""Reads of surveys and submitted responses. Synthetic ones are left out unless asked for."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.surveys.models import Response, Survey, SurveyVersion


def survey(slug: str) -> Survey | None:
    return db.session.scalar(select(Survey).where(Survey.slug == slug))


def responses(slug: str, include_synthetic: bool = False) -> list[Response]:
    query = (
        select(Response)
        .join(SurveyVersion, SurveyVersion.id == Response.version_id)
        .join(Survey, Survey.id == SurveyVersion.survey_id)
        .where(Survey.slug == slug, Response.submitted_at.is_not(None))
        .options(
            selectinload(Response.answers),
            selectinload(Response.pending),
            selectinload(Response.version),
        )
        .order_by(Response.id)
    )
    if not include_synthetic:
        query = query.where(Response.synthetic.is_(False))
    return list(db.session.scalars(query))


def question_summary(slug: str, question_id: str, include_synthetic: bool = False) -> dict:
    """A question's summary over every version's responses (ids are stable across versions)."""
    from app.surveys.services import read_answers

    found = responses(slug, include_synthetic)
    if not found:
        return {"answered": 0, "skipped": 0}
    question = found[-1].version.model.question(question_id)
    values = [read_answers(r).get(question_id) for r in found]
    return question.summary(values)
