"""Answering a questionnaire: on a phone, a shared tablet (kiosk), or through the JSON API."""


def init_app(app) -> None:
    from app.respond.cli import cli
    from app.respond.poster import bp as poster
    from app.respond.session import kiosk_slug
    from app.respond.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(poster)  # the staff's printable poster (/s/<slug>/affiche)
    # Every page (the shared layout included) knows whether this browser is a shared tablet.
    app.jinja_env.globals["kiosk_mode"] = kiosk_slug
    app.register_blueprint(cli)
