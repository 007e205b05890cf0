"""Security headers: a nonce-based Content Security Policy and the usual companions.

Written here rather than taken from Flask-Talisman: it is a dozen lines, and Talisman's HTTPS
redirects fight the reverse proxy that terminates TLS in front of gunicorn.
"""

import secrets

from flask import Flask, g, request, session


def _nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _headers(response):
    nonce = g.get("csp_nonce")
    script = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    response.headers["Content-Security-Policy"] = "; ".join(
        [
            "default-src 'self'",
            f"script-src {script}",
            f"style-src {script}",
            "img-src 'self' data:",
            "connect-src 'self'",
            "form-action 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]
    )
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if _production():
        response.headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    if _private(response):
        # A staff member's pages and files stay out of browser caches and proxies: on a shared
        # computer the next person would find them in the history or behind « Back ».
        response.headers["Cache-Control"] = "no-store"
    return response


def _private(response) -> bool:
    """A request made by someone logged in (the session names them: no database read here) or
    with an API token, for anything but the site's code and styles (static files, and files a
    view declared public such as plotly.js)."""
    if (request.endpoint or "").endswith("static") or response.cache_control.public:
        return False
    return "_user_id" in session or "Authorization" in request.headers


def _production() -> bool:
    from flask import current_app

    return current_app.config["APP_ENV"] == "production"


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = _nonce
    app.after_request(_headers)
