"""Engine settings the models rely on."""

from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    # WAL lets readers work while a response is written; foreign keys enforce our constraints;
    # the busy timeout makes a second writer wait instead of failing: a burst of writers (the
    # last minute of a meeting on a small machine) queues behind one another's requests, so it
    # is a queue's length, kept under gunicorn's 30 s worker timeout.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=20000")
    cursor.close()


def _sqlite_savepoint(connection, name) -> None:
    """pysqlite opens a transaction only before a write, and SQLite takes a SAVEPOINT outside
    one as the transaction itself: releasing it would commit everything (a service's savepoint
    committing the request halfway). So the transaction is opened first."""
    dbapi = connection.connection.dbapi_connection
    if type(dbapi).__module__ == "sqlite3" and not dbapi.in_transaction:
        connection.exec_driver_sql("BEGIN")


def init_app(app: Flask) -> None:
    if not event.contains(Engine, "connect", _sqlite_pragmas):
        event.listen(Engine, "connect", _sqlite_pragmas)
    if not event.contains(Engine, "savepoint", _sqlite_savepoint):
        event.listen(Engine, "savepoint", _sqlite_savepoint)
    app.after_request(commit_once)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)


def commit_once(response):
    """The request commits once, at the end, and only when it succeeded (services only flush)."""
    from app.extensions import db

    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
    return response
