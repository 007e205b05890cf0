"""A printable A4 poster of a questionnaire, for the staff who put it up in a town hall, a CPAS
or a shop: its title, who asks, the QR code, a short address to type and the dates."""

from flask import Blueprint, abort, render_template, url_for

from app.accounts.models import Role
from app.accounts.roles import role_required
from app.i18n import content_language
from app.respond.queries import minutes
from app.surveys.queries import current

bp = Blueprint("poster", __name__, template_folder="templates")


def short_address(slug: str) -> str:
    """The questionnaire's address as a person types it: no « https:// », no « www. »."""
    link = url_for("respond.intro", slug=slug, _external=True)
    return link.split("://", 1)[-1].removeprefix("www.")


@bp.get("/s/<slug>/affiche")
@role_required(Role.FACILITATOR, Role.COMMITTEE)  # and admin (has_role)
def poster(slug: str):
    found = current(slug)
    if found is None:
        abort(404)
    return render_template(
        "respond/poster.html",
        found=found,
        lang=content_language(found.definition),
        address=short_address(slug),
        minutes=minutes(found.definition),
    )
