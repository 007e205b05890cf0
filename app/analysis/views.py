"""Results pages: the public one exists only where the questionnaire makes its results public;
the committee's dashboards are for the steering committee and administrators."""

from functools import wraps
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
from flask_babel import format_date
from flask_babel import gettext as _

from app.accounts.models import Role
from app.accounts.roles import role_required
from app.analysis import access, atlas, cache, exports, factsheets, filtered, microdata, reading
from app.analysis.crosstab import UnknownBreakdown, check, crosstab
from app.analysis.dashboard import dashboard
from app.analysis.public import public_results
from app.analysis.queries import sent, span
from app.analysis.tallies import up_to_date
from app.analysis.themes import on_theme, theme_names, themes_of
from app.analysis.wording import material_for, reading_language, words
from app.errors import render_error
from app.respond import queries as respond_queries
from app.respond.views import _lang
from app.surveys import pending
from app.territory.queries import communes

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


def refusing(view):
    """Out of the reader's rights: 403; a query the view cannot answer: 400. Both with a
    message, before any figure is gathered or shown."""

    @wraps(view)
    def checked(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except access.OutOfScope as refused:
            return render_error(403, str(refused))
        except reading.BadQuery as bad:
            return render_error(400, str(bad))

    return checked


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
    key = cache.reading_key("public", found, None, {"lang": lang})
    results, period = cache.remembered(key, lambda: _public_figures(found, lang))
    return render_template(
        "analysis/public.html", found=found, lang=lang, results=results, period=period
    )


def _public_figures(found, lang: str):
    tallies = up_to_date(found.survey.id)
    k = current_app.config["ANALYSIS_MIN_CELL"]
    return public_results(found.definition, tallies, k, lang), span(found.survey.id)


@bp.get("/analyse/")
@role_required(Role.COMMITTEE, Role.PARTNER)
@refusing
def index():
    rights = access.scope()
    access.require_some(rights)
    names = theme_names()
    surveys = [
        found
        for found in respond_queries.all_surveys()
        if any(rights.theme(slug) for slug in themes_of(found.definition, names))
    ]
    used = {slug for found in surveys for slug in themes_of(found.definition, names)}
    listed = {
        slug: name
        for slug, name in names.items()
        if slug in used and rights.theme(slug) and rights.communes is None
    }
    return render_template("analysis/index.html", surveys=surveys, themes=listed, rights=rights)


@bp.get("/analyse/themes/<theme>")
@role_required(Role.COMMITTEE, Role.PARTNER)
@refusing
def theme_board(theme: str):
    """One theme across questionnaires: each questionnaire's own protected tables for the
    questions on that theme (no new figure, so nothing more to protect)."""
    names = theme_names()
    if theme not in names:
        abort(404)
    rights = access.scope()
    access.require_some(rights)
    if rights.communes is not None:
        raise access.OutOfScope(_("Your account reads the figures of its own communes only."))
    if not rights.theme(theme):
        raise access.OutOfScope(_("This theme is not among the sectors of your account."))
    parts = []
    for found in respond_queries.all_surveys():
        if theme not in themes_of(found.definition, names):
            continue
        material = material_for(found)
        questions = on_theme(found.definition, material.results.questions, theme)
        parts.append((found, material, questions, _charts(questions, material.k)))
    return render_template("analysis/theme.html", theme=names[theme], parts=parts)


@bp.get("/analyse/<slug>")
@role_required(Role.COMMITTEE, Role.PARTNER)
@refusing
def survey(slug: str):
    found = _found(slug)
    rights = access.scope()
    access.require_some(rights)
    key = cache.reading_key("dashboard", found, rights, request.args)
    page = cache.remembered(key, lambda: _dashboard_page(found, rights, request.args))
    return render_template("analysis/dashboard.html", found=found, rights=rights, **page)


def _dashboard_page(found, rights, args) -> dict:
    """The dashboard's figures (aggregates only: what the cache keeps)."""
    material = material_for(found)
    read = reading.read(material, rights, theme_names(), args)
    page = {"board": read.board, "view": read.view, "questions": read.questions}
    page |= {"theme": read.theme, "themes": read.themes}
    page["filters"] = reading.filter_choices(rights, material)
    page["charts"] = _charts(read.questions, material.k)
    if read.view is None:
        indicators = {
            title: kept
            for title, group in atlas.indicators(material).items()
            if (kept := [i for i in group if reading.within(rights, material, _key(i.value))])
        }
        page["indicators"], page["indicator"] = indicators, args.get("carte")
        wanted = _key(page["indicator"] or "")
        if wanted in material.offered and not reading.within(rights, material, wanted):
            raise access.OutOfScope(_("This theme is not among the sectors of your account."))
        try:
            page["map"] = _map(material, read.board, page["indicator"])
        except atlas.UnknownIndicator:
            raise reading.BadQuery(
                _("Unknown indicator for the map: choose one from the list.")
            ) from None
    return page


def _key(indicator: str) -> str:
    return indicator.partition(":")[0]


def _map(material, board, indicator: str | None):
    if indicator:
        return atlas.answer_map(material, indicator, communes())
    return atlas.coverage_map(board.coverage, communes()) if board.coverage else None


def _charts(questions, k: int) -> dict:
    from app.analysis.charts import charts  # plotly: loaded by these pages only

    return charts(questions, k)


@bp.get("/analyse/<slug>/croiser")
@role_required(Role.COMMITTEE)
def cross(slug: str):
    found = _found(slug)
    material = material_for(found)
    k, offered = material.k, material.offered
    chosen = (request.args.get("lignes"), request.args.get("colonnes"))
    enough = material.responses >= k
    page = {"found": found, "offered": offered, "chosen": chosen, "k": k, "table": None}
    page["enough"] = enough
    if not any(chosen):
        return render_template("analysis/cross.html", **page)
    try:
        check(offered, *chosen)
        table = crosstab(offered, material.pairs, *chosen, k) if enough else None
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
    material = material_for(found)
    board = dashboard(material)
    head, rows = exports.header(words()), exports.table_rows(board, material.k)
    name = f"{slug}-tableaux.{kind}"
    if kind == "csv":
        return Response(
            exports.csv_chunks(head, rows),  # plain figures already worked out: no context needed
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return send_file(exports.xlsx_file(head, rows), download_name=name, as_attachment=True)


@bp.get("/analyse/<slug>/profil/<nis>")
@role_required(Role.COMMITTEE, Role.PARTNER)
@refusing
def fact_sheet(slug: str, nis: str):
    found = _found(slug)
    rights = access.scope()
    access.require_some(rights)
    if nis not in {c.nis for c in communes()}:
        return render_error(404, _("No commune of the territory has this code."))
    access.require_commune(rights, nis)
    theme = request.args.get("theme") or None
    names = themes_of(found.definition, theme_names())
    if theme is not None and theme not in names:
        return render_error(400, _("This questionnaire has no question on that theme."))
    theme = access.theme_for(rights, names, theme)
    key = cache.reading_key("fact sheet", found, rights, {"nis": nis, "theme": theme or ""})
    try:
        page = cache.remembered(key, lambda: _fact_sheet_page(found, nis, theme))
    except filtered.UnknownFilter:
        return render_error(404, _("No commune of the territory has this code."))
    except filtered.TooFewInGroup as group:
        return render_error(400, reading.too_few(group))
    return render_template(
        "analysis/factsheet.html",
        found=found,
        theme=theme,
        theme_name=names.get(theme),
        whole=rights.communes is None,
        **page,
    )


def _fact_sheet_page(found, nis: str, theme: str | None) -> dict:
    """A fact sheet's figures (aggregates only: what the cache keeps)."""
    material = material_for(found)
    population = {c.nis: c.population_2020 for c in communes()}
    sheet = factsheets.fact_sheet(
        material,
        nis,
        population,
        lambda found_questions: on_theme(found.definition, found_questions, theme),
    )
    period = [format_date(d, "MMMM y") if d else "–" for d in (material.first, material.last)]
    return {"sheet": sheet, "responses": material.responses, "k": material.k, "period": period}


@bp.get("/analyse/<slug>/reponses.<any(csv, xlsx, sav):kind>")
@role_required(Role.COMMITTEE)
def export_responses(slug: str, kind: str):
    found = _found(slug)
    pending.settle(found.survey.id)  # responses sent whole are exported with their answers
    lang = reading_language(found.definition)
    made = microdata.layout(found.definition, lang, words(), communes())
    rows = microdata.rows(found.survey.id, made)
    name = f"{slug}-reponses.{kind}"
    if kind == "csv":
        head = [c.name for c in made.columns]
        return Response(
            _with_app(current_app._get_current_object(), exports.csv_chunks(head, rows)),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    if kind == "xlsx":
        made_file = exports.microdata_xlsx(made, rows, words())
    else:
        made_file = exports.microdata_sav(made, rows, sent(found.survey.id))
    return send_file(made_file, download_name=name, as_attachment=True)


def _with_app(app, chunks):
    """Rows are read from the database while they are sent, after the view has returned: in an
    application context of their own."""
    with app.app_context():
        yield from chunks
