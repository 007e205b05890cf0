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


def test_downgrading_past_pending_answers_writes_them_out(fresh_database, tmp_path):
    """Migration 0009's downgrade drops the table of answers kept as documents: it writes them
    out as answer rows first, so that none is lost."""
    from datetime import UTC, date, datetime

    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from app import create_app
    from app.surveys import pending
    from app.surveys.models import Response
    from app.surveys.services import answer_values, load_paths
    from app.territory.places import Place
    from app.territory.services import load_reference_data
    from tests.conftest import EVERY_TYPE, make_config

    app = create_app(make_config(fresh_database, INSTANCE_PATH=str(tmp_path / "i")))
    with app.app_context():
        upgrade()
        load_reference_data()
        load_paths([EVERY_TYPE])
        db.session.commit()
        from app.surveys.models import SurveyVersion

        version = db.session.scalars(db.select(SurveyVersion)).one()
        response = Response(version_id=version.id, channel="kiosk", submitted_at=datetime.now(UTC))
        db.session.add(response)
        db.session.flush()
        answers = {
            "commune": Place("section", "56005", "56005B"),
            "transport": ["bus", "walk"],
            "access": {"gp": "hard"},
            "last_trip": date(2026, 12, 3),
        }
        rows = answer_values(version.model, answers)
        pending.keep(response.id, pending.document(rows))
        db.session.commit()
        db.session.remove()
        downgrade(revision="0008")
        with db.engine.connect() as connection:
            stored = connection.execute(
                text("SELECT question_id, choice_id, row_id, date, nis FROM answers")
            ).all()
            tables = connection.execute(text("SELECT name FROM sqlite_master")).scalars().all()
        assert len(stored) == len(rows) and "pending_answers" not in tables
        assert ("transport", "walk", None, None, None) in stored
        assert ("last_trip", None, None, "2026-12-03", None) in stored
        upgrade()
        db.engine.dispose()
