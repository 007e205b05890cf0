"""The application factory. No database work happens here or at import time."""

import os

from flask import Flask

from app import config as app_config


def create_app(config: dict | None = None) -> Flask:
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH")
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    app_config.load(app, config)

    from app import database, errors, i18n, input_guard, logging_filters, security
    from app.extensions import babel, csrf, db, limiter, login_manager, migrate

    logging_filters.install(app)  # no address, code or forged line in any log line
    database.init_app(app)
    db.init_app(app)
    # Batch mode lets Alembic alter SQLite tables (it recreates them).
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=i18n.select_locale)
    input_guard.init_app(app)  # before CSRF, the limiter and the session read any input
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)

    from app.accounts import init_app as init_accounts
    from app.admin.views import bp as admin_bp
    from app.analysis import init_app as init_analysis
    from app.api.results import bp as api_results_bp
    from app.api.surveys import bp as api_surveys_bp
    from app.api.views import bp as api_bp
    from app.respond import init_app as init_respond
    from app.site.views import bp as site_bp
    from app.surveys import init_app as init_surveys
    from app.territory import init_app as init_territory

    app.register_blueprint(site_bp)
    init_territory(app)
    init_accounts(app)
    init_surveys(app)
    init_respond(app)
    init_analysis(app)
    app.register_blueprint(admin_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(api_surveys_bp)
    app.register_blueprint(api_results_bp)
    csrf.exempt(api_surveys_bp)  # JSON without cookies: no ambient authority to forge
    return app
