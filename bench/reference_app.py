"""The reference for bench/submissions.py: a bare Flask endpoint that inserts one row.

    DATABASE_URL=... gunicorn -c python:app.gunicorn_conf bench.reference_app:app

Served by the project's own gunicorn configuration, on the same database, with the same engine
options and SQLite settings as the application (WAL, foreign keys, busy timeout), so the ratio
measures what the platform's submission path costs over one parsed JSON body and one INSERT.
Its table (`bench_reference`) is its own; create it with create_table() before serving.
"""

import json
import os
from datetime import UTC, datetime

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String, Text, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# The application's SQLite settings, so both sides run the database the same way.
from app.database import _sqlite_pragmas


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Row(db.Model):
    __tablename__ = "bench_reference"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(140), unique=True)  # as the idempotency key is
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}  # as the application's
    if not event.contains(Engine, "connect", _sqlite_pragmas):
        event.listen(Engine, "connect", _sqlite_pragmas)
    db.init_app(app)

    @app.post("/rows")
    def insert():
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return jsonify(error="a JSON object is expected"), 400
        row = Row(
            key=request.headers.get("Idempotency-Key", "")[:140],
            body=json.dumps(body, ensure_ascii=False),
            created_at=datetime.now(UTC),
        )
        db.session.add(row)
        db.session.flush()
        created = row.id
        db.session.commit()
        return jsonify(id=created), 201

    @app.get("/healthz")
    def health():
        db.session.execute(text("SELECT 1"))
        return "ok"

    return app


def create_table() -> None:
    with app.app_context():
        db.create_all()


app = create_app()
