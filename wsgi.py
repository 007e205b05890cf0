"""Entry point for gunicorn (`wsgi:app`) and for the `flask` command (FLASK_APP=wsgi)."""

import os

from app import create_app
from app.config import ConfigError
from app.startup import exit_on_startup_error, install_excepthook

install_excepthook(lambda: os.environ.get("DATABASE_URL"))
try:
    app = create_app()
except ConfigError as error:
    exit_on_startup_error(error)
