"""The respondent's flow as JSON: list, definition, and whole responses with an Idempotency-Key."""

from datetime import UTC, datetime

from flask import Blueprint, current_app, g, jsonify, request, url_for
from flask_babel import get_locale

from app.accounts.tokens import holder, may_enter_responses
from app.errors import render_error
from app.extensions import db, limiter
from app.respond import api_services
from app.surveys import queries

bp = Blueprint("api_surveys", __name__, url_prefix="/api/v1/surveys")
CHANNELS = ("kiosk", "paper", "web")
# Answers collected on paper or a shared tablet come from staff, with a token; anyone may send
# their own answers (« web »), within the anonymous rate limit.
STAFF_CHANNELS = ("kiosk", "paper")


def _token_holder():
    """The account of the request's bearer token, read once per request (None: anonymous)."""
    if "api_user" not in g:
        scheme, _sep, plain = request.headers.get("Authorization", "").partition(" ")
        g.api_user = holder(plain.strip()) if scheme.lower() == "bearer" else None
    return g.api_user


def _summary(found) -> dict:
    d = found.definition
    lang = str(get_locale())
    return {
        "slug": found.survey.slug,
        "version": found.version.number,
        "title": d.title.get(lang) or d.title["fr"],
        "languages": d.languages,
        "opens": d.opens.isoformat() if d.opens else None,
        "closes": d.closes.isoformat() if d.closes else None,
        "state": found.state,
        "url": url_for("respond.intro", slug=found.survey.slug, _external=True),
    }


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every time the platform stores is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@bp.get("")
def index():
    return jsonify(surveys=[_summary(found) for found in queries.open_surveys()])


@bp.get("/<slug>")
def detail(slug: str):
    found = queries.current(slug)
    if found is None:
        return render_error(404)
    fields = api_services.field_names(found.definition)
    return jsonify(
        survey=_summary(found),
        definition=found.definition.model_dump(mode="json"),
        fields=[{"name": name, "question": qid} for name, qid in fields.items()],
    )


def _unprocessable(errors: dict):
    return jsonify(
        error={
            "status": 422,
            "title": "Unprocessable answers",
            "message": "See errors.",
            "errors": errors,
        }
    ), 422


@bp.post("/<slug>/responses")
@limiter.limit(
    lambda: current_app.config["API_SUBMIT_RATE_LIMIT"],
    exempt_when=lambda: _token_holder() is not None,
)
def submit(slug: str):
    found = queries.latest_version(slug)
    if found is None:
        return render_error(404)
    key = request.headers.get("Idempotency-Key", "").strip()
    if not 8 <= len(key) <= 128:
        return render_error(400, "An Idempotency-Key header of 8 to 128 characters is required.")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return render_error(400, 'The body must be a JSON object: {"answers": {…}}.')
    if found.state != "open":
        return _unprocessable(
            {"survey": [f"this questionnaire is {found.state.replace('_', ' ')}"]}
        )
    if request.headers.get("Authorization") and _token_holder() is None:
        return render_error(401, "This API token is not valid (revoked, or mistyped).")
    channel = body.get("channel", "web")
    lang = body.get("lang", "fr")
    if channel in STAFF_CHANNELS:
        user = _token_holder()
        if user is None:
            return render_error(
                401,
                "Answers collected on paper or a shared tablet are accepted only with the API "
                "token of a facilitator (Authorization: Bearer …); send your own answers as "
                '"channel": "web".',
            )
        if not may_enter_responses(user):
            return render_error(403, "This token's account may not send paper or tablet answers.")
    if channel not in CHANNELS or lang not in found.model.languages:
        return _unprocessable(
            {
                "channel": [f"one of {', '.join(CHANNELS)}"],
                "lang": [f"one of {found.model.languages}"],
            }
        )
    try:
        outcome = api_services.submit(found, key, body, lang, channel)
    except api_services.Refused as refused:
        return _unprocessable(refused.errors)
    except api_services.InFlight:
        return render_error(
            409, "A request with this Idempotency-Key did not complete meanwhile: send it again."
        )
    if outcome.conflict:
        return render_error(409, "This Idempotency-Key was already used for other answers.")
    # The request's one commit, made now rather than after the reply is built (commit_once then
    # finds nothing to do): the counts' rows, and SQLite's single writer, are held by this
    # transaction from its first write to its commit, and every other submission waits for them.
    db.session.commit()
    payload = {
        "response": {
            "id": outcome.response_id,
            "survey": slug,
            "version": outcome.version_number,
            "submitted_at": _utc(outcome.submitted_at).isoformat(),
        },
        "deletion_code": outcome.deletion_code,
    }
    return jsonify(payload), 201 if outcome.created else 200
