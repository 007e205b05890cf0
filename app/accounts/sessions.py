"""Login sessions: begun fresh, timed out on the server, two-factor state, the pending login.

The session cookie is signed with SECRET_KEY, so the times written in it cannot be changed by
the browser. Each request checks them before any view runs:

- idle: no request for STAFF_IDLE_MINUTES (default 30) ends the session;
- absolute: STAFF_MAX_HOURS (default 12) after the login it ends, however active.

A session without these times (made before they existed, or forged without them) has expired.
The cookie names the account by its session token, which logout and a password change replace:
a copied cookie then names nobody.
"""

import time
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.accounts.models import User
from app.extensions import db
from app.navigation import local_path
from app.privacy import keyed_hash

AUTH_AT, SEEN_AT, TWO_FACTOR = "_auth_at", "_seen_at", "_2fa"
PENDING = "_pending_2fa"  # [user id, keyed hash of its session token, when the password was right]
PENDING_SECONDS = 300  # the code must follow the password within five minutes


def now() -> float:
    return time.time()


def begin(user: User, two_factor: bool = False) -> None:
    """A fresh session for the person: nothing carried over (no fixation), times from now."""
    session.clear()
    login_user(user)
    session[AUTH_AT] = session[SEEN_AT] = now()
    session[TWO_FACTOR] = two_factor


def two_factor_verified() -> bool:
    """Logged in, two-factor enabled on the account, and a code given in this session."""
    return bool(
        current_user.is_authenticated
        and current_user.two_factor_enabled
        and session.get(TWO_FACTOR) is True
    )


def mark_two_factor(verified: bool) -> None:
    session[TWO_FACTOR] = verified


def _expired(at: float) -> bool:
    auth_at, seen_at = session.get(AUTH_AT), session.get(SEEN_AT)
    if not isinstance(auth_at, int | float) or not isinstance(seen_at, int | float):
        return True
    idle, most = current_app.config["STAFF_IDLE_MINUTES"], current_app.config["STAFF_MAX_HOURS"]
    return at - seen_at > idle * 60 or at - auth_at > most * 3600


def enforce_timeouts():
    """before_request: end an expired session, and send the person to log in again, with the
    page they were on kept as `next`; otherwise restart the idle clock."""
    if "_user_id" not in session:
        return None
    at = now()
    if not _expired(at):
        session[SEEN_AT] = at
        return None
    logout_user()
    session.clear()
    flash(_("Your session has expired. Log in again to continue."), "info")
    if request.endpoint in ("accounts.login", "static") or request.path.startswith("/api/"):
        return None
    return redirect(url_for("accounts.login", next=_where_they_were()))


def _where_they_were() -> str | None:
    if request.method == "GET":
        return local_path(request.full_path.rstrip("?"))
    referrer = urlsplit(request.referrer or "")
    same_site = not referrer.netloc or referrer.netloc == request.host
    path = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return local_path(path) if same_site else None


def hold(user: User) -> None:
    """The password was right and a code is needed: nobody is logged in until it is given."""
    session.clear()
    session[PENDING] = [user.id, keyed_hash(user.session_token), now()]


def pending_user() -> User | None:
    """The account waiting for its code, while the wait lasts and nothing changed meanwhile
    (a password change or a logout elsewhere changes the session token)."""
    held = session.get(PENDING)
    if not isinstance(held, list) or len(held) != 3:
        return None
    user_id, token_hash, at = held
    if not isinstance(at, int | float) or now() - at > PENDING_SECONDS:
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active or keyed_hash(user.session_token) != token_hash:
        return None
    return user


def pending_key() -> str:
    """Rate-limit key of the code step: the account waiting (its id, keyed-hashed)."""
    held = session.get(PENDING)
    return "code:" + keyed_hash(str(held[0] if isinstance(held, list) and held else ""))
