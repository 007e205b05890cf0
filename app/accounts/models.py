import secrets
from datetime import UTC, datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.territory.models import PlaceColumns, place_constraints


class Role(StrEnum):
    ADMIN = "admin"
    FACILITATOR = "facilitator"
    COMMITTEE = "committee"
    PARTNER = "partner"


def _now() -> datetime:
    return datetime.now(UTC)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(PlaceColumns, UserMixin, db.Model):
    """A person with an account: staff and partners. Citizens answer without one."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"role IN {tuple(r.value for r in Role)}", name="known_role"),
        CheckConstraint("email = lower(email)", name="email_lower_case"),
        CheckConstraint("locale IS NULL OR locale IN ('fr', 'nl', 'de', 'en')", name="locale"),
        # Two-factor authentication is on only with a secret to check the codes against.
        CheckConstraint(
            "totp_enabled_at IS NULL OR totp_secret IS NOT NULL", name="totp_has_a_secret"
        ),
        *place_constraints(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(2))
    # The login session carries this token, not the id: changing it signs the person out everywhere.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # TOTP (app/accounts/totp.py): the secret, encrypted (Fernet, key derived from SECRET_KEY);
    # set but not enabled while the person enrols. The last time step accepted, moved forward
    # only by a conditional UPDATE, makes each code single-use even under parallel requests.
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_enabled_at is not None

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.active

    def has_role(self, *roles: str) -> bool:
        return self.role == Role.ADMIN or self.role in roles


class PartnerCommune(db.Model):
    """A commune whose aggregates a partner organisation may read (none: every commune)."""

    __tablename__ = "partner_communes"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    nis: Mapped[str] = mapped_column(ForeignKey("communes.nis"), primary_key=True)


class PartnerTheme(db.Model):
    """A sector (theme) whose questions a partner organisation may read (none: every theme)."""

    __tablename__ = "partner_themes"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    theme: Mapped[str] = mapped_column(ForeignKey("themes.slug"), primary_key=True)


class ApiToken(db.Model):
    """A bearer token for the results API. Only its SHA-256 is stored (it is 256 random bits, so
    a plain hash is enough); it reads with its owner's rights, until revoked."""

    __tablename__ = "api_tokens"
    __table_args__ = (CheckConstraint("length(label) > 0", name="label_given"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class AuditEntry(db.Model):
    """Something done that must be answerable for later: who downloaded the raw responses, when,
    of which questionnaire. Kept when the account is removed (the person's id then empty)."""

    __tablename__ = "audit_entries"
    __table_args__ = (CheckConstraint("length(action) > 0", name="action_given"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(String(255), default="")
