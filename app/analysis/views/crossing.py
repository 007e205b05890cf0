"""Crossing two breakdowns of the respondents, for the committee."""

from flask import render_template, request
from flask_babel import gettext as _

from app.accounts.models import Role
from app.accounts.roles import role_required
from app.analysis.results.breaking import crossed, gated
from app.analysis.results.crosstab import UnknownBreakdown, check
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
        table = crossed(figures, *chosen) if enough else None
    except UnknownBreakdown as unknown:
        error = (
            _("« %(key)s » cannot be crossed: choose two different breakdowns.", key=unknown)
            if str(unknown)
            else _("Choose two different breakdowns: one for the rows, one for the columns.")
        )
        return render_template("analysis/cross.html", **page, error=error), 400
    if table is not None and gated(figures, *chosen):  # withheld: say why
        page["gated"] = True
        table = None
    return render_template("analysis/cross.html", **page | {"table": table})
