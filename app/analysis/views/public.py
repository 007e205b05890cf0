"""The public results of a questionnaire, where its definition makes them public: its newest
release (analysis.releases), never the live figures."""

from flask import abort, current_app, render_template

from app.analysis import access, cache
from app.analysis.releases.queries import counts_of, definition_of
from app.analysis.results.figures import earlier_figures
from app.analysis.results.questions import question_results
from app.analysis.views import bp, found_or_404
from app.i18n import content_language


@bp.get("/resultats/<slug>")
def public(slug: str):
    found = found_or_404(slug)
    if not found.definition.public_results:
        abort(404)
    lang = content_language(found.definition)
    try:
        release = access.release_for(None, found)
    except access.NotReleased:
        return render_template("analysis/public.html", found=found, lang=lang, release=None)
    key = cache.reading_key("public", found, None, {"lang": lang}, release)
    results, period = cache.remembered(key, lambda: _public_figures(found, release, lang))
    return render_template(
        "analysis/public.html",
        found=found,
        lang=lang,
        results=results,
        period=period,
        release=release,
    )


def _public_figures(found, release, lang: str):
    counted = counts_of(release)
    k = current_app.config["ANALYSIS_MIN_CELL"]
    # protected against every earlier release, as the partners' figures are
    earlier = [figures.results for figures in earlier_figures(found, release)]
    results = question_results(definition_of(release), counted, k, lang, earlier=earlier)
    return results, (counted.first, counted.last)
