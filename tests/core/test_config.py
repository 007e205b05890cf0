import os
import subprocess
import sys

import pytest
from sqlalchemy import text

from app import create_app
from app.config import ConfigError, database_uri
from app.extensions import db
from tests.conftest import make_config, project_root


def test_sqlite_in_the_instance_folder_by_default(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'concertation.db'}"


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 20000


def test_postgresql_urls_use_psycopg_3():
    assert database_uri("postgresql://u:p@db:5432/x") == "postgresql+psycopg://u:p@db:5432/x"
    assert database_uri("postgresql+psycopg://u@db/x") == "postgresql+psycopg://u@db/x"


@pytest.mark.parametrize("url", ["nonsense", "mysql://u@h/db", "://"])
def test_a_wrong_database_url_names_the_setting(url):
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        database_uri(url)


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@127.0.0.1:1/nowhere")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"
    # No database work in create_app: an unreachable database does not stop it.
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


def test_postgresql_gives_times_in_utc_whatever_its_zone(app):
    """A response's quarter (tallies, exports, a period's group) is read from UTC times, as
    SQLite stores them, even on a server set to Europe/Brussels."""
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    if db.engine.dialect.name != "postgresql":
        assert "connect_args" not in options
        pytest.skip("PostgreSQL setting")
    assert options["connect_args"]["options"] == "-c timezone=UTC"
    with db.engine.connect() as connection:
        assert connection.execute(text("SHOW timezone")).scalar() == "UTC"


def test_a_missing_secret_key_is_generated_once_into_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    second = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    assert first == second and len(first) >= 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_an_unknown_app_env_is_refused(database_url, tmp_path):
    with pytest.raises(ConfigError, match="APP_ENV"):
        create_app(make_config(database_url, APP_ENV="staging", INSTANCE_PATH=str(tmp_path)))


def run_flask(args, env_extra, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env |= {"FLASK_APP": "wsgi", "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x", **env_extra}
    return subprocess.run(
        [sys.executable, "-m", "flask", *args],
        cwd=project_root(),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("nonsense", "DATABASE_URL is not a database URL"),
        ("mysql://u@127.0.0.1/x", "DATABASE_URL names an unsupported database"),
        ("postgresql://nobody@127.0.0.1:1/none", "DATABASE_URL: cannot reach the database"),
    ],
)
def test_a_wrong_database_url_at_start_is_one_clear_line(url, expected, tmp_path):
    result = run_flask(["db", "upgrade"], {"DATABASE_URL": url}, tmp_path)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [lines[0]] and expected in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert "nobody@" not in lines[0] or "***" not in url  # the password, if any, is masked


def test_migrations_run_from_an_empty_sqlite_database(fresh_database, tmp_path):
    result = run_flask(["db", "upgrade"], {"DATABASE_URL": fresh_database}, tmp_path)
    assert result.returncode == 0, result.stderr
    loaded = run_flask(["territory", "load"], {"DATABASE_URL": fresh_database}, tmp_path)
    assert loaded.returncode == 0 and "17 communes" in loaded.stdout
