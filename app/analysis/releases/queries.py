"""Reads of releases (nothing written)."""

from collections import OrderedDict
from threading import Lock

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import defer

from app.analysis.releases.frozen import thaw
from app.analysis.releases.models import Release
from app.extensions import db
from app.surveys.models import Response, SurveyVersion
from app.surveys.queries import real_responses

KEPT = 8  # releases kept read per process (each a few hundred KB of counts)


def latest(survey_id: int) -> Release | None:
    """The questionnaire's newest release (its counts left unread)."""
    return db.session.scalar(
        select(Release)
        .where(Release.survey_id == survey_id)
        .order_by(Release.number.desc())
        .limit(1)
        .options(defer(Release.counts))
    )


def new_since(survey_id: int, release: Release | None) -> int:
    """Real responses sent after the release's newest one (all of them without a release)."""
    boundary = release.last_response_id if release is not None else 0
    return db.session.scalar(
        select(func.count(Response.id)).where(*real_responses(survey_id), Response.id > boundary)
    )


def minimum_new() -> int:
    return current_app.config["RELEASE_MIN_NEW_RESPONSES"]


def definition_of(release: Release):
    return db.session.get(SurveyVersion, release.version_id).model


def counts_of(release: Release):
    """The release's counts, read once per process: a release never changes."""
    kept = current_app.extensions.setdefault("releases_read", (OrderedDict(), Lock()))
    store, lock = kept
    with lock:
        found = store.get(release.id)
        if found is not None:
            store.move_to_end(release.id)
            return found
    stored = db.session.scalar(select(Release.counts).where(Release.id == release.id))
    found = thaw(stored)
    with lock:
        store[release.id] = found
        while len(store) > KEPT:
            store.popitem(last=False)
    return found


def before(release: Release) -> list[Release]:
    """The questionnaire's releases before this one, oldest first (their counts left unread)."""
    return list(
        db.session.scalars(
            select(Release)
            .where(Release.survey_id == release.survey_id, Release.number < release.number)
            .order_by(Release.number)
            .options(defer(Release.counts))
        )
    )
