"""One read transaction on a connection of its own: every statement of a reading sees the same
state of the database, whatever other requests commit meanwhile, and nothing is written.

The connections come from a small pool kept for readings (READERS per process), apart from the
requests' own: a request holds its session's connection while it reads, so drawing both from
one pool would let a burst of readers take every connection and wait for a second one forever.
A reading never waits for a second reading connection, so readers only queue here."""

import weakref
from contextlib import contextmanager

from flask import current_app
from sqlalchemy import create_engine

from app.extensions import db

READERS = 4  # readings at once per process (each is mostly CPU: more would only queue there)


@contextmanager
def snapshot():
    with _engine().connect() as connection:
        if connection.dialect.name == "postgresql":
            # A snapshot taken at the first statement, kept to the end; writes refused.
            connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
            # Sorting a hundred thousand responses by month in memory, not on disk.
            connection.exec_driver_sql("SET LOCAL work_mem = '32MB'")
        else:
            # pysqlite opens no transaction before a read: each SELECT would see its own state.
            connection.exec_driver_sql("BEGIN")
        try:
            yield connection
        finally:
            connection.rollback()


def _engine():
    found = current_app.extensions.get("analysis_readers")
    if found is None:
        url = db.engine.url
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            found = db.engine  # a database in memory exists on its own connection only
        else:
            options = current_app.config["SQLALCHEMY_ENGINE_OPTIONS"]
            found = create_engine(
                url,
                connect_args=options.get("connect_args", {}),
                pool_size=READERS,
                max_overflow=0,
                pool_pre_ping=True,
            )
            weakref.finalize(current_app._get_current_object(), found.dispose)
        current_app.extensions["analysis_readers"] = found
    return found
