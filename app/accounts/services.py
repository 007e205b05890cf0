"""Account writes. Services flush; the request (or the CLI command) commits."""

import re
from datetime import UTC, datetime

from sqlalchemy import func, select

from app.accounts.models import Role, User, new_session_token
from app.accounts.passwords import (
    MIN_LENGTH,
    hash_password,
    needs_rehash,
    personal_words,
    verify_password,
    weakness,
)
from app.extensions import db
from app.territory.places import Place

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class AccountError(ValueError):
    """A clear, user-facing reason why an account could not be created or changed."""


class WeakPassword(AccountError):
    """A password too easy to guess; `warning` is zxcvbn's reason in English ("" if none)."""

    def __init__(self, warning: str):
        super().__init__("weak-password")
        self.warning = warning


def check_password(password: str, email: str, display_name: str) -> None:
    """Refuse a short password, or one zxcvbn guesses easily (with the account's own words)."""
    if len(password) < MIN_LENGTH:
        raise AccountError("short-password")
    warning = weakness(password, personal_words(email, display_name))
    if warning is not None:
        raise WeakPassword(warning)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(email: str, display_name: str, role: str, password: str) -> User:
    email = normalise_email(email)
    if not EMAIL.fullmatch(email) or len(email) > 254:
        raise AccountError("invalid-email")
    if role not in {r.value for r in Role}:
        raise AccountError("unknown-role")
    if not display_name.strip():
        raise AccountError("missing-name")
    if db.session.scalar(select(func.count()).where(User.email == email)):
        raise AccountError("email-taken")
    check_password(password, email, display_name)
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
    if new == current:
        raise AccountError("same-password")
    check_password(new, user.email, user.display_name)
    user.password_hash = hash_password(new)
    user.session_token = new_session_token()  # every other session ends
    db.session.flush()


def sign_out_everywhere(user: User) -> None:
    """A new session token: every session that carried the old one (this browser's, a copied
    cookie, another computer's) no longer names anyone."""
    user.session_token = new_session_token()
    db.session.flush()
