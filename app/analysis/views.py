"""Results pages: the public one exists only where the questionnaire makes its results public;
the committee's dashboards are for the steering committee and administrators."""

from importlib.util import find_spec
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    send_file,
)
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from app.accounts.models import Role
from app.accounts.roles import role_required
from app.analysis import atlas, exports, factsheets, filtered, microdata
from app.analysis.crosstab import NOT_ANSWERED, UnknownBreakdown, check, crosstab
from app.analysis.dashboard import dashboard
from app.analysis.material import gather
from app.analysis.public import public_results
from app.analysis.queries import collected
from app.errors import render_error
from app.respond import queries as respond_queries
from app.respond.views import _lang
from app.surveys.types.scale import DONT_KNOW
from app.territory.places import ELSEWHERE, UNDISCLOSED
from app.territory.queries import communes, themes

bp = Blueprint(
    "analysis",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/analyse/static",
)
PLOTLY_JS = Path(find_spec("plotly").submodule_search_locations[0], "package_data", "plotly.min.js")


@bp.get("/analyse/plotly.min.js")
def plotly_js():
    """plotly.js from the plotly package itself: no CDN. Found without importing plotly, which
    only the chart-drawing views load."""
    return send_file(PLOTLY_JS, mimetype="text/javascript", max_age=86400, conditional=True)


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
    names = _theme_names()
    used = {slug for found in surveys for slug in _themes_of(found.definition, names)}
    listed = {slug: name for slug, name in names.items() if slug in used}
    return render_template("analysis/index.html", surveys=surveys, themes=listed)


@bp.get("/analyse/themes/<theme>")
@role_required(Role.COMMITTEE)
def theme_board(theme: str):
    """One theme across questionnaires: each questionnaire's own protected tables for the
    questions on that theme (no new figure, so nothing more to protect)."""
    names = _theme_names()
    if theme not in names:
        abort(404)
    parts = []
    for found in respond_queries.all_surveys():
        if theme not in _themes_of(found.definition, names):
            continue
        material = _material(found)
        questions = _on_theme(found.definition, material.results.questions, theme)
        parts.append((found, material, questions, _charts(questions, material.k)))
    return render_template("analysis/theme.html", theme=names[theme], parts=parts)


def _words() -> dict:
    return {
        "web": _("On the web"),
        "kiosk": _("Shared tablet or kiosk"),
        "paper": _("Paper, typed in"),
        ELSEWHERE: _("Elsewhere (outside these communes)"),
        UNDISCLOSED: _("I prefer not to say"),
        NOT_ANSWERED: _("Not answered"),
        DONT_KNOW: _("I don't know"),
        "commune": _("Commune of residence"),
        "area": _("Area of residence"),
        "province": _("Province of residence"),
        "channel": _("Channel"),
        "period": _("Period (quarter of the response)"),
        "sud-esem": _("Sud Entre-Sambre-et-Meuse"),
        "haute-meuse": _("Haute-Meuse"),
        "question": _("Question"),
        "table": _("Line"),
        "answer": _("Answer"),
        "people": _("People"),
        "share": _("Share"),
        "low": _("Interval, lower bound"),
        "high": _("Interval, upper bound"),
        "row": _("Row"),
        "month": _("month"),
        "yes": _("Yes"),
        "no": _("No"),
    }


def _reading_language(definition) -> str:
    wanted = str(get_locale())
    return wanted if wanted in definition.languages else "fr"


def _material(found):
    k = current_app.config["ANALYSIS_MIN_CELL"]
    return gather(found, k, _reading_language(found.definition), _words())


@bp.get("/analyse/<slug>")
@role_required(Role.COMMITTEE)
def survey(slug: str):
    found = _found(slug)
    material = _material(found)
    weighting = request.args.get("ponderation", "")
    chosen_theme = request.args.get("theme") or None
    theme_names = _theme_names()
    page = {"found": found, "material": material, "filters": filtered.choices(material)}
    page |= {"theme": chosen_theme, "themes": _themes_of(found.definition, theme_names)}
    if weighting not in ("", "communes"):
        return render_error(400, _("Unknown weighting: leave it out, or weigh to the communes."))
    if chosen_theme is not None and chosen_theme not in page["themes"]:
        return render_error(400, _("This questionnaire has no question on that theme."))
    board = dashboard(material, weighted=weighting == "communes")
    wanted = request.args.get("filtre")
    if wanted:
        if weighting:
            return render_error(
                400, _("Weighting applies to all the respondents: remove the filter to weigh.")
            )
        try:
            view = filtered.filtered(material, filtered.parse(wanted, material))
        except filtered.UnknownFilter:
            return render_error(400, _("Unknown filter: choose a group from the list."))
        except filtered.TooFewInGroup as group:
            return render_error(400, _too_few(group))
        questions = _on_theme(found.definition, view.questions, chosen_theme)
        page["charts"] = _charts(questions, material.k)
        return render_template(
            "analysis/dashboard.html", **page, board=board, view=view, questions=questions
        )
    questions = _on_theme(found.definition, board.results.questions, chosen_theme)
    page["charts"] = _charts(questions, material.k)
    page["indicators"], page["indicator"] = atlas.indicators(material), request.args.get("carte")
    try:
        page["map"] = _map(material, board, page["indicator"])
    except atlas.UnknownIndicator:
        return render_error(400, _("Unknown indicator for the map: choose one from the list."))
    return render_template(
        "analysis/dashboard.html", **page, board=board, view=None, questions=questions
    )


def _map(material, board, indicator: str | None):
    if indicator:
        return atlas.answer_map(material, indicator, communes())
    return atlas.coverage_map(board.coverage, communes()) if board.coverage else None


def _charts(questions, k: int) -> dict:
    from app.analysis.charts import charts  # plotly: loaded by these pages only

    return charts(questions, k)


def _theme_names() -> dict[str, str]:
    return {t.slug: t.name(str(get_locale())) for t in themes()}


def _question_themes(definition, question) -> list[str]:
    return question.themes or definition.themes


def _themes_of(definition, names: dict[str, str]) -> dict[str, str]:
    found = {t for q in definition.questions() for t in _question_themes(definition, q)}
    return {slug: name for slug, name in names.items() if slug in found}


def _on_theme(definition, questions, theme: str | None):
    if theme is None:
        return questions
    return [
        q for q in questions if theme in _question_themes(definition, definition.question(q.id))
    ]


@bp.get("/analyse/<slug>/croiser")
@role_required(Role.COMMITTEE)
def cross(slug: str):
    found = _found(slug)
    material = _material(found)
    k, offered = material.k, material.offered
    chosen = (request.args.get("lignes"), request.args.get("colonnes"))
    enough = len(material.channels) >= k
    page = {"found": found, "offered": offered, "chosen": chosen, "k": k, "table": None}
    page["enough"] = enough
    if not any(chosen):
        return render_template("analysis/cross.html", **page)
    try:
        check(offered, *chosen)
        table = crosstab(offered, list(material.channels), *chosen, k) if enough else None
    except UnknownBreakdown as unknown:
        error = (
            _("« %(key)s » cannot be crossed: choose two different breakdowns.", key=unknown)
            if str(unknown)
            else _("Choose two different breakdowns: one for the rows, one for the columns.")
        )
        return render_template("analysis/cross.html", **page, error=error), 400
    rows, columns = chosen
    if table is not None and (_gated(material, columns, rows) or _gated(material, rows, columns)):
        page["gated"] = True
        table = None
    return render_template("analysis/cross.html", **page | {"table": table})


def _gated(material, key: str, other: str) -> bool:
    """A question asked after some answers, crossed with a breakdown that would tell how many
    people its gate turned away in a group whose count that gate hides."""
    question = material.offered[key].question
    return question is not None and filtered.gate_hides(material, other, question)


@bp.get("/analyse/<slug>/tableaux.<any(csv, xlsx):kind>")
@role_required(Role.COMMITTEE)
def export_tables(slug: str, kind: str):
    found = _found(slug)
    material = _material(found)
    board = dashboard(material)
    head, rows = exports.header(_words()), exports.table_rows(board, material.k)
    name = f"{slug}-tableaux.{kind}"
    if kind == "csv":
        return Response(
            exports.csv_chunks(head, rows),  # plain figures already worked out: no context needed
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return send_file(exports.xlsx_file(head, rows), download_name=name, as_attachment=True)


@bp.get("/analyse/<slug>/profil/<nis>")
@role_required(Role.COMMITTEE)
def fact_sheet(slug: str, nis: str):
    found = _found(slug)
    material = _material(found)
    theme = request.args.get("theme") or None
    names = _themes_of(found.definition, _theme_names())
    if theme is not None and theme not in names:
        return render_error(400, _("This questionnaire has no question on that theme."))
    population = {c.nis: c.population_2020 for c in communes()}
    try:
        sheet = factsheets.fact_sheet(
            material,
            nis,
            population,
            lambda found_questions: _on_theme(found.definition, found_questions, theme),
        )
    except filtered.UnknownFilter:
        return render_error(404, _("No commune of the territory has this code."))
    except filtered.TooFewInGroup as group:
        return render_error(400, _too_few(group))
    data = material.data
    period = [format_date(d, "MMMM y") if d else "–" for d in (data.first, data.last)]
    return render_template(
        "analysis/factsheet.html",
        found=found,
        sheet=sheet,
        material=material,
        k=material.k,
        theme=theme,
        theme_name=names.get(theme),
        period=period,
    )


def _too_few(group) -> str:
    return _(
        "Too few people in « %(group)s » to look at them alone: nobody must be recognisable.",
        group=str(group),
    )


@bp.get("/analyse/<slug>/reponses.<any(csv, xlsx, sav):kind>")
@role_required(Role.COMMITTEE)
def export_responses(slug: str, kind: str):
    found = _found(slug)
    lang = _reading_language(found.definition)
    made = microdata.layout(found.definition, lang, _words(), communes())
    rows = microdata.rows(found.definition, found.survey.id, made)
    name = f"{slug}-reponses.{kind}"
    if kind == "csv":
        head = [c.name for c in made.columns]
        return Response(
            _with_app(current_app._get_current_object(), exports.csv_chunks(head, rows)),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    write = exports.microdata_xlsx if kind == "xlsx" else exports.microdata_sav
    return send_file(write(made, rows), download_name=name, as_attachment=True)


def _with_app(app, chunks):
    """Rows are read from the database while they are sent, after the view has returned: in an
    application context of their own."""
    with app.app_context():
        yield from chunks
