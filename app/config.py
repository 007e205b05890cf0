"""Configuration: safe defaults, then instance/config.py, then environment variables."""

import os
import secrets
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

LANGUAGES = ("fr", "nl", "de", "en")
ENVIRONMENTS = ("development", "production")


class ConfigError(Exception):
    """A setting is wrong; the message names the setting and says what to do."""


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def defaults(instance_path: Path) -> dict:
    return {
        "APP_ENV": "production",
        "DATABASE_URL": f"sqlite:///{instance_path / 'concertation.db'}",
        "REDIS_URL": None,
        "SECRET_KEY": None,
        "TRUSTED_HOSTS": ["localhost", "127.0.0.1", "[::1]"],
        "SITE_NAME": "Plateforme intersectorielle Sud Entre-Sambre-et-Meuse",
        "SITE_SHORT_NAME": "Plateforme Sud ESEM",
        "SITE_MOTTO": "La solidarité, c'est bon pour la santé",
        # The email address where people report an accessibility problem, shown on
        # the accessibility statement; unset, it sends them to their CPAS or town hall.
        "ACCESSIBILITY_CONTACT": None,
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent.parent / "translations"),
        "LANGUAGES": LANGUAGES,
        "LOGIN_RATE_LIMIT": "10 per minute;50 per hour",
        # Per account *and* client together: another client's failures never lock the owner out.
        "LOGIN_ACCOUNT_RATE_LIMIT": "5 per minute;20 per hour",
        # The two-factor code step, per account (whoever reaches it knows the password).
        "LOGIN_CODE_RATE_LIMIT": "5 per minute;20 per hour",
        # Staff sessions end after this long without a request, and this long after the login.
        "STAFF_IDLE_MINUTES": 30,
        "STAFF_MAX_HOURS": 12,
        "RESUME_RATE_LIMIT": "10 per minute;60 per hour",
        # Anonymous answers, per client address (one public address may be a whole hall behind
        # a NAT: 300 people starting within ten minutes stay well inside these).
        "START_RATE_LIMIT": "120 per minute;1000 per hour",
        "API_SUBMIT_RATE_LIMIT": "120 per minute;1000 per hour",
        # A shared tablet silent this long starts again for the next person.
        "KIOSK_IDLE_SECONDS": 180,
        "KIOSK_WARNING_SECONDS": 30,
        # Counts below this are shown as « < k » in every aggregate (never below 5).
        "ANALYSIS_MIN_CELL": 10,
        # New responses needed before the next release of a questionnaire's results (partners
        # and the public read releases): by default the cell threshold.
        "RELEASE_MIN_NEW_RESPONSES": None,
        "RATELIMIT_KEY_PREFIX": "concertation",
        "RATELIMIT_HEADERS_ENABLED": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,  # a form filled slowly on a shared tablet must still submit
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    }


# Environment variable → setting, and how to read it.
ENVIRONMENT = {
    "APP_ENV": str,
    "DATABASE_URL": str,
    "REDIS_URL": str,
    "SECRET_KEY": str,
    "SITE_NAME": str,
    "SITE_SHORT_NAME": str,
    "SITE_MOTTO": str,
    "ACCESSIBILITY_CONTACT": str,
    "TRUSTED_HOSTS": lambda v: [h.strip() for h in v.split(",") if h.strip()],
    "LOGIN_RATE_LIMIT": str,
    "LOGIN_ACCOUNT_RATE_LIMIT": str,
    "LOGIN_CODE_RATE_LIMIT": str,
    "STAFF_IDLE_MINUTES": lambda v: int(v) if v.strip().isdigit() else v,
    "STAFF_MAX_HOURS": lambda v: int(v) if v.strip().isdigit() else v,
    "RESUME_RATE_LIMIT": str,
    "START_RATE_LIMIT": str,
    "API_SUBMIT_RATE_LIMIT": str,
    "KIOSK_IDLE_SECONDS": lambda v: int(v) if v.strip().isdigit() else v,
    "KIOSK_WARNING_SECONDS": lambda v: int(v) if v.strip().isdigit() else v,
    "RATELIMIT_ENABLED": _bool,
    "ANALYSIS_MIN_CELL": lambda v: int(v) if v.strip().lstrip("-").isdigit() else v,
    "RELEASE_MIN_NEW_RESPONSES": lambda v: int(v) if v.strip().lstrip("-").isdigit() else v,
}


def load(app, overrides: dict | None) -> None:
    instance_path = Path(app.instance_path)
    app.config.from_mapping(defaults(instance_path))
    app.config.from_pyfile(instance_path / "config.py", silent=True)
    for name, parse in ENVIRONMENT.items():
        if os.environ.get(name):
            app.config[name] = parse(os.environ[name])
    overrides = overrides or {}
    production = overrides.get("APP_ENV", app.config["APP_ENV"]) == "production"
    app.config.update(
        SESSION_COOKIE_SECURE=production,
        REMEMBER_COOKIE_SECURE=production,
        PREFERRED_URL_SCHEME="https" if production else "http",
    )
    if production:
        # The __Host- prefix: browsers accept the cookie only Secure, for Path=/ and without a
        # Domain, so a sibling subdomain cannot plant or overwrite the session.
        app.config.update(
            SESSION_COOKIE_NAME="__Host-session",
            SESSION_COOKIE_PATH="/",
            SESSION_COOKIE_DOMAIN=None,
        )
    app.config.update(overrides)
    _derive(app, instance_path)


def _derive(app, instance_path: Path) -> None:
    cfg = app.config
    if cfg["APP_ENV"] not in ENVIRONMENTS:
        raise ConfigError(
            f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}, not {cfg['APP_ENV']!r}"
        )
    if not isinstance(cfg["ANALYSIS_MIN_CELL"], int) or cfg["ANALYSIS_MIN_CELL"] < 5:
        raise ConfigError(
            "ANALYSIS_MIN_CELL must be a whole number of at least 5 (small cells identify "
            f"people), not {cfg['ANALYSIS_MIN_CELL']!r}"
        )
    if cfg["RELEASE_MIN_NEW_RESPONSES"] is None:
        cfg["RELEASE_MIN_NEW_RESPONSES"] = cfg["ANALYSIS_MIN_CELL"]
    minimum = cfg["RELEASE_MIN_NEW_RESPONSES"]
    if not isinstance(minimum, int) or minimum < 5:
        raise ConfigError(
            "RELEASE_MIN_NEW_RESPONSES must be a whole number of at least 5 (fewer new responses "
            f"between two releases would tell what those people answered), not {minimum!r}"
        )
    idle = cfg["KIOSK_IDLE_SECONDS"]
    if not isinstance(idle, int) or not 30 <= idle <= 3600:
        raise ConfigError(
            "KIOSK_IDLE_SECONDS must be a whole number of seconds from 30 to 3600 "
            f"(the default is 180), not {idle!r}"
        )
    for name, most in (("STAFF_IDLE_MINUTES", 24 * 60), ("STAFF_MAX_HOURS", 7 * 24)):
        if not isinstance(cfg[name], int) or not 1 <= cfg[name] <= most:
            raise ConfigError(f"{name} must be a whole number from 1 to {most}, not {cfg[name]!r}")
    warning = cfg["KIOSK_WARNING_SECONDS"]
    if not isinstance(warning, int) or not 10 <= warning <= idle // 2:
        raise ConfigError(
            "KIOSK_WARNING_SECONDS must be a whole number of seconds from 10 to half of "
            f"KIOSK_IDLE_SECONDS (the default is 30), not {warning!r}"
        )
    cfg["SQLALCHEMY_DATABASE_URI"] = database_uri(cfg["DATABASE_URL"])
    if cfg["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # Times come back in UTC whatever the server's zone, as SQLite stores them: a response's
        # quarter (tallies, exports, a period's group) is the same on both.
        options = dict(cfg["SQLALCHEMY_ENGINE_OPTIONS"])
        options["connect_args"] = {"options": "-c timezone=UTC"} | options.get("connect_args", {})
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if not cfg["SECRET_KEY"]:
        cfg["SECRET_KEY"] = _instance_secret(instance_path)
    cfg.setdefault("RATELIMIT_STORAGE_URI", cfg["REDIS_URL"] or "memory://")


def database_uri(url: str) -> str:
    """Validate DATABASE_URL: SQLite or PostgreSQL through psycopg 3."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(
            "DATABASE_URL is not a database URL: expected sqlite:///path/to/file.db "
            "or postgresql+psycopg://user:password@host:5432/name"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        # psycopg 3 is the installed driver; a bare postgresql:// would look for psycopg2.
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if backend != "sqlite":
        raise ConfigError(
            f"DATABASE_URL names an unsupported database ({backend}): "
            "use sqlite:///… or postgresql+psycopg://…"
        )
    return url


def _instance_secret(instance_path: Path) -> str:
    """Generated once, kept in the instance folder (never in the code or the repository)."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker wrote it first
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
