"""Bearer tokens for the results API: shown once when issued, stored as a SHA-256 only."""

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import select

from app.accounts.models import ApiToken, Role, User
from app.extensions import db

PREFIX = "pisem_"  # recognisable in a leaked file or a secret scanner
MAX_LABEL = 80


class TokenError(ValueError):
    """A clear reason why a token cannot be issued (missing-label, not-allowed)."""


def digest(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


def may_hold_tokens(user: User) -> bool:
    """Committee and partners read the results API with a token; facilitators send whole
    responses with one (paper typed in, a tablet's answers), which anonymous clients may not."""
    return user.has_role(Role.COMMITTEE, Role.PARTNER, Role.FACILITATOR)


def may_enter_responses(user: User) -> bool:
    """Who may send answers as collected on paper or on a shared tablet."""
    return user.has_role(Role.FACILITATOR, Role.COMMITTEE)


def issue(user: User, label: str) -> tuple[ApiToken, str]:
    """A new token for the user; the plain value is returned once and never stored."""
    label = "".join(ch for ch in (label or "") if ch.isprintable()).strip()
    if not label or len(label) > MAX_LABEL:
        raise TokenError("missing-label")
    if not may_hold_tokens(user):
        raise TokenError("not-allowed")
    plain = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, label=label, token_hash=digest(plain))
    db.session.add(token)
    db.session.flush()
    return token, plain


def revoke(user: User, token_id: int) -> bool:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        return False
    token.revoked_at = datetime.now(UTC)
    db.session.flush()
    return True


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at)
        )
    )


def holder(plain: str) -> User | None:
    """The active account a live token belongs to, or None."""
    if not plain.startswith(PREFIX) or len(plain) > 100:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(plain)))
    if token is None or token.revoked_at is not None:
        return None
    user = token.user
    if not user.active or not may_hold_tokens(user):
        return None
    token.last_used_at = datetime.now(UTC)
    return user
