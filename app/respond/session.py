"""What the browser keeps between pages: which partial response is theirs, and kiosk mode.

The session cookie is signed, not encrypted: anyone holding it can read it. So it never holds a
resume or deletion code (those are shown in the reply that made them, and nowhere else).
"""

import time

from flask import after_this_request, current_app, session

from app.i18n import LANGUAGE_COOKIE

KEY = "respond"
KIOSK = "kiosk"  # the slug of the questionnaire a shared tablet is set up for
SEEN = "kiosk_seen"  # when this kiosk last heard from the person (seconds since the epoch)


def response_id(slug: str) -> int | None:
    return session.get(KEY, {}).get(slug)


def remember(slug: str, response_id: int) -> None:
    session[KEY] = session.get(KEY, {}) | {slug: response_id}


def kiosk() -> bool:
    return bool(session.get(KIOSK))


def kiosk_slug() -> str | None:
    slug = session.get(KIOSK)
    return slug if isinstance(slug, str) else None


def start_kiosk(slug: str) -> None:
    """A fresh session for a shared tablet: whoever was signed in on it is signed out, and the
    language the previous person chose is forgotten too (it would tell the next one)."""
    session.clear()
    session[KIOSK] = slug
    session[SEEN] = time.time()

    @after_this_request
    def forget_language(response):
        response.delete_cookie(LANGUAGE_COOKIE)
        return response


def reset_for_next_person() -> None:
    """Kiosk: nothing of the previous person stays in the browser's session."""
    start_kiosk(kiosk_slug() or "")


def kiosk_idle() -> float:
    return float(current_app.config["KIOSK_IDLE_SECONDS"])


def kiosk_expired() -> bool:
    """The person at the tablet has been silent for the idle delay: the next one may be there."""
    seen = session.get(SEEN)
    return not isinstance(seen, int | float) or time.time() - seen >= kiosk_idle()


def kiosk_heard() -> None:
    session[SEEN] = time.time()
