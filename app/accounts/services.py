"""Account writes. Services flush; the request (or the CLI command) commits."""

import re
from datetime import UTC, datetime

from sqlalchemy import func, select

from app.accounts.models import Role, User, new_session_token
from app.accounts.passwords import MIN_LENGTH, hash_password, needs_rehash, verify_password
from app.extensions import db
from app.territory.places import Place

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class AccountError(ValueError):
    """A clear, user-facing reason why an account could not be created or changed."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(email: str, display_name: str, role: str, password: str) -> User:
    email = normalise_email(email)
    if not EMAIL.fullmatch(email) or len(email) > 254:
        raise AccountError("invalid-email")
    if role not in {r.value for r in Role}:
        raise AccountError("unknown-role")
    if len(password) < MIN_LENGTH:
        raise AccountError("short-password")
    if not display_name.strip():
        raise AccountError("missing-name")
    if db.session.scalar(select(func.count()).where(User.email == email)):
        raise AccountError("email-taken")
    user = User(
        email=email,
        display_name=display_name.strip()[:120],
        role=role,
        password_hash=hash_password(password),
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user if the email and password match an active account; None otherwise, same cost."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if not verify_password(user.password_hash if user else None, password):
        return None
    if not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = datetime.now(UTC)
    db.session.flush()
    return user


def update_profile(user: User, display_name: str, locale: str | None, place: Place | None) -> None:
    user.display_name = display_name.strip()[:120]
    user.locale = locale or None
    columns = place.columns() if place else dict.fromkeys(Place("").columns())
    for name, value in columns.items():
        setattr(user, name, value)
    db.session.flush()


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise AccountError("wrong-password")
    if len(new) < MIN_LENGTH:
        raise AccountError("short-password")
    user.password_hash = hash_password(new)
    user.session_token = new_session_token()  # other sessions end
    db.session.flush()
