"""Shared fixtures: app, client, runner, database; real PostgreSQL, Redis and Chromium on demand.

SQLite by default. With TEST_DB_BACKEND=postgresql the same suite runs on TEST_DATABASE_URL.
Under CI=true a test that needs PostgreSQL, Redis or Chromium fails instead of skipping.
"""

import contextvars
import os
import uuid
from datetime import date
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import MetaData, delete

from app import create_app
from app.extensions import db

pytest_plugins = ["tests.log_audit"]  # the run fails if any log line names or gives away anything
CI = os.environ.get("CI") == "true"
REFERENCE_TABLES = {"communes", "sections", "section_postcodes", "themes", "alembic_version"}


def require(reason: str):
    """Skip when a service is missing, but fail under CI where it must be there."""
    if CI:
        pytest.fail(f"required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def postgres_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        require("TEST_DATABASE_URL is not set")
    return url


def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        require("TEST_REDIS_URL is not set")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        require(f"Redis at {url} is not reachable: {error}")
    return url


def make_config(database_url: str, **overrides) -> dict:
    return {
        "TESTING": True,
        "APP_ENV": "development",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        # A prefix per app, so limits counted in a shared Redis never leak between tests.
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
        **overrides,
    }


def prepare_database(url: str) -> None:
    """Empty the database, migrate it from scratch and load the reference data."""
    from flask_migrate import upgrade

    from app.territory.services import load_reference_data

    app = create_app(make_config(url))
    with app.app_context():
        existing = MetaData()
        existing.reflect(db.engine)
        existing.drop_all(db.engine)
        upgrade()
        load_reference_data()
        db.session.commit()
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if os.environ.get("TEST_DB_BACKEND") == "postgresql":
        url = postgres_url()
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    prepare_database(url)
    return url


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(make_config(database_url, INSTANCE_PATH=str(tmp_path / "instance")))
    with app.app_context():
        yield app
        db.session.rollback()
        # Isolation: everything but the reference data goes after each test.
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in REFERENCE_TABLES:
                db.session.execute(delete(table))
        db.session.commit()
        db.session.remove()


class FreshContextClient(FlaskClient):
    """Each request gets its own app context (fresh g, fresh DB session), as on a real server.

    Without this, Flask reuses the app context the fixture pushed, and state such as the
    logged-in user cached in g would leak from one request to the next.
    """

    def open(self, *args, **kwargs):
        # buffered: a streamed body is read inside the same context, as a server would
        kwargs.setdefault("buffered", True)
        response = contextvars.Context().run(super().open, *args, **kwargs)
        db.session.expire_all()  # the test's own session sees what the request committed
        return response


@pytest.fixture
def client(app):
    app.test_client_class = FreshContextClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def fresh_database(tmp_path) -> str:
    """An empty SQLite database URL (no tables), for tests of migrations and loading."""
    return f"sqlite:///{tmp_path / 'fresh.db'}"


@pytest.fixture
def make_user(app):
    from app.accounts.services import create_user

    def make(
        role="admin",
        email=None,
        password="correct horse battery",
        name="Test Person",
        two_factor=False,
    ):
        user = create_user(
            email or f"{role}-{uuid.uuid4().hex[:6]}@example.be", name, role, password
        )
        if two_factor:  # enrolled and confirmed, as from the account page
            enrol_two_factor(user)
        db.session.commit()
        return user

    return make


def enrol_two_factor(user) -> None:
    from datetime import UTC, datetime

    from app.accounts import totp

    totp.start_enrolment(user)
    user.totp_enabled_at = datetime.now(UTC)
    db.session.flush()


def totp_code(user) -> str:
    """A code the account accepts now: the current time step's, or the next one's when the
    current one was already used (a code is single-use; one step ahead is accepted)."""
    import pyotp

    from app.accounts import totp

    db.session.refresh(user)
    step = max(totp.now_step(), (user.totp_last_step or 0) + 1)
    return pyotp.TOTP(totp._secret(user)).generate_otp(step)


@pytest.fixture
def login(client):
    """Log in through the form; with two-factor on, give the code too (the session is then
    allowed response-level exports)."""

    def do(user, password="correct horse battery"):
        response = client.post("/connexion", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.data
        if response.headers["Location"].startswith("/connexion/code"):
            response = client.post(response.headers["Location"], data={"code": totp_code(user)})
            assert response.status_code == 302, response.data
        return response

    return do


def project_root() -> Path:
    return Path(__file__).resolve().parent.parent


EVERY_TYPE = Path(__file__).parent / "surveys" / "definitions" / "valid" / "every-type.yaml"
IN_CAMPAIGN = date(2027, 1, 10)  # every-type is open from 2026-12-01 to 2027-03-31


@pytest.fixture
def survey(app, monkeypatch):
    """every-type loaded and open (the calendar is fixed inside its campaign)."""
    from app.surveys.services import load_paths

    load_paths([EVERY_TYPE])
    db.session.commit()
    monkeypatch.setattr("app.surveys.queries.today", lambda: IN_CAMPAIGN)
    from app.surveys.queries import current

    return current("every-type")
