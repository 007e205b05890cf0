"""A release: one questionnaire's counts as published (aggregates only, never an answer)."""

from datetime import UTC, datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    LargeBinary,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


def _now() -> datetime:
    return datetime.now(UTC)


class Release(db.Model):
    __tablename__ = "releases"
    __table_args__ = (
        # Two committee members publishing at once: the second finds its number taken.
        UniqueConstraint("survey_id", "number", name="one_number_per_survey"),
        CheckConstraint("number >= 1", name="positive_number"),
        CheckConstraint("responses >= 0", name="responses_counted"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    number: Mapped[int]
    # The version whose definition the figures are read with.
    version_id: Mapped[int] = mapped_column(ForeignKey("survey_versions.id"))
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    # None when the platform published it (the questionnaire closed) or the person is gone.
    published_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    responses: Mapped[int]  # real, submitted responses counted
    # The newest response counted: responses after it are the « new » ones of the next release.
    last_response_id: Mapped[int] = mapped_column(default=0)
    # The counts, zlib-compressed JSON (releases.frozen): aggregates, as the pages read them.
    counts: Mapped[bytes] = mapped_column(LargeBinary)
