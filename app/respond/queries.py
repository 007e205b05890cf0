"""Which questionnaire a person may answer, and where they are in it."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import defer

from app.extensions import db
from app.surveys.models import Response, Survey, SurveyVersion, validated_definition
from app.surveys.runtime import visible_pages

BRUSSELS = ZoneInfo("Europe/Brussels")


def today() -> date:
    """The date in Belgium: a questionnaire opens and closes by the local calendar."""
    return datetime.now(BRUSSELS).date()


@dataclass
class Current:
    survey: Survey
    version: SurveyVersion

    @property
    def definition(self):
        return self.version.model

    @property
    def state(self) -> str:
        return _state(self.definition)


def _state(definition) -> str:
    """open, not_yet or closed, by the dates of the definition (Brussels time)."""
    day = today()
    if definition.opens and day < definition.opens:
        return "not_yet"
    if definition.closes and day > definition.closes:
        return "closed"
    return "open"


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
        return _state(self.model)


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


def all_surveys() -> list[Current]:
    surveys = db.session.scalars(select(Survey).order_by(Survey.slug))
    return [c for c in (current(s.slug) for s in surveys) if c]


def open_surveys() -> list[Current]:
    return [c for c in all_surveys() if c.state == "open"]


def partial(response_id: int | None, survey_id: int) -> Response | None:
    if response_id is None:
        return None
    response = db.session.get(Response, response_id)
    if response is None or response.submitted_at or response.version.survey_id != survey_id:
        return None
    return response


def already_submitted(response_id: int | None, survey_id: int) -> bool:
    if response_id is None:
        return False
    response = db.session.get(Response, response_id)
    return bool(response and response.submitted_at and response.version.survey_id == survey_id)


def progress(definition, answers: dict, page_id: str) -> tuple[int, int]:
    pages = [p.id for p in visible_pages(definition, answers)]
    position = pages.index(page_id) + 1 if page_id in pages else 1
    return position, max(len(pages), 1)


def neighbour(definition, answers: dict, page_id: str, step: int) -> str | None:
    """The next (+1) or previous (-1) visible page, given the answers."""
    order = [p.id for p in definition.pages]
    visible = {p.id for p in visible_pages(definition, answers)}
    index = order.index(page_id) + step
    while 0 <= index < len(order):
        if order[index] in visible:
            return order[index]
        index += step
    return None


def first_page(definition, answers: dict) -> str | None:
    pages = visible_pages(definition, answers)
    return pages[0].id if pages else None


def minutes(definition) -> int:
    """About 15 seconds a question, rounded up to whole minutes."""
    asked = sum(1 for q in definition.questions() if q.asks)
    return max(1, -(-asked * 15 // 60))
