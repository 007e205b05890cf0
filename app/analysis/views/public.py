"""The public results of a questionnaire, where its definition makes them public."""

from flask import abort, current_app, render_template

from app.analysis import cache
from app.analysis.counting import counts
from app.analysis.results.questions import question_results
from app.analysis.views import bp, found_or_404
from app.i18n import content_language


@bp.get("/resultats/<slug>")
def public(slug: str):
    found = found_or_404(slug)
    if not found.definition.public_results:
        abort(404)
    lang = content_language(found.definition)
    key = cache.reading_key("public", found, None, {"lang": lang})
    results, period = cache.remembered(key, lambda: _public_figures(found, lang))
    return render_template(
        "analysis/public.html", found=found, lang=lang, results=results, period=period
    )


def _public_figures(found, lang: str):
    counted = counts(found.survey.id)
    k = current_app.config["ANALYSIS_MIN_CELL"]
    return question_results(found.definition, counted, k, lang), (counted.first, counted.last)
