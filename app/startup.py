"""Starting up: a wrong setting ends the process with one clear line, not a traceback."""

import sys

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, NoSuchModuleError, OperationalError

from app.config import ConfigError


def explain(error: BaseException, database_url: str | None = None) -> str | None:
    """One line naming the setting at fault, or None when the error is not a startup problem."""
    if isinstance(error, ConfigError):
        return str(error)
    if isinstance(error, ArgumentError | NoSuchModuleError):
        return f"DATABASE_URL is not usable: {error}"
    # Only failures to connect or to use the database; a broken constraint is a real bug.
    if isinstance(error, OperationalError | InterfaceError):
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
        return f"DATABASE_URL: cannot reach the database {_masked(database_url)}: {reason}"
    return None


def _masked(url: str | None) -> str:
    if not url:
        return ""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparseable)"


def install_excepthook(database_url_getter) -> None:
    """Uncaught startup errors (from `flask …` commands or gunicorn) print one line, exit 1."""
    previous = sys.excepthook

    def hook(kind, error, trace):
        line = explain(error, database_url_getter())
        if line is None:
            return previous(kind, error, trace)
        print(f"error: {line}", file=sys.stderr)

    sys.excepthook = hook


def check_database(app) -> None:
    """Connect once; raise what explain() understands if the database cannot be reached."""
    from app.extensions import db

    with app.app_context(), db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def exit_on_startup_error(error: BaseException, database_url: str | None = None):
    line = explain(error, database_url)
    if line is None:
        raise error
    sys.exit(f"error: {line}")


def main() -> None:
    """`python -m app.startup`: check settings and the database, exit 1 with one line if wrong."""
    import os

    url = os.environ.get("DATABASE_URL")
    try:
        from app import create_app

        check_database(create_app())
    except Exception as error:  # explain() decides what is a startup problem
        exit_on_startup_error(error, url)


if __name__ == "__main__":
    main()
