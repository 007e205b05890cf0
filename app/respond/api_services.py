"""A whole response sent at once (kiosks, paper entry, integrations), idempotent by key."""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.respond import codes
from app.respond.services import now
from app.surveys import tallies
from app.surveys.models import Response
from app.surveys.queries import LatestVersion
from app.surveys.runtime import Context, read_page
from app.surveys.services import answer_values, insert_rows

MAX_FIELDS = 500
MAX_VALUE = 10_000
# A replay within this time of the submission gets a new deletion code (its first reply, with
# the first code, may have been lost on the way); later, a replay gets none.
REPLAY_CODE_WINDOW = timedelta(hours=24)


class Refused(ValueError):
    """What is wrong with the answers, per field."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("invalid answers")
        self.errors = errors


class InFlight(RuntimeError):
    """Another request with this key was being written and did not complete: send again."""


@dataclass
class Outcome:
    response_id: int
    version_number: int
    submitted_at: datetime
    created: bool
    deletion_code: str | None = None
    conflict: bool = False


_FIELD_NAMES: dict[int, tuple] = {}


def field_names(definition) -> dict[str, str]:
    """Every form field a client may send, and the question it belongs to (worked out once per
    definition: definitions are cached per process and never change)."""
    cached = _FIELD_NAMES.get(id(definition))
    if cached is not None and cached[0] is definition:
        return cached[1]
    names = _field_names(definition)
    _FIELD_NAMES[id(definition)] = (definition, names)
    return names


def _field_names(definition) -> dict[str, str]:
    names = {}
    ctx = Context("fr", {})
    for page in definition.pages:
        for question in page.questions:
            source = getattr(question, "choices_from", None)
            qctx = Context("fr", {source: [c.id for c in question.choices]}) if source else ctx
            for name in question.fields(qctx):
                names[name] = question.id
            if getattr(question, "has_other", lambda: False)():
                names[f"{question.id}-other"] = question.id
            if question.residence:
                names[f"{question.id}-q"] = question.id
    return names


class _Sent:
    """What the question types read of a form (get, getlist), over the JSON body's values.
    Werkzeug's MultiDict raises and catches an HTTP exception for every absent field: a third
    of the reading's time."""

    __slots__ = ("values",)

    def __init__(self, raw: dict):
        self.values = {
            key: ["" if item is None else str(item)[:MAX_VALUE] for item in value]
            if isinstance(value, list)
            else ["" if value is None else str(value)[:MAX_VALUE]]
            for key, value in raw.items()
        }

    def get(self, key: str, default=None):
        found = self.values.get(key)
        return found[0] if found else default

    def getlist(self, key: str) -> list[str]:
        return list(self.values.get(key, ()))


def validate(definition, raw: dict, lang: str) -> dict:
    """Answers as the web pages would read them, or Refused with an error per field."""
    errors: dict[str, list[str]] = {}
    if not isinstance(raw, dict) or len(raw) > MAX_FIELDS:
        raise Refused({"answers": ["an object of at most 500 fields is expected"]})
    known = field_names(definition)
    for name, value in raw.items():
        if name not in known:
            errors[name] = ["unknown field: no question of this survey has it"]
        elif not isinstance(value, str | int | float | list) or isinstance(value, bool):
            errors[name] = ["a string, a number or a list of strings is expected"]
        elif isinstance(value, list) and not all(isinstance(v, str | int | float) for v in value):
            errors[name] = ["a list of strings is expected"]
    if errors:
        raise Refused(errors)
    data, answers, visible = _Sent(raw), {}, set()
    # The same reading as the web's, page by page, each page seeing the answers before it. One
    # pass is enough: a condition names only earlier questions (checked when a definition is
    # loaded), so what was visible when a question was read is what the whole response shows,
    # and no answer read is hidden by a later one.
    for page in definition.pages:
        new, problems = read_page(page, data, answers, seen=visible)
        errors |= problems
        answers |= new
    # An answer to a question that the logic hides is refused, not silently dropped; so is the
    # text of an « other » choice that was not chosen.
    for name, value in raw.items():
        qid = known[name]
        if value in ("", [], None) or qid in errors:
            continue
        if qid not in visible:
            errors[name] = ["this question is hidden by the answers given: leave it out"]
        elif name == f"{qid}-other" and f"{qid}:other" not in answers:
            errors[name] = ["a text for « other » is taken only with that choice: leave it out"]
    if errors:
        raise Refused(errors)
    return answers


def payload_hash(body: dict) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def submit(version: LatestVersion, key: str, body: dict, lang: str, channel: str) -> Outcome:
    """Insert the submitted response, its answer rows and its counts; the unique key decides
    replays, in the database.

    The insert comes first and the constraint answers « already seen? »: a replay costs a
    failed insert and a lookup, a new response (the usual case) no lookup at all."""
    scoped = f"{version.survey_id}:{key}"
    digest = payload_hash(body)
    try:
        answers = validate(version.model, body.get("answers", {}), lang)
    except Refused:
        existing = _by_key(scoped)  # a replay of a key already used wins over its errors
        if existing is None:
            raise
        return _replayed(existing, digest)
    # Everything is worked out before the first write: SQLite's write lock (taken by the first
    # INSERT, held until the commit) is held as briefly as possible.
    rows = answer_values(version.model, answers)
    code, moment = codes.new_code(), now()
    counted = tallies.responses_counted([(version.model, rows, channel, moment)])
    values = {
        "version_id": version.id,
        "channel": channel,
        "idempotency_key": scoped,
        "payload_hash": digest,
        "submitted_at": moment,
        "deletion_hash": codes.code_hash("delete", code),
    }
    # The key decides « already seen? » in the database: a row comes back only when this
    # request inserted it (a concurrent twin waits for the first to commit, then inserts nothing).
    response_id = db.session.execute(_inserted(), values).scalar_one_or_none()
    if response_id is None:
        existing = _by_key(scoped)
        if existing is None:  # the twin rolled back between our insert and our lookup
            raise InFlight(scoped)
        return _replayed(existing, digest)
    insert_rows(response_id, rows)
    tallies.write(version.survey_id, counted, +1)  # last: the most shared rows, held briefly
    return Outcome(response_id, version.number, moment, created=True, deletion_code=code)


_INSERTS: dict = {}


def _inserted():
    """INSERT … ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, for this dialect."""
    name = db.engine.dialect.name
    found = _INSERTS.get(name)
    if found is None:
        dialect = postgresql if name == "postgresql" else sqlite
        table = Response.__table__
        found = _INSERTS[name] = (
            dialect.insert(table)
            .on_conflict_do_nothing(index_elements=[table.c.idempotency_key])
            .returning(table.c.id)
        )
    return found


def _replayed(existing: Response, digest: str) -> Outcome:
    outcome = Outcome(
        existing.id,
        existing.version.number,
        existing.submitted_at,
        created=False,
        conflict=existing.payload_hash != digest,
    )
    if not outcome.conflict:
        outcome.deletion_code = _new_deletion_code(existing)
    return outcome


def _new_deletion_code(existing: Response) -> str | None:
    """A fresh deletion code for a replay of the same answers, within the window: whoever
    replays holds the key and the very answers, so they are the sender whose first reply was
    lost. The earlier code stops working. A conditional UPDATE on the code it replaces: two
    replays at once cannot both hand out a code, the second is asked to send again."""
    submitted = existing.submitted_at
    if submitted.tzinfo is None:  # SQLite hands back naive UTC
        submitted = submitted.replace(tzinfo=now().tzinfo)
    if existing.deletion_hash is None or now() - submitted > REPLAY_CODE_WINDOW:
        return None
    code = codes.new_code()
    changed = db.session.execute(
        update(Response)
        .where(Response.id == existing.id, Response.deletion_hash == existing.deletion_hash)
        .values(deletion_hash=codes.code_hash("delete", code))
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        raise InFlight(existing.idempotency_key)
    return code


def _by_key(scoped: str) -> Response | None:
    return db.session.scalar(select(Response).where(Response.idempotency_key == scoped))
