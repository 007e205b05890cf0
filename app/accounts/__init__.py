"""Accounts and roles for staff and partners (admin, facilitator, committee, partner)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select


def init_app(app) -> None:
    from app.accounts.cli import cli
    from app.accounts.models import User
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

    app.register_blueprint(bp)
    app.register_blueprint(cli)
