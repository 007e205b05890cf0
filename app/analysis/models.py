"""The codebook of a questionnaire: codes (themes) the committee gives to free-text answers.

An answer may carry several codes; a code counts like a choice of a question (see
analysis.codebook). Deleting a code takes it off every answer; deleting a response takes its
answers' codes with it."""

from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


def _now() -> datetime:
    return datetime.now(UTC)


class Code(db.Model):
    __tablename__ = "codebook_codes"
    __table_args__ = (
        UniqueConstraint("survey_id", "label_key", name="one_label_per_survey"),
        CheckConstraint("length(label) > 0", name="label_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(80))
    # The label folded (case, spaces): « Transport » and « transport » are one code.
    label_key: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class AnswerCode(db.Model):
    __tablename__ = "answer_codes"
    __table_args__ = (Index("ix_answer_codes_code_id", "code_id"),)

    answer_id: Mapped[int] = mapped_column(
        ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True
    )
    code_id: Mapped[int] = mapped_column(
        ForeignKey("codebook_codes.id", ondelete="CASCADE"), primary_key=True
    )
    tagged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    tagged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class CodebookRevision(db.Model):
    """Raised at every change of a questionnaire's codebook or of its answers' codes: the
    kept readings (analysis.cache) hold it in their key."""

    __tablename__ = "codebook_revisions"

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True
    )
    revision: Mapped[int] = mapped_column(default=0)


# -- Tallies: every submitted, real response's answers, counted once (see analysis.tallies).
# Keys are never NULL ('' or 0 instead) so that a count can be raised in place (an upsert).


class AnswerTally(db.Model):
    """People per answer key of a question: a choice, a matrix row's choice, a ranked choice at
    its place, a number's value, a place (kind and commune)."""

    __tablename__ = "tally_answers"

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

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    people: Mapped[int]


class WordTally(db.Model):
    """People who used each word in a free-text question (analysis.words)."""

    __tablename__ = "tally_words"

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    word: Mapped[str] = mapped_column(String(100), primary_key=True)
    people: Mapped[int]


class ResponseTally(db.Model):
    """Responses per channel and quarter of submission (« 2026-4 »)."""

    __tablename__ = "tally_responses"

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(String(12), primary_key=True)
    quarter: Mapped[str] = mapped_column(String(7), primary_key=True)
    people: Mapped[int]


class PairTally(db.Model):
    """People per category of each one-answer breakdown (`second` empty), and per pair of
    categories of two of them: what cross-tabulations, groups and weighting are made of
    (analysis.pairs). A breakdown is a question that takes one answer per person (its id), a
    matrix row (« question.row ») or the response's channel or quarter (« @channel », « @period »);
    a category is the answer's code (choice id, scale point, NIS code or kind of place)."""

    __tablename__ = "tally_pairs"
    __table_args__ = (
        # Each pair is kept once, its two breakdowns in code-point order (analysis.pairs; not
        # a constraint: PostgreSQL's collation orders « @channel » and « age » otherwise). A
        # breakdown's pairs are read from either side: the primary key serves `first`, this
        # index `second`.
        CheckConstraint("second <> '' OR second_value = ''", name="one_way_alone"),
        Index("ix_tally_pairs_second", "survey_id", "second"),
    )

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True
    )
    first: Mapped[str] = mapped_column(String(81), primary_key=True)
    first_value: Mapped[str] = mapped_column(String(40), primary_key=True)
    second: Mapped[str] = mapped_column(String(81), primary_key=True)
    second_value: Mapped[str] = mapped_column(String(40), primary_key=True)
    people: Mapped[int]
