"""Reading the answers: results by question, theme and commune, small cells protected.

Only this package imports pandas and plotly (heavy: kept off the respondent's path)."""


def init_app(app) -> None:
    from app.analysis.views import bp

    app.register_blueprint(bp)
