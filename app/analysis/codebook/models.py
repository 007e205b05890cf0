"""The codebook of a questionnaire: codes (themes) the committee gives to free-text answers.

An answer may carry several codes; a code counts like a choice of a question (see
analysis.counting). Deleting a code takes it off every answer; deleting a response takes its
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
