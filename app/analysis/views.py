"""Results pages: the public one exists only where the questionnaire makes its results public;
the committee's dashboards are for the steering committee and administrators."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    send_file,
)
from flask_babel import get_locale
from flask_babel import gettext as _

from app.accounts.models import Role
from app.accounts.roles import role_required
from app.analysis import exports
from app.analysis.crosstab import UnknownBreakdown, breakdowns, check, crosstab
from app.analysis.dashboard import UNANSWERED, channel_line, dashboard
from app.analysis.public import public_results
from app.analysis.queries import channels_of, collected
from app.errors import render_error
from app.respond import queries as respond_queries
from app.respond.views import _lang
from app.surveys.types.scale import DONT_KNOW
from app.territory.places import ELSEWHERE, UNDISCLOSED
from app.territory.queries import communes

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


def _words() -> dict:
    return {
        "web": _("On the web"),
        "kiosk": _("Shared tablet or kiosk"),
        "paper": _("Paper, typed in"),
        ELSEWHERE: _("Elsewhere (outside these communes)"),
        UNDISCLOSED: _("I prefer not to say"),
        UNANSWERED: _("Not answered"),
        DONT_KNOW: _("I don't know"),
        "commune": _("Commune of residence"),
        "area": _("Area of residence"),
        "province": _("Province of residence"),
        "channel": _("Channel"),
        "sud-esem": _("Sud Entre-Sambre-et-Meuse"),
        "haute-meuse": _("Haute-Meuse"),
        "question": _("Question"),
        "table": _("Line"),
        "answer": _("Answer"),
        "people": _("People"),
        "share": _("Share"),
        "low": _("Interval, lower bound"),
        "high": _("Interval, upper bound"),
    }


def _reading_language(definition) -> str:
    wanted = str(get_locale())
    return wanted if wanted in definition.languages else "fr"


@bp.get("/analyse/<slug>")
@role_required(Role.COMMITTEE)
def survey(slug: str):
    found = _found(slug)
    lang = _reading_language(found.definition)
    weighting = request.args.get("ponderation", "")
    if weighting not in ("", "communes"):
        return render_error(400, _("Unknown weighting: leave it out, or weigh to the communes."))
    k = current_app.config["ANALYSIS_MIN_CELL"]
    board = dashboard(found, k, lang, _words(), weighted=weighting == "communes")
    return render_template("analysis/dashboard.html", found=found, board=board)


@bp.get("/analyse/<slug>/croiser")
@role_required(Role.COMMITTEE)
def cross(slug: str):
    found, k = _found(slug), current_app.config["ANALYSIS_MIN_CELL"]
    data, channels = collected(found.survey.id), channels_of(found.survey.id)
    lang = _reading_language(found.definition)
    results = public_results(found.definition, data, k, lang, words=True)  # as the dashboard
    by_channel = channel_line(found.survey.id, k)
    offered = breakdowns(
        found.definition, data, channels, communes(), _words(), lang, results, by_channel
    )
    chosen = (request.args.get("lignes"), request.args.get("colonnes"))
    enough = len(channels) >= k
    page = {"found": found, "offered": offered, "chosen": chosen, "k": k, "table": None}
    page["enough"] = enough
    if not any(chosen):
        return render_template("analysis/cross.html", **page)
    try:
        check(offered, *chosen)
        table = crosstab(offered, list(channels), *chosen, k) if enough else None
    except UnknownBreakdown as unknown:
        error = (
            _("« %(key)s » cannot be crossed: choose two different breakdowns.", key=unknown)
            if str(unknown)
            else _("Choose two different breakdowns: one for the rows, one for the columns.")
        )
        return render_template("analysis/cross.html", **page, error=error), 400
    return render_template("analysis/cross.html", **page | {"table": table})


@bp.get("/analyse/<slug>/tableaux.<any(csv, xlsx):kind>")
@role_required(Role.COMMITTEE)
def export_tables(slug: str, kind: str):
    found, k = _found(slug), current_app.config["ANALYSIS_MIN_CELL"]
    board = dashboard(found, k, _reading_language(found.definition), _words())
    head, rows = exports.header(_words()), exports.table_rows(board, k)
    name = f"{slug}-tableaux.{kind}"
    if kind == "csv":
        return Response(
            exports.csv_chunks(head, rows),  # plain figures already worked out: no context needed
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return send_file(exports.xlsx_file(head, rows), download_name=name, as_attachment=True)
