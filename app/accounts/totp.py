"""Two-factor authentication with time-based one-time codes (TOTP, RFC 6238) through pyotp.

The secret is stored encrypted (Fernet, with a key derived from SECRET_KEY) and never logged.
A code is single-use: accepting it moves `users.totp_last_step` forward with a conditional
UPDATE, so a code (or an older one) that was already accepted is refused, even when two requests
carry it at the same moment. Recovery is an administrator's reset (`reset`), which also signs the
person out everywhere; they then enrol again from their account page.

Services flush; the request (or the CLI command) commits.
"""

import base64
import hashlib
import hmac
import time
import unicodedata
from datetime import UTC, datetime

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from sqlalchemy import or_, update

from app.accounts.models import User, new_session_token
from app.accounts.passwords import verify_password
from app.extensions import db

STEP = 30  # seconds a code lives
WINDOW = 1  # steps of clock drift accepted either side (a code typed as it changes)
DIGITS = 6


class TwoFactorError(ValueError):
    """A clear reason: already-enabled, not-enrolling, not-enabled, wrong-code, wrong-password."""


def _cipher() -> Fernet:
    key = hmac.new(
        current_app.config["SECRET_KEY"].encode(), b"totp-secret-encryption", hashlib.sha256
    ).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _secret(user: User) -> str | None:
    if not user.totp_secret:
        return None
    try:
        return _cipher().decrypt(user.totp_secret.encode()).decode()
    except InvalidToken:  # SECRET_KEY changed: the person needs an administrator's reset
        return None


def now_step() -> int:
    return int(time.time()) // STEP


def normalise(code: str | None) -> str:
    """What the person typed, without spaces or dashes (« 123 456 »), its digits as ASCII
    (a phone's keyboard may type full-width « １２３ » or Arabic-Indic digits)."""
    kept = (c for c in (code or "") if c not in " -\u00a0\u202f")
    return "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in kept)


def start_enrolment(user: User) -> None:
    """A new secret, not yet enabled: it is shown as a QR code until a code confirms it. Only
    while two-factor is off, decided by the UPDATE itself (a confirmation in another tab may
    have turned it on meanwhile: its secret must not be replaced)."""
    secret = _cipher().encrypt(pyotp.random_base32(32).encode()).decode()
    changed = db.session.execute(
        update(User)
        .where(User.id == user.id, User.totp_enabled_at.is_(None))
        .values(totp_secret=secret, totp_last_step=None)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(user, ["totp_secret", "totp_last_step", "totp_enabled_at"])
    if changed.rowcount != 1:
        raise TwoFactorError("already-enabled")


def enrolment(user: User) -> tuple[str, str] | None:
    """(the secret grouped by four for typing, the QR code as inline SVG) while enrolling."""
    secret = _secret(user)
    if user.two_factor_enabled or secret is None:
        return None
    issuer = current_app.config["SITE_SHORT_NAME"]
    uri = pyotp.TOTP(secret, digits=DIGITS, interval=STEP).provisioning_uri(
        name=user.email, issuer_name=issuer
    )
    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff")
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return grouped, svg


def use_code(user: User, code: str | None) -> bool:
    """True if the code is right and was never used: its time step is then recorded, in the
    same UPDATE that checks it is newer than the last one accepted (one winner in a race)."""
    secret = _secret(user)
    code = normalise(code)
    if secret is None or len(code) != DIGITS or not (code.isascii() and code.isdigit()):
        return False
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP)
    current = now_step()
    for step in range(current - WINDOW, current + WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            taken = db.session.execute(
                update(User)
                .where(
                    User.id == user.id,
                    or_(User.totp_last_step.is_(None), User.totp_last_step < step),
                )
                .values(totp_last_step=step)
                .execution_options(synchronize_session=False)
            )
            if taken.rowcount != 1:
                return False  # already used, here or in a request that just won the race
            db.session.refresh(user, ["totp_last_step"])
            return True
    return False


def confirm_enrolment(user: User, password: str, code: str | None) -> None:
    """Turned on with the password and a code of the secret just shown: a session taken over
    (a cookie, an unlocked computer) cannot tie the account to someone else's phone. The
    UPDATE turns it on only for the secret the code was checked against (another tab may have
    started again meanwhile)."""
    if user.two_factor_enabled:
        raise TwoFactorError("already-enabled")
    if _secret(user) is None:
        raise TwoFactorError("not-enrolling")
    if not verify_password(user.password_hash, password or ""):
        raise TwoFactorError("wrong-password")
    checked = user.totp_secret
    if not use_code(user, code):
        raise TwoFactorError("wrong-code")
    turned_on = db.session.execute(
        update(User)
        .where(User.id == user.id, User.totp_enabled_at.is_(None), User.totp_secret == checked)
        .values(totp_enabled_at=datetime.now(UTC))
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(user, ["totp_enabled_at"])
    if turned_on.rowcount != 1:
        raise TwoFactorError("not-enrolling")


def disable(user: User, password: str, code: str | None) -> None:
    """The person turns it off: their password and a current code are both needed."""
    if not user.two_factor_enabled:
        raise TwoFactorError("not-enabled")
    if not verify_password(user.password_hash, password or ""):
        raise TwoFactorError("wrong-password")
    if not use_code(user, code):
        raise TwoFactorError("wrong-code")
    _clear(user)
    db.session.flush()


def reset(user: User) -> None:
    """An administrator's reset for a lost phone: two-factor off, every session of the account
    signed out; the person logs in with their password and enrols again."""
    _clear(user)
    user.session_token = new_session_token()
    db.session.flush()


def _clear(user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
