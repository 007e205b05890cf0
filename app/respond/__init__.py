"""Answering a questionnaire: on a phone, a shared tablet (kiosk), or through the JSON API."""


def init_app(app) -> None:
    from app.respond.cli import cli
    from app.respond.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(cli)
