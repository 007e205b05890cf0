"""The models and the migrations must agree: a model change without its migration fails here."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db


def test_models_and_migrations_agree(app):
    # database_url was built by running every migration from an empty database.
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_constraints_have_stable_names(app):
    for table in db.metadata.tables.values():
        for constraint in table.constraints:
            assert constraint.name, (table.name, constraint)


@pytest.fixture
def empty_database(tmp_path):
    """An empty database of the backend under test: a SQLite file, or on PostgreSQL a database
    of its own (made and dropped here)."""
    import os

    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    if os.environ.get("TEST_DB_BACKEND") != "postgresql":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    from tests.conftest import postgres_url

    url = make_url(postgres_url())
    scratch = url.set(database=f"{url.database}_migrations")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{scratch.database}"')
        connection.exec_driver_sql(f'CREATE DATABASE "{scratch.database}"')
    yield scratch.render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)')
    admin.dispose()


def test_upgrading_writes_answers_once_and_counts_them(empty_database, tmp_path):
    """From 0009 to now, on SQLite and PostgreSQL: answers still kept as documents are written
    out as rows, each row names its item, copies of one value (two « Send » at once) are
    removed with their codes kept on the value that stays, and the counts are made from the
    answers (equal to a GROUP BY over them). Downgrading and upgrading again works."""
    import json
    from datetime import UTC, datetime

    import yaml
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect, text

    from app import create_app
    from app.analysis.counting import counts
    from app.surveys.queries import current
    from app.surveys.services import load_paths
    from app.territory.services import load_reference_data
    from tests.analysis.test_counts import read, recounted
    from tests.conftest import EVERY_TYPE, make_config

    app = create_app(make_config(empty_database, INSTANCE_PATH=str(tmp_path / "i")))
    with app.app_context():
        upgrade(revision="0009")
        load_reference_data()
        db.session.commit()
        definition = json.loads(
            json.dumps(yaml.safe_load(EVERY_TYPE.read_text("utf-8")), default=str)
        )
        now = datetime.now(UTC)
        with db.engine.begin() as connection:
            run = lambda sql, **values: connection.execute(text(sql), values)  # noqa: E731
            run("INSERT INTO surveys (id, slug, created_at) VALUES (1, 'every-type', :at)", at=now)
            run(
                "INSERT INTO survey_versions (id, survey_id, number, checksum, definition, "
                "source, loaded_at) VALUES (1, 1, 1, 'x', :d, 'every-type.yaml', :at)",
                d=json.dumps(definition),
                at=now,
            )
            sent = datetime(2026, 12, 3, 10, tzinfo=UTC)
            for rid, synthetic in ((1, False), (2, False), (3, True)):
                run(
                    "INSERT INTO responses (id, version_id, channel, synthetic, created_at, "
                    "submitted_at) VALUES (:id, 1, :channel, :synthetic, :at, :at)",
                    id=rid,
                    channel="synthetic" if synthetic else "kiosk",
                    synthetic=synthetic,
                    at=sent,
                )
            rows = "INSERT INTO answers (id, response_id, question_id, row_id, choice_id, "
            rows += "position, number, text) VALUES (:id, :r, :q, :row, :c, :p, :n, :t)"
            values = [  # response 1: every value twice or three times (the race)
                {"q": "age_band", "row": None, "c": "65_plus", "p": None, "n": None, "t": None},
                {"q": "transport", "row": None, "c": "bus", "p": None, "n": None, "t": None},
                {"q": "transport", "row": None, "c": "walk", "p": None, "n": None, "t": None},
                {"q": "access", "row": "gp", "c": "hard", "p": None, "n": None, "t": None},
                {"q": "needs", "row": None, "c": "evening_bus", "p": 1, "n": None, "t": None},
                {"q": "bus_satisfaction", "row": None, "c": None, "p": None, "n": 2, "t": None},
                {"q": "why_no_car", "row": None, "c": None, "p": None, "n": None, "t": "Le bus"},
            ]
            ids = iter(range(1, 100))
            for copy in range(3):
                for value in values if copy < 2 else values[:2]:
                    run(rows, id=next(ids), r=1, **value)
            for value in values[:2]:  # the synthetic response: never counted
                run(rows, id=next(ids), r=3, **value)
            # The committee coded the second copy of the free text (id 14), and both copies
            # with another code.
            for code_id, label in ((1, "Transport"), (2, "Bus")):
                run(
                    "INSERT INTO codebook_codes (id, survey_id, label, label_key, created_at) "
                    "VALUES (:id, 1, :label, :key, :at)",
                    id=code_id,
                    label=label,
                    key=label.lower(),
                    at=now,
                )
            for answer_id, code_id in ((14, 1), (7, 2), (14, 2)):
                run(
                    "INSERT INTO answer_codes (answer_id, code_id, tagged_at) VALUES (:a, :c, :at)",
                    a=answer_id,
                    c=code_id,
                    at=now,
                )
            document = [  # response 2, sent whole through the API, still a document
                ["age_band", None, "30_64", None, None, None, None, None, None],
                ["transport", None, "car", None, None, None, None, None, None],
                ["commune", None, "section", None, None, None, None, "56005", "56005B"],
            ]
            run(
                "INSERT INTO pending_answers (response_id, document) VALUES (2, :d)",
                d=json.dumps(document),
            )
            if connection.dialect.name == "postgresql":  # ids given: the sequences move on
                for table in ("surveys", "survey_versions", "responses", "answers"):
                    run(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 100)")
                run("SELECT setval(pg_get_serial_sequence('codebook_codes', 'id'), 100)")
        db.session.remove()
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        with db.engine.connect() as connection:
            stored = connection.execute(
                text("SELECT response_id, question_id, item FROM answers ORDER BY id")
            ).all()
            coded = connection.execute(
                text("SELECT answer_id, code_id FROM answer_codes ORDER BY answer_id, code_id")
            ).all()
        assert "pending_answers" not in tables and "tally_pairs" not in tables
        assert len(stored) == len(set(stored)) == 7 + 3 + 2
        assert (1, "transport", "walk") in stored and (1, "access", "gp") in stored
        assert (1, "needs", "1") in stored and (2, "commune", "") in stored
        assert coded == [(7, 1), (7, 2)]  # on the copy kept, each code once
        assert read(1) == recounted(1)
        found = counts(1)
        assert found.total == 2 and found.answered["transport"] == 2
        assert found.words["why_no_car"]["bus"] == 1 and found.coded["why_no_car"] == {1: 1, 2: 1}
        db.session.remove()
        downgrade(revision="0009")
        upgrade()
        assert read(1) == recounted(1)
        assert load_paths([EVERY_TYPE]).outcomes  # the loader works on the upgraded database
        db.session.commit()
        assert current("every-type") is not None
        db.session.remove()
        db.engine.dispose()
