"""Error pages in the person's language: HTML for browsers, JSON for API clients."""

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

log = logging.getLogger(__name__)

MESSAGES = {
    400: (
        _l("Bad request"),
        _l("What was sent could not be understood. Go back, reload the page and try again."),
    ),
    401: (_l("Sign-in required"), _l("Credentials are needed to read this.")),
    403: (_l("Access denied"), _l("Your account does not give access to this page.")),
    409: (_l("Conflict"), _l("This was already done differently.")),
    410: (_l("Closed"), _l("This is no longer available.")),
    404: (
        _l("Page not found"),
        _l("This address does not exist (any more). Check it, or start from the home page."),
    ),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    413: (_l("Too large"), _l("What was sent is too large.")),
    429: (
        _l("Too many attempts"),
        _l("Too many attempts in a short time. Wait a few minutes, then try again."),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("Nothing was half-saved. Please try again in a moment."),
    ),
}
CSRF_MESSAGE = _l(
    "This form has expired or did not come from this site. Reload the page and send it again."
)


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def render_error(code: int, detail: str | None = None, back: str | None = None):
    """back: a page to go back to (the same page without the query it refused)."""
    title, message = MESSAGES.get(code, MESSAGES[500])
    message = detail or str(message)
    if wants_json():
        return jsonify(error={"status": code, "title": str(title), "message": message}), code
    return render_template("error.html", code=code, title=title, message=message, back=back), code


def _http_error(error: HTTPException):
    if isinstance(error, SecurityError):
        # An untrusted Host header: no URL can be built from it, so no page with links either.
        return str(MESSAGES[400][1]), 400, {"Content-Type": "text/plain; charset=utf-8"}
    code = error.code or 500
    if code == 403:
        # The account's number, never get_id(): that is the session token, a credential.
        user = f"#{current_user.id}" if current_user.is_authenticated else "anonymous"
        log.warning("403 forbidden: %s %s (user %s)", request.method, request.path, user)
    return render_error(code if code in MESSAGES else 500 if code >= 500 else 400)


def _csrf_error(_error: CSRFError):
    return render_error(400, str(CSRF_MESSAGE))


def _server_error(_error: Exception):
    from app.extensions import db

    db.session.rollback()  # Flask has already logged the exception
    return render_error(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)
