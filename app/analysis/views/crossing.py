"""Crossing two breakdowns of the respondents, for the committee."""

from flask import render_template, request
from flask_babel import gettext as _

from app.accounts.models import Role
from app.accounts.roles import role_required
from app.analysis.results import groups as filtered
from app.analysis.results.crosstab import UnknownBreakdown, check, crosstab
from app.analysis.results.figures import figures_for
from app.analysis.views import bp, found_or_404


@bp.get("/analyse/<slug>/croiser")
@role_required(Role.COMMITTEE)
def cross(slug: str):
    found = found_or_404(slug)
    chosen = (request.args.get("lignes"), request.args.get("colonnes"))
    figures = figures_for(found, crossings=any(chosen))
    k, offered = figures.k, figures.offered
    enough = figures.responses >= k
    page = {"found": found, "offered": offered, "chosen": chosen, "k": k, "table": None}
    page["enough"] = enough
    if not any(chosen):
        return render_template("analysis/cross.html", **page)
    try:
        check(offered, *chosen)
        table = crosstab(offered, figures.crossings, *chosen, k) if enough else None
    except UnknownBreakdown as unknown:
        error = (
            _("« %(key)s » cannot be crossed: choose two different breakdowns.", key=unknown)
            if str(unknown)
            else _("Choose two different breakdowns: one for the rows, one for the columns.")
        )
        return render_template("analysis/cross.html", **page, error=error), 400
    rows, columns = chosen
    if table is not None and (_gated(figures, columns, rows) or _gated(figures, rows, columns)):
        page["gated"] = True
        table = None
    return render_template("analysis/cross.html", **page | {"table": table})


def _gated(figures, key: str, other: str) -> bool:
    """A question asked after some answers, crossed with a breakdown that would tell how many
    people its gate turned away in a group whose count that gate hides."""
    question = figures.offered[key].question
    return question is not None and filtered.gate_hides(figures, other, question)
