"""One read transaction on a connection of its own: every statement of a reading sees the same
state of the database, whatever other requests commit meanwhile, and nothing is written."""

from contextlib import contextmanager

from app.extensions import db


@contextmanager
def snapshot():
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # A snapshot taken at the first statement, kept to the end; writes refused.
            connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        else:
            # pysqlite opens no transaction before a read: each SELECT would see its own state.
            connection.exec_driver_sql("BEGIN")
        try:
            yield connection
        finally:
            connection.rollback()
