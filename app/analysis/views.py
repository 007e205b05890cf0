"""Results pages: the public one exists only where the questionnaire makes its results public;
the committee's dashboards are for the steering committee and administrators."""

from flask import Blueprint, abort, current_app, render_template
from flask_babel import get_locale
from flask_babel import gettext as _

from app.accounts.models import Role
from app.accounts.roles import role_required
from app.analysis.dashboard import UNANSWERED, dashboard
from app.analysis.public import public_results
from app.analysis.queries import collected
from app.respond import queries as respond_queries
from app.respond.views import _lang
from app.territory.places import ELSEWHERE, UNDISCLOSED

bp = Blueprint("analysis", __name__, template_folder="templates")


def _found(slug: str):
    found = respond_queries.current(slug)
    if found is None:
        abort(404)
    return found


@bp.get("/resultats/<slug>")
def public(slug: str):
    found = _found(slug)
    if not found.definition.public_results:
        abort(404)
    lang = _lang(found.definition)
    data = collected(found.survey.id)
    results = public_results(found.definition, data, current_app.config["ANALYSIS_MIN_CELL"], lang)
    return render_template(
        "analysis/public.html", found=found, lang=lang, results=results, period=data
    )


@bp.get("/analyse/")
@role_required(Role.COMMITTEE)
def index():
    surveys = respond_queries.all_surveys()
    return render_template("analysis/index.html", surveys=surveys)


@bp.get("/analyse/<slug>")
@role_required(Role.COMMITTEE)
def survey(slug: str):
    found = _found(slug)
    labels = {
        "web": _("On the web"),
        "kiosk": _("Shared tablet or kiosk"),
        "paper": _("Paper, typed in"),
        ELSEWHERE: _("Elsewhere (outside these communes)"),
        UNDISCLOSED: _("I prefer not to say"),
        UNANSWERED: _("Not answered"),
    }
    wanted = str(get_locale())
    lang = wanted if wanted in found.definition.languages else "fr"
    board = dashboard(found, current_app.config["ANALYSIS_MIN_CELL"], lang, labels)
    return render_template("analysis/dashboard.html", found=found, board=board)
