"""Accounts and roles for staff and partners (admin, facilitator, committee, partner)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select


def init_app(app) -> None:
    from app.accounts import two_factor_views  # noqa: F401  (its routes join bp)
    from app.accounts.cli import cli
    from app.accounts.models import User
    from app.accounts.sessions import enforce_timeouts, two_factor_verified
    from app.accounts.views import bp
    from app.extensions import db, login_manager

    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    # Flask-Login's "basic"/"strong" modes hash the client address into the session: not wanted.
    login_manager.session_protection = None

    @login_manager.user_loader
    def load_user(token: str):
        return db.session.scalar(select(User).where(User.session_token == token))

    app.before_request(enforce_timeouts)
    app.jinja_env.globals["two_factor_verified"] = two_factor_verified
    app.register_blueprint(bp)
    app.register_blueprint(cli)
