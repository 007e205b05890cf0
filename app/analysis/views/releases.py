"""The committee publishes a questionnaire's results: what partners and the public then read."""

from dataclasses import dataclass

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts.models import Role, User
from app.accounts.roles import role_required
from app.analysis.releases import queries, services
from app.analysis.releases.models import Release
from app.analysis.views import bp, found_or_404
from app.errors import render_error
from app.extensions import db


@dataclass
class Publication:
    """Where a questionnaire's publication stands, for the committee's dashboard."""

    releases: list  # (release, publisher's name or None), newest first
    new: int  # responses since the newest release
    minimum: int

    @property
    def latest(self):
        return self.releases[0][0] if self.releases else None

    @property
    def ready(self) -> bool:
        return self.new >= self.minimum


def publication(found) -> Publication:
    listed = db.session.execute(
        select(Release, User.display_name)
        .outerjoin(User, User.id == Release.published_by)
        .where(Release.survey_id == found.survey.id)
        .order_by(Release.number.desc())
        .limit(10)
    ).all()
    latest = listed[0][0] if listed else None
    return Publication(
        [tuple(row) for row in listed],
        queries.new_since(found.survey.id, latest),
        queries.minimum_new(),
    )


@bp.post("/analyse/<slug>/publier")
@role_required(Role.COMMITTEE)
def publish(slug: str):
    found = found_or_404(slug)
    try:
        release = services.publish(found, current_user.id)
    except services.NotPublished as refused:
        return render_error(409, str(refused))
    flash(
        _(
            "Publication no. %(number)s made: partners and the public now read these %(n)s "
            "responses.",
            number=release.number,
            n=release.responses,
        ),
        "success",
    )
    return redirect(url_for("analysis.survey", slug=slug) + "#publication")
