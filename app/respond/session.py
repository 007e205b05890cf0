"""What the browser keeps between pages: which partial response is theirs, and kiosk mode."""

from flask import session

KEY = "respond"


def response_id(slug: str) -> int | None:
    return session.get(KEY, {}).get(slug)


def remember(slug: str, response_id: int) -> None:
    session[KEY] = session.get(KEY, {}) | {slug: response_id}


def kiosk() -> bool:
    return bool(session.get("kiosk"))


def start_kiosk() -> None:
    session.clear()
    session["kiosk"] = True


def reset_for_next_person() -> None:
    """Kiosk: nothing of the previous person stays in the browser's session."""
    session.clear()
    session["kiosk"] = True


def hand_over(name: str, value: str) -> None:
    """A value shown once on the next page (a code), then gone from the session."""
    session[f"once:{name}"] = value


def take(name: str) -> str | None:
    return session.pop(f"once:{name}", None)
