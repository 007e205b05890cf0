"""Locale: the person's choice (a cookie), else their account's, else the browser's."""

from pathlib import Path
from urllib.parse import quote

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import force_locale, get_locale, gettext, refresh
from flask_login import current_user

LANGUAGE_COOKIE = "lang"
# Each language names itself, so a person can find theirs whatever the page's language.
LANGUAGE_NAMES = {"fr": "Français", "nl": "Nederlands", "de": "Deutsch", "en": "English"}


def select_locale() -> str:
    if not has_request_context():  # CLI commands, background work
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if g.get("content_locale"):  # a page in a questionnaire's own language
        return g.content_locale
    return wanted_locale()


def wanted_locale() -> str:
    """The person's own language, even on a page shown in a questionnaire's language."""
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    if getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def content_language(definition) -> str:
    """The language of a questionnaire's pages: the person's if it offers it, else French. The
    whole page then speaks it (buttons and messages too), so its `lang` is true for everything
    on it."""
    if "content_locale" in g:
        return g.content_locale
    lang = str(get_locale())
    g.content_locale = lang if lang in definition.languages else "fr"
    refresh()  # later gettext calls follow the questionnaire's language
    return g.content_locale


def language_notice(definition) -> dict | None:
    """When a questionnaire does not exist in the person's language, what to tell them before
    they start, in their own language: {"lang": …, "text": …}; None when it speaks theirs."""
    if not has_request_context():
        return None
    wanted = wanted_locale()
    if wanted in definition.languages:
        return None
    with force_locale(wanted):
        if list(definition.languages) == ["fr"]:
            text = gettext("This questionnaire exists only in French.")
        else:
            text = gettext(
                "This questionnaire does not exist in your language: it is shown in French."
            )
    return {"lang": wanted, "text": text}


def _inline_icon(app: Flask) -> str:
    svg = (Path(app.static_folder) / "favicon.svg").read_text(encoding="utf-8").strip()
    return "data:image/svg+xml," + quote(svg, safe=" :/=,.-")


def init_app(app: Flask) -> None:
    from flask_babel import format_date, format_datetime, format_decimal

    from app.accounts.forms import ROLE_LABELS

    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
    app.jinja_env.globals["language_notice"] = language_notice
    app.jinja_env.globals["FAVICON"] = _inline_icon(app)
    app.jinja_env.globals["role_label"] = lambda role: ROLE_LABELS.get(role, role)
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.filters["format_date"] = format_date
    app.jinja_env.filters["format_datetime"] = format_datetime

    from app.surveys.text import localize, render

    def render_text(text, lang, piped=None):
        return render(localize(text, lang), piped)

    app.jinja_env.globals["render_text"] = render_text

    @app.context_processor
    def locale():
        return {"current_locale": str(get_locale())}
