"""Many rows written in one statement. On PostgreSQL an executemany runs each row apart (a
response's thirty answers and fifty counts were eighty round trips inside its transaction): the
rows go as one JSON document, read back as a table by json_to_recordset (dumping JSON is done in
C; psycopg's array dumper escapes each value in Python). On SQLite an executemany is already one
loop in C."""

import json

from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db

_STATEMENTS: dict = {}


def insert(table, rows: list[dict], adding: str | None = None) -> None:
    """rows: dicts with every column but an identity. adding: a count column raised where the
    row is there already (people = people + excluded.people), the others being its key."""
    if not rows:
        return
    postgres = db.engine.dialect.name == "postgresql"
    statement = _statement(table, tuple(rows[0]), adding, postgres)
    if postgres:
        db.session.execute(statement, {"rows": json.dumps(rows, default=str)})
    else:
        db.session.execute(statement, rows)


def _statement(table, columns: tuple, adding: str | None, postgres: bool):
    key = (table.name, columns, adding, postgres)
    found = _STATEMENTS.get(key)
    if found is None:
        found = _unnested(table, columns, adding) if postgres else _executemany(table, adding)
        _STATEMENTS[key] = found
    return found


def _unnested(table, columns: tuple, adding: str | None):
    dialect = postgresql.dialect()
    typed = ", ".join(f'"{c}" {table.c[c].type.compile(dialect=dialect)}' for c in columns)
    listed = ", ".join(f'"{c}"' for c in columns)
    # Names come from the models, never from a request; the values travel as a parameter.
    sql = f"INSERT INTO {table.name} ({listed}) SELECT {listed} FROM "  # noqa: S608
    sql += f"json_to_recordset(CAST(:rows AS json)) AS r({typed})"
    if adding:
        keys = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
        sql += f" ON CONFLICT ({keys}) DO UPDATE SET {adding} = {table.name}.{adding}"
        sql += f" + excluded.{adding}"
    return text(sql)


def _executemany(table, adding: str | None):
    statement = sqlite.insert(table)
    if adding:
        statement = statement.on_conflict_do_update(
            index_elements=list(table.primary_key.columns),
            set_={adding: table.c[adding] + statement.excluded[adding]},
        )
    return statement
