"""Reads of questionnaires: their current version and state, and which responses are real.

Shared by answering, the API and the analysis, so that « the questionnaire now » and « a real,
submitted response » mean one thing everywhere."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import defer

from app.extensions import db
from app.surveys.models import Response, Survey, SurveyVersion, validated_definition

BRUSSELS = ZoneInfo("Europe/Brussels")


def real_responses(survey_id: int, begun: bool = False, versions: list | None = None) -> tuple:
    """Conditions on Response: a response to any version of the questionnaire, not synthetic
    (demos and benchmarks), and submitted (with begun=True: submitted or not, as the base of the
    completion rate). Every count, export and list of the analysis reads these responses.
    versions: the questionnaire's version ids (version_ids()), named in the query: PostgreSQL
    then knows how many responses they have (as a sub-select it guessed a few hundred of
    100,000 and chose plans that read them all for each page of an export)."""
    if versions is None:
        versions = select(SurveyVersion.id).where(SurveyVersion.survey_id == survey_id)
        versions = versions.scalar_subquery()
    found = (Response.version_id.in_(versions), Response.synthetic.is_(False))
    return found if begun else (*found, Response.submitted_at.is_not(None))


def version_ids(survey_id: int) -> list[int]:
    return list(
        db.session.scalars(select(SurveyVersion.id).where(SurveyVersion.survey_id == survey_id))
    )


def today() -> date:
    """The date in Belgium: a questionnaire opens and closes by the local calendar."""
    return datetime.now(BRUSSELS).date()


def state_of(definition) -> str:
    """open, not_yet or closed, by the dates of the definition (Brussels time)."""
    day = today()
    if definition.opens and day < definition.opens:
        return "not_yet"
    if definition.closes and day > definition.closes:
        return "closed"
    return "open"


@dataclass
class Current:
    """A questionnaire and its newest version."""

    survey: Survey
    version: SurveyVersion

    @property
    def definition(self):
        return self.version.model

    @property
    def state(self) -> str:
        return state_of(self.definition)


# Built once: the statement is the same on every request, only the slug changes.
_LATEST = (
    select(Survey, SurveyVersion)
    .join(SurveyVersion, SurveyVersion.survey_id == Survey.id)
    .where(Survey.slug == bindparam("slug"))
    .order_by(SurveyVersion.number.desc())
    .limit(1)
    # The definition (a large JSON document) is read only when this process has not
    # validated that version yet (SurveyVersion.model): not on every request.
    .options(defer(SurveyVersion.definition))
)


def current(slug: str) -> Current | None:
    row = db.session.execute(_LATEST, {"slug": slug}).first()
    return Current(*row) if row else None


def all_surveys() -> list[Current]:
    surveys = db.session.scalars(select(Survey).order_by(Survey.slug))
    return [c for c in (current(s.slug) for s in surveys) if c]


def open_surveys() -> list[Current]:
    return [c for c in all_surveys() if c.state == "open"]


@dataclass(frozen=True)
class LatestVersion:
    """The newest version of a questionnaire as plain values: the API's submission path needs
    no ORM objects (loading two entities cost more than validating the answers)."""

    survey_id: int
    id: int
    number: int
    checksum: str

    @property
    def model(self):
        return validated_definition(self.id, self.checksum, self._document)

    def _document(self) -> dict:
        return db.session.scalar(
            select(SurveyVersion.definition).where(SurveyVersion.id == self.id)
        )

    @property
    def state(self) -> str:
        return state_of(self.model)


_LATEST_VERSION = (
    select(SurveyVersion.survey_id, SurveyVersion.id, SurveyVersion.number, SurveyVersion.checksum)
    .join(Survey, SurveyVersion.survey_id == Survey.id)
    .where(Survey.slug == bindparam("slug"))
    .order_by(SurveyVersion.number.desc())
    .limit(1)
)


def latest_version(slug: str) -> LatestVersion | None:
    row = db.session.connection().execute(_LATEST_VERSION, {"slug": slug}).first()
    return LatestVersion(*row) if row else None


def newest_version(survey: Survey) -> SurveyVersion | None:
    return db.session.scalar(
        select(SurveyVersion)
        .where(SurveyVersion.survey_id == survey.id)
        .order_by(SurveyVersion.number.desc())
        .limit(1)
    )
