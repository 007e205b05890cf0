"""Communes, sections, postcodes and themes: the reference data every feature reads."""


def init_app(app) -> None:
    from app.territory.cli import cli
    from app.territory.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(cli)
