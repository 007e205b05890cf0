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
