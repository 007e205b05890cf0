"""Publishing a release (the view commits)."""

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError

from app.analysis.counting import counts
from app.analysis.releases import queries
from app.analysis.releases.frozen import freeze
from app.analysis.releases.models import Release
from app.analysis.results.together import together_sources
from app.extensions import db


class NotPublished(ValueError):
    """Why this release cannot be published: its message says so to the committee."""


def publish(found, user_id: int | None = None) -> Release:
    """Freeze the questionnaire's counts now as its next release. Refused while fewer than
    RELEASE_MIN_NEW_RESPONSES responses came since the last one (comparing two releases would
    show what those few people answered), and when someone else published meanwhile."""
    survey_id = found.survey.id
    previous = queries.latest(survey_id)
    new, minimum = queries.new_since(survey_id, previous), queries.minimum_new()
    if new < minimum:
        raise NotPublished(
            ngettext(
                "Only %(num)d new response since the last publication: at least %(minimum)d are "
                "needed, so that no one's answers can be told by comparing two publications.",
                "Only %(num)d new responses since the last publication: at least %(minimum)d "
                "are needed, so that no one's answers can be told by comparing two publications.",
                new,
                minimum=minimum,
            )
            if previous is not None
            else ngettext(
                "Only %(num)d response so far: at least %(minimum)d are needed before the first "
                "publication.",
                "Only %(num)d responses so far: at least %(minimum)d are needed before the "
                "first publication.",
                new,
                minimum=minimum,
            )
        )
    counted = counts(survey_id, found.definition, crossings=True)
    release = Release(
        survey_id=survey_id,
        number=(previous.number if previous is not None else 0) + 1,
        version_id=found.version.id,
        published_by=user_id,
        responses=counted.total,
        last_response_id=counted.newest,
        counts=freeze(counted, together_sources(found.definition)),
    )
    try:
        with db.session.begin_nested():
            db.session.add(release)
    except IntegrityError:
        # The database decides: someone published this number first.
        raise NotPublished(
            _("Someone else has just published these results: reload the page to see it.")
        ) from None
    return release
