"""The models and the migrations must agree: a model change without its migration fails here."""

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


def test_upgrading_writes_answers_once_and_counts_them(fresh_database, tmp_path):
    """From 0009 to now: answers still kept as documents are written out as rows, each row names
    its item, copies of one value (two « Send » at once) are removed, and the counts are made
    from the answers (equal to a GROUP BY over them). Downgrading and upgrading again works."""
    import json
    from datetime import UTC, datetime

    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from app import create_app
    from app.analysis.counting import counts
    from app.surveys.queries import current
    from app.surveys.services import load_paths
    from app.territory.services import load_reference_data
    from tests.analysis.test_counts import read, recounted
    from tests.conftest import EVERY_TYPE, make_config

    app = create_app(make_config(fresh_database, INSTANCE_PATH=str(tmp_path / "i")))
    with app.app_context():
        upgrade(revision="0009")
        load_reference_data()
        db.session.commit()
        with db.engine.begin() as connection:
            definition = json.loads(
                json.dumps(__import__("yaml").safe_load(EVERY_TYPE.read_text("utf-8")), default=str)
            )
            connection.execute(
                text("INSERT INTO surveys (id, slug, created_at) VALUES (1, 'every-type', :at)"),
                {"at": datetime.now(UTC)},
            )
            connection.execute(
                text(
                    "INSERT INTO survey_versions (id, survey_id, number, checksum, definition, "
                    "source, loaded_at) VALUES (1, 1, 1, 'x', :d, 'every-type.yaml', :at)"
                ),
                {"d": json.dumps(definition), "at": datetime.now(UTC)},
            )
            sent = datetime(2026, 12, 3, 10, tzinfo=UTC)
            for rid, synthetic in ((1, False), (2, False), (3, True)):
                connection.execute(
                    text(
                        "INSERT INTO responses (id, version_id, channel, synthetic, created_at, "
                        "submitted_at) VALUES (:id, 1, :channel, :synthetic, :at, :at)"
                    ),
                    {
                        "id": rid,
                        "channel": "synthetic" if synthetic else "kiosk",
                        "synthetic": synthetic,
                        "at": sent,
                    },
                )
            rows = "INSERT INTO answers (response_id, question_id, row_id, choice_id, position, "
            rows += "number, text) VALUES (:r, :q, :row, :c, :p, :n, :t)"
            values = [  # response 1: every value twice or three times (the race)
                {"q": "age_band", "row": None, "c": "65_plus", "p": None, "n": None, "t": None},
                {"q": "transport", "row": None, "c": "bus", "p": None, "n": None, "t": None},
                {"q": "transport", "row": None, "c": "walk", "p": None, "n": None, "t": None},
                {"q": "access", "row": "gp", "c": "hard", "p": None, "n": None, "t": None},
                {"q": "needs", "row": None, "c": "evening_bus", "p": 1, "n": None, "t": None},
                {"q": "bus_satisfaction", "row": None, "c": None, "p": None, "n": 2, "t": None},
                {"q": "why_no_car", "row": None, "c": None, "p": None, "n": None, "t": "Le bus"},
            ]
            for copy in range(3):
                for value in values if copy < 2 else values[:2]:
                    connection.execute(text(rows), value | {"r": 1})
            for value in values[:2]:  # the synthetic response: never counted
                connection.execute(text(rows), value | {"r": 3})
            document = [  # response 2, sent whole through the API, still a document
                ["age_band", None, "30_64", None, None, None, None, None, None],
                ["transport", None, "car", None, None, None, None, None, None],
                ["commune", None, "section", None, None, None, None, "56005", "56005B"],
            ]
            connection.execute(
                text("INSERT INTO pending_answers (response_id, document) VALUES (2, :d)"),
                {"d": json.dumps(document)},
            )
        db.session.remove()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM answers")).scalar() == 18
        upgrade()
        with db.engine.connect() as connection:
            stored = connection.execute(
                text("SELECT response_id, question_id, item FROM answers ORDER BY id")
            ).all()
            tables = set(connection.execute(text("SELECT name FROM sqlite_master")).scalars())
        assert "pending_answers" not in tables and "tally_pairs" not in tables
        assert len(stored) == len(set(stored)) == 7 + 3 + 2
        assert (1, "transport", "walk") in stored and (1, "access", "gp") in stored
        assert (1, "needs", "1") in stored and (2, "commune", "") in stored
        assert read(1) == recounted(1)
        found = counts(1)
        assert found.total == 2 and found.answered["transport"] == 2
        assert found.words["why_no_car"]["bus"] == 1
        db.session.remove()
        downgrade(revision="0009")
        upgrade()
        assert read(1) == recounted(1)
        assert load_paths([EVERY_TYPE]).outcomes  # the loader works on the upgraded database
        db.session.commit()
        assert current("every-type") is not None
        db.engine.dispose()
