"""Results pages: the public one exists only where the questionnaire makes its results public."""

from flask import Blueprint, abort, current_app, render_template

from app.analysis.public import public_results
from app.analysis.queries import collected
from app.respond import queries as respond_queries
from app.respond.views import _lang

bp = Blueprint("analysis", __name__, template_folder="templates")


@bp.get("/resultats/<slug>")
def public(slug: str):
    found = respond_queries.current(slug)
    if found is None or not found.definition.public_results:
        abort(404)
    lang = _lang(found.definition)
    data = collected(found.survey.id)
    results = public_results(found.definition, data, current_app.config["ANALYSIS_MIN_CELL"], lang)
    return render_template(
        "analysis/public.html", found=found, lang=lang, results=results, period=data
    )
