"""What the fuzzers share: the app with its rate limits out of the way (a fuzzer sends hundreds
of requests a minute from one address, and a 429 would hide the code behind the limit), the
every-type questionnaire open, an account of each role and a results-API token."""

import pytest

from app.extensions import db

ROLES = ("admin", "committee", "partner", "facilitator")
LIMITS = (
    "LOGIN_RATE_LIMIT",
    "LOGIN_ACCOUNT_RATE_LIMIT",
    "LOGIN_CODE_RATE_LIMIT",
    "RESUME_RATE_LIMIT",
    "START_RATE_LIMIT",
    "API_SUBMIT_RATE_LIMIT",
)


@pytest.fixture
def app(app):
    for key in LIMITS:  # read per request: raised here, for this app only
        app.config[key] = "100000 per minute"
    return app


@pytest.fixture
def accounts(app, make_user, monkeypatch) -> dict:
    """One account per role (password « correct horse battery »), hashed with the cheapest
    Argon2 parameters: a fuzzer checks passwords hundreds of times, at ~0.2 s each otherwise."""
    from argon2 import PasswordHasher

    from app.accounts import passwords

    cheap = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    monkeypatch.setattr(passwords, "_DUMMY", cheap.hash("not a real password"))
    # Committee and admin with two-factor on, so the fuzzer reaches the response-level pages.
    return {role: make_user(role, two_factor=role in ("committee", "admin")) for role in ROLES}


@pytest.fixture
def api_token(accounts) -> str:
    from app.accounts import tokens

    _token, plain = tokens.issue(accounts["committee"], "fuzzing")
    db.session.commit()
    return plain
