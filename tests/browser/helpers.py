"""Small helpers for the browser tests: accounts made directly in the shared database."""

import time
import uuid
from dataclasses import dataclass

from app import create_app
from app.extensions import db
from tests.conftest import make_config

PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class Account:
    email: str
    password: str
    session_token: str


def create_account(
    database_url: str, role: str = "admin", password: str = PASSWORD, two_factor: bool = False
) -> Account:
    """A new account with a unique email (the browser tests share the session database)."""
    from app.accounts.services import create_user
    from tests.conftest import enrol_two_factor

    app = create_app(make_config(database_url))
    with app.app_context():
        email = f"{role}-browser-{uuid.uuid4().hex[:8]}@example.be"
        user = create_user(email, f"Browser {role}", role, password)
        if two_factor:
            enrol_two_factor(user)
        db.session.commit()
        account = Account(email, password, user.session_token)
        db.session.remove()
        db.engine.dispose()
    return account


def sign_in(
    page, base_url: str, database_url: str, role: str = "admin", two_factor: bool = False
) -> Account:
    """Give the browser a logged-in session without going through the login form.

    The form itself is tested in test_login.py; pages that only need a logged-in person get
    a session cookie signed with the same secret, so they stay clear of the login rate limit.
    """
    account = create_account(database_url, role, two_factor=two_factor)
    app = create_app(make_config(database_url))
    now = time.time()  # the session's login and last-request times (app/accounts/sessions.py)
    session = {"_user_id": account.session_token, "_fresh": True, "_auth_at": now, "_seen_at": now}
    if two_factor:  # as if the code had been given at this login
        session["_2fa"] = True
    cookie = app.session_interface.get_signing_serializer(app).dumps(session)
    page.context.add_cookies(
        [{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": base_url}]
    )
    return account


def tab_to(page, selector: str, limit: int = 40) -> int:
    """Press Tab until the element matching selector has focus; return how many presses."""
    target = page.locator(selector)
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return presses
    raise AssertionError(f"{selector} never got the focus in {limit} Tab presses")


def published(slug: str) -> None:
    """The committee's publication of a questionnaire's figures, once (what the public and
    partners read); inside an application context."""
    from app.analysis.releases.queries import latest
    from app.analysis.releases.services import publish
    from app.extensions import db
    from app.surveys.queries import current

    found = current(slug)
    if latest(found.survey.id) is None:
        publish(found)
        db.session.commit()
