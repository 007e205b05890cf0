"""Definitions, their versions, responses stored as normalised answer rows, and the counts of
the submitted ones (kept with them: surveys.tallies)."""

import datetime as dt
from datetime import UTC, datetime
from functools import cached_property

from sqlalchemy import (
    JSON,
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

    version: Mapped[SurveyVersion] = relationship()
    answers: Mapped[list["Answer"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class DeletedResponse(db.Model):
    """A response its person deleted with their code: only the keyed hash of that code stays
    (nothing of the answers), so that the code used again says the answers are gone."""

    __tablename__ = "deleted_responses"

    deletion_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    deleted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class Answer(db.Model):
    """One normalised value: a choice, a number, a text, a date or a place (per question type).

    A response holds one value per item of a question (`item`: '' for a question with one value,
    the choice of a multiple choice, the row of a matrix, the place of a ranking): the database
    refuses a second one, so a double tap can never store an answer twice."""

    __tablename__ = "answers"
    __table_args__ = (
        CheckConstraint(
            "choice_id IS NOT NULL OR number IS NOT NULL OR text IS NOT NULL OR date IS NOT NULL",
            name="has_a_value",
        ),
        CheckConstraint("position IS NULL OR position >= 1", name="position_positive"),
        UniqueConstraint(
            "response_id", "question_id", "item", name="uq_answers_one_value_per_item"
        ),
        # Every value of a question in order, with its response: the analysis's crossings and
        # the free-text lists read this index alone.
        Index(
            "ix_answers_question",
            "question_id",
            "row_id",
            "choice_id",
            "position",
            "number",
            "nis",
            "response_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(40))
    item: Mapped[str] = mapped_column(String(40), default="", server_default="")
    row_id: Mapped[str | None] = mapped_column(String(40))
    choice_id: Mapped[str | None] = mapped_column(String(40))
    position: Mapped[int | None]
    number: Mapped[float | None] = mapped_column(Float(precision=53))
    text: Mapped[str | None] = mapped_column(Text)
    date: Mapped[dt.date | None] = mapped_column(Date)
    nis: Mapped[str | None] = mapped_column(ForeignKey("communes.nis"))
    section: Mapped[str | None] = mapped_column(ForeignKey("sections.code"))


# What an answer row holds besides its response.
ANSWER_VALUES = ("question_id", "item", "row_id", "choice_id", "position", "number", "text")
ANSWER_VALUES += ("date", "nis", "section")


# -- Counts of every submitted, real response's answers, changed in the transaction that submits
# or deletes it (surveys.tallies). Keys are never NULL ('' or 0 instead) so that a count is raised
# in place (an upsert).


class AnswerTally(db.Model):
    """People per answer key of a question: a choice, a matrix row's choice, a ranked choice at
    its place, a number's value, a place (kind and commune)."""

    __tablename__ = "tally_answers"
    __table_args__ = (CheckConstraint("people >= 0", name="never_negative"),)

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    choice_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[str] = mapped_column(String(40), primary_key=True)  # repr() of a number
    nis: Mapped[str] = mapped_column(String(5), primary_key=True)
    people: Mapped[int]


class QuestionTally(db.Model):
    """People who answered each question (at least one stored value)."""

    __tablename__ = "tally_questions"
    __table_args__ = (CheckConstraint("people >= 0", name="never_negative"),)

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    people: Mapped[int]


class WordTally(db.Model):
    """People who used each word in a free-text question (the type's words())."""

    __tablename__ = "tally_words"
    __table_args__ = (CheckConstraint("people >= 0", name="never_negative"),)

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    word: Mapped[str] = mapped_column(String(100), primary_key=True)
    people: Mapped[int]


class ResponseTally(db.Model):
    """Responses per channel and quarter of submission (« 2026-4 »)."""

    __tablename__ = "tally_responses"
    __table_args__ = (CheckConstraint("people >= 0", name="never_negative"),)

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(String(12), primary_key=True)
    quarter: Mapped[str] = mapped_column(String(7), primary_key=True)
    people: Mapped[int]
