"""Definitions, their versions, and responses stored as normalised answer rows."""

import datetime as dt
from datetime import UTC, datetime
from functools import cached_property

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

CHANNELS = ("web", "kiosk", "paper", "synthetic")
_MODELS: dict = {}  # (version id, checksum) → SurveyDefinition


def _now() -> datetime:
    return datetime.now(UTC)


class Survey(db.Model):
    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)

    versions: Mapped[list["SurveyVersion"]] = relationship(
        back_populates="survey", order_by="SurveyVersion.number"
    )


class SurveyVersion(db.Model):
    """One loaded state of a definition file. Responses point to the version they answered."""

    __tablename__ = "survey_versions"
    __table_args__ = (
        UniqueConstraint("survey_id", "number"),
        CheckConstraint("number >= 1", name="positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    number: Mapped[int]
    checksum: Mapped[str] = mapped_column(String(64))
    definition: Mapped[dict] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(255))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)

    survey: Mapped[Survey] = relationship(back_populates="versions")

    @cached_property
    def model(self):
        return validated_definition(self.id, self.checksum, lambda: self.definition)


def validated_definition(version_id: int, checksum: str, document):
    """A version never changes: each process validates its definition once, not per request.
    document() gives the stored JSON, and is called only when this process lacks it."""
    cached = _MODELS.get((version_id, checksum))
    if cached is None:
        from app.surveys.definition import SurveyDefinition

        cached = SurveyDefinition.model_validate(document())
        _MODELS[(version_id, checksum)] = cached
    return cached


class Response(db.Model):
    __tablename__ = "responses"
    __table_args__ = (
        CheckConstraint(f"channel IN {CHANNELS}", name="known_channel"),
        CheckConstraint(
            "(channel = 'synthetic' AND synthetic) OR (channel <> 'synthetic' AND NOT synthetic)",
            name="synthetic_channel",
        ),
        Index("ix_responses_version_id", "version_id"),
        Index("ix_responses_tallied_in", "tallied_in"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("survey_versions.id"))
    channel: Mapped[str] = mapped_column(String(12))
    # Generated for demos and benchmarks: left out of real analyses unless asked for.
    synthetic: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    # NULL while the response is partial (saved page by page); set once, atomically, at submit.
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # One response per start form (a double tap on « Start » makes one) and per API key.
    start_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    payload_hash: Mapped[str | None] = mapped_column(String(64))
    # Codes given to the person are stored as keyed hashes only.
    resume_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    deletion_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    current_page: Mapped[str | None] = mapped_column(String(40))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The fold that counted this submitted response in the analysis tallies (NULL: not yet).
    tallied_in: Mapped[int | None] = mapped_column(BigInteger)

    version: Mapped[SurveyVersion] = relationship()
    answers: Mapped[list["Answer"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    pending: Mapped["PendingAnswers | None"] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class PendingAnswers(db.Model):
    """The answer rows of a response sent whole through the API, kept as one document until
    they are written out as answer rows (surveys.pending.settle): a submission writes one row
    besides its response instead of thirty, and the analysis settles them before it reads."""

    __tablename__ = "pending_answers"

    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    document: Mapped[str] = mapped_column(Text)


class Answer(db.Model):
    """One normalised value: a choice, a number, a text, a date or a place (per question type)."""

    __tablename__ = "answers"
    __table_args__ = (
        CheckConstraint(
            "choice_id IS NOT NULL OR number IS NOT NULL OR text IS NOT NULL OR date IS NOT NULL",
            name="has_a_value",
        ),
        CheckConstraint("position IS NULL OR position >= 1", name="position_positive"),
        Index("ix_answers_response_id", "response_id"),
        Index("ix_answers_question", "question_id", "choice_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str | None] = mapped_column(String(40))
    choice_id: Mapped[str | None] = mapped_column(String(40))
    position: Mapped[int | None]
    number: Mapped[float | None] = mapped_column(Float(precision=53))
    text: Mapped[str | None] = mapped_column(Text)
    date: Mapped[dt.date | None] = mapped_column(Date)
    nis: Mapped[str | None] = mapped_column(ForeignKey("communes.nis"))
    section: Mapped[str | None] = mapped_column(ForeignKey("sections.code"))

    def as_row(self) -> dict:
        return {k: getattr(self, k) for k in ANSWER_VALUES}


# What an answer row holds besides its response (as_row(), and the documents of surveys.pending).
ANSWER_VALUES = ("question_id", "row_id", "choice_id", "position", "number", "text", "date")
ANSWER_VALUES += ("nis", "section")
