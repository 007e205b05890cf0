"""Questionnaires as reviewable files: format, validator, loader, versions, responses."""


def init_app(app) -> None:
    from app.surveys import models  # noqa: F401 - registers the tables with the metadata
    from app.surveys.cli import cli
    from app.surveys.demo_cli import cli as demo_cli

    app.register_blueprint(cli)
    app.register_blueprint(demo_cli)
