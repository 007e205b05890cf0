"""Input that no database can store, refused before any view with a 400 and a message.

PostgreSQL refuses a NUL character in text, and no UTF-8 text holds a lone UTF-16 surrogate
(JSON can write one as « \\ud800 »); JSON nested deeper than any body the API reads would take
the parser past Python's recursion limit. Each was a 500 found by fuzzing; they are refused here,
in one place, for every path, query string, form and JSON body, rather than view by view."""

import re

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter

MAX_DEPTH = 32  # the API's deepest body is {"answers": {"field": [values]}}: 3 levels

UNSTORABLE = _l(
    "The request contains a character that cannot be stored (a null character or half of an "
    "emoji). Remove it and send again."
)
TOO_DEEP = _l("The JSON body is nested too deeply.")
NOT_A_FORM = _l(
    "This page takes a form: a JSON body is read only as names with text values. Send the form "
    "from the page instead."
)


UNSTORABLE_CHARACTER = re.compile("[\x00\ud800-\udfff]")


def storable(text: str) -> bool:
    return UNSTORABLE_CHARACTER.search(text) is None


def _check():
    """A refusal (400 with its message), or None to go on."""
    from app.errors import render_error

    problem = _problem()
    return render_error(400, str(problem)) if problem is not None else None


def _problem():
    if not storable(request.path):
        return UNSTORABLE
    pairs = list(request.args.items(multi=True))
    if request.method in ("POST", "PUT", "PATCH"):
        if request.is_json:
            return _json_problem() or _json_form_problem()
        pairs += request.form.items(multi=True)
    if not all(storable(key) and storable(value) for key, value in pairs):
        return UNSTORABLE
    return None


def _json_problem():
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        return TOO_DEEP
    stack = [(body, 1)]  # walked without recursion
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return TOO_DEEP
        if isinstance(value, str) and not storable(value):
            return UNSTORABLE
        if isinstance(value, dict):
            if not all(storable(key) for key in value):
                return UNSTORABLE
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
    return None


def _json_form_problem():
    """Outside the API a JSON body stands for a form (Flask-WTF reads it as one): an object of
    texts or lists of texts. Anything else (a list, a number, a nested object) raised TypeError
    or AttributeError in the form's fields: a 500 found by fuzzing."""
    if request.path.startswith("/api/"):
        return None
    body = request.get_json(silent=True)
    if body is None:
        return None  # unreadable JSON: Flask-WTF, reading it again, answers 400 itself

    def text(value):
        return isinstance(value, str)

    fine = isinstance(body, dict) and all(
        text(v) or (isinstance(v, list) and all(map(text, v))) for v in body.values()
    )
    return None if fine else NOT_A_FORM


class DatabaseInteger(IntegerConverter):
    """`<int:…>` in a route: an id the database can hold (INTEGER, up to 2^31 - 1). A larger
    number, /compte/jetons/99999999999999999999/revoquer, no longer reaches the query (an
    OverflowError on SQLite, « integer out of range » on PostgreSQL: a 500 found by fuzzing):
    no such address, 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseInteger  # before any blueprint adds a route
    app.before_request(_check)
