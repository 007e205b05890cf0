"""Reading the answers: results by question, theme and commune, small cells protected.

Only this package imports pandas and plotly (heavy: kept off the respondent's path)."""


def init_app(app) -> None:
    from app.analysis import (
        coding_views,  # noqa: F401 - its routes join the blueprint
        models,  # noqa: F401 - registers the tables with the metadata
    )
    from app.analysis.cli import cli
    from app.analysis.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(cli)
