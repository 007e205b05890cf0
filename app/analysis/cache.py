"""Figures already worked out, kept by each process until the answers change.

A dashboard (or the public page, or the results API) is worked out again only when what it is
made of has changed. The key of every kept figure holds the state of the questionnaire's
responses (how many real ones are sent and begun, the newest sent one's id and time): a response
sent raises the id, a deleted one lowers the count, one begun changes the completion rate, so
each makes a new key and the old figures are never read again. The codebook's revision, the
version, the k setting, the language, the reader's rights and the query are in the key too.

Only aggregates are kept (they are small): never the answers themselves. Kept per application
(each test's application starts empty) and per process (each gunicorn worker has its own, and
each checks the state on every request, so no worker shows figures older than the database).
"""

from collections import OrderedDict
from threading import Lock

from flask import current_app, g
from flask_babel import get_locale
from sqlalchemy import case, func, select

from app.extensions import db
from app.surveys.models import Response
from app.surveys.queries import real_responses

SIZE = 64  # readings kept per process: a few dozen pages of aggregates, a few MB at most


class Kept:
    def __init__(self, size: int = SIZE):
        self.size = size
        self.values: OrderedDict = OrderedDict()
        self.lock = Lock()

    def get(self, key):
        with self.lock:
            if key in self.values:
                self.values.move_to_end(key)
                return self.values[key]
        return None

    def put(self, key, value) -> None:
        with self.lock:
            self.values[key] = value
            self.values.move_to_end(key)
            while len(self.values) > self.size:
                self.values.popitem(last=False)


def kept() -> Kept:
    return current_app.extensions.setdefault("analysis_cache", Kept())


def state(survey_id: int, connection=None) -> tuple:
    """How many real responses the questionnaire has submitted and begun, the newest submitted
    one's id and time (begun responses count in the completion rate; SQLite may give a deleted
    newest response's id to the next one, which is sent later). connection: a reading's
    snapshot (by default the request's session)."""
    submitted = Response.submitted_at.is_not(None)
    found = (
        (connection or db.session)
        .execute(
            select(
                func.count(Response.submitted_at),
                func.coalesce(func.max(case((submitted, Response.id))), 0),
                func.count(Response.id),
                func.max(Response.submitted_at),
            ).where(*real_responses(survey_id, begun=True))
        )
        .one()
    )
    return tuple(found)


def remembered(key: tuple, compute):
    """compute()'s value for this key, worked out once per process while the key holds. The
    key's state is read before the reading's snapshot: what was sent or deleted in between is
    in the figures, so they are kept only when the snapshot saw the key's very state (counting
    notes it in g); otherwise they are shown, and worked out again next time. A reading of a
    release (its key says so) reads no live state: it is kept as it is."""
    store = kept()
    found = store.get(key)
    if found is None:
        g.pop("analysis_snapshot_states", None)
        found = compute()
        seen = g.pop("analysis_snapshot_states", set())
        released = key[3][0] == "release"
        if (released and not seen) or (seen and all(state in key for state in seen)):
            store.put(key, found)
    return found


def reading_key(what: str, found, rights, args, release=None) -> tuple:
    """Everything a reading of one questionnaire depends on: its answers' state and version
    (or the release it reads), the codebook, the population by age, the k setting, the reading
    language and the reader's own, the themes' names, the reader's rights, the query."""
    from app.analysis.codebook.queries import revision
    from app.analysis.results.labels import reading_language
    from app.analysis.results.themes import theme_names
    from app.territory.queries import people_by_age_loaded

    pairs = args.items(multi=True) if hasattr(args, "getlist") else args.items()
    return (
        what,
        found.survey.id,
        found.version.id,
        ("release", release.id) if release is not None else state(found.survey.id),
        revision(found.survey.id)
        if release is None
        else None,  # codes given to free-text answers count like answers
        people_by_age_loaded(),  # offers weighting to age bands, and weighs
        current_app.config["ANALYSIS_MIN_CELL"],
        reading_language(found.definition),
        str(get_locale()),  # the page's own words (« Not answered », months) are in the reader's
        tuple(sorted(theme_names().items())),
        rights,
        tuple(sorted(pairs)),
    )
