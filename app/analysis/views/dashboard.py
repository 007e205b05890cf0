"""The committee's and partners' dashboards: the list, one questionnaire (whole, a group,
weighted, mapped), one theme across questionnaires, and a commune's fact sheet."""

from flask import abort, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _

from app.accounts.models import Role
from app.accounts.roles import role_required
from app.analysis import access, cache
from app.analysis.render import atlas
from app.analysis.results import digest, factsheets, reading
from app.analysis.results import groups as filtered
from app.analysis.results.figures import figures_for
from app.analysis.results.themes import on_theme, theme_names, themes_of
from app.analysis.views import bp, charts_of, found_or_404, refusing
from app.analysis.views.releases import publication
from app.errors import render_error
from app.surveys.queries import all_surveys
from app.territory.queries import communes


@bp.get("/analyse/")
@role_required(Role.COMMITTEE, Role.PARTNER)
@refusing
def index():
    rights = access.scope()
    access.require_some(rights)
    names = theme_names()
    surveys = [
        found
        for found in all_surveys()
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
    """One theme across questionnaires: first its digest (each questionnaire's indicators on
    the theme, in the whole territory and by commune, and a map of one of them), then each
    questionnaire's own protected tables for the questions on that theme, profile questions
    left out (no new figure: nothing more to protect)."""
    names = theme_names()
    if theme not in names:
        abort(404)
    rights = access.scope()
    access.require_some(rights)
    if rights.communes is not None:
        raise access.OutOfScope(_("Your account reads the figures of its own communes only."))
    if not rights.theme(theme):
        raise access.OutOfScope(_("This theme is not among the sectors of your account."))
    parts, waiting = [], []
    for found in all_surveys():
        if theme not in themes_of(found.definition, names):
            continue
        try:
            release = access.release_for(rights, found)
        except access.NotReleased:
            waiting.append(found)
            continue
        figures = figures_for(found, crossings=True, release=release)
        questions = [
            q
            for q in on_theme(figures.definition, figures.results.questions, theme)
            if not _profile(figures.definition, q.id)
        ]
        found_indicators = digest.indicators(figures, theme)
        parts.append(
            (found, figures, questions, charts_of(questions, figures.k), release, found_indicators)
        )
    chosen, the_map = _digest_map(parts, request.args.get("indicateur"))
    return render_template(
        "analysis/theme.html",
        theme=names[theme],
        parts=parts,
        waiting=waiting,
        places={c.nis: c.name for c in communes()},
        chosen=chosen,
        map=the_map,
    )


def _profile(definition, question_id: str) -> bool:
    """Who answered (the place, the age, a quasi-identifier), not the need: left to the
    questionnaire's dashboard."""
    from app.analysis.results.weighting import age_question

    question = definition.question(question_id)
    return question.residence or question.quasi_identifier or question is age_question(definition)


def _digest_map(parts, wanted: str | None):
    """The map of one indicator: the one asked for (« slug|question:answer »), else the first."""
    offered = {
        f"{found.survey.slug}|{i.value}": (figures, i)
        for found, figures, *_rest, found_indicators in parts
        for i in found_indicators
    }
    if wanted is not None and wanted not in offered:
        raise reading.BadQuery(_("Unknown indicator for the map: choose one from the list."))
    chosen = wanted or next(iter(offered), None)
    if chosen is None:
        return None, None
    figures, indicator = offered[chosen]
    return chosen, atlas.answer_map(figures, indicator.value, communes())


@bp.get("/analyse/<slug>")
@role_required(Role.COMMITTEE, Role.PARTNER)
@refusing
def survey(slug: str):
    found = found_or_404(slug)
    rights = access.scope()
    access.require_some(rights)
    release = access.release_for(rights, found)
    key = cache.reading_key("dashboard", found, rights, request.args, release)
    page = cache.remembered(key, lambda: _dashboard_page(found, rights, request.args, release))
    return render_template(
        "analysis/dashboard.html",
        found=found,
        rights=rights,
        release=release,
        publication=publication(found) if rights.everything else None,
        **page,
    )


def _dashboard_page(found, rights, args, release) -> dict:
    """The dashboard's figures (aggregates only: what the cache keeps)."""
    wanted = reading.wants_crossings(rights, args)
    figures = figures_for(found, crossings=wanted, release=release)
    read = reading.read(figures, rights, theme_names(), args)
    page = {"board": read.board, "view": read.view, "questions": read.questions}
    page |= {"theme": read.theme, "themes": read.themes}
    page["filters"] = reading.filter_choices(rights, figures)
    page["second_choices"] = reading.second_choices(rights, figures)
    page["charts"] = charts_of(read.questions, figures.k)
    if read.view is None:
        indicators = {
            title: kept
            for title, group in atlas.indicators(figures).items()
            if (kept := [i for i in group if reading.within(rights, figures, _key(i.value))])
        }
        page["indicators"], page["indicator"] = indicators, args.get("carte")
        wanted = _key(page["indicator"] or "")
        if wanted in figures.offered and not reading.within(rights, figures, wanted):
            raise access.OutOfScope(_("This theme is not among the sectors of your account."))
        try:
            page["map"] = _map(figures, read.board, page["indicator"])
        except atlas.UnknownIndicator:
            raise reading.BadQuery(
                _("Unknown indicator for the map: choose one from the list.")
            ) from None
    return page


def _key(indicator: str) -> str:
    return indicator.partition(":")[0]


def _map(figures, board, indicator: str | None):
    if indicator:
        return atlas.answer_map(figures, indicator, communes())
    return atlas.coverage_map(board.coverage, communes()) if board.coverage else None


@bp.get("/analyse/<slug>/profil/<nis>")
@role_required(Role.COMMITTEE, Role.PARTNER)
@refusing
def fact_sheet(slug: str, nis: str):
    found = found_or_404(slug)
    rights = access.scope()
    access.require_some(rights)
    if nis not in {c.nis for c in communes()}:
        return render_error(404, _("No commune of the territory has this code."))
    access.require_commune(rights, nis)
    release = access.release_for(rights, found)
    theme = request.args.get("theme") or None
    names = themes_of(found.definition, theme_names())
    if theme is not None and theme not in names:
        return render_error(400, _("This questionnaire has no question on that theme."))
    theme = access.theme_for(rights, names, theme)
    whole = rights.communes is None  # a commune partner reads no figure of the whole territory
    query = {"nis": nis, "theme": theme or ""}
    key = cache.reading_key("fact sheet", found, rights, query, release)
    try:
        page = cache.remembered(key, lambda: _fact_sheet_page(found, nis, theme, release, whole))
    except filtered.UnknownFilter:
        return render_error(404, _("No commune of the territory has this code."))
    except filtered.TooFewInGroup as group:
        return render_error(400, reading.too_few(group))
    return render_template(
        "analysis/factsheet.html",
        found=found,
        theme=theme,
        theme_name=names.get(theme),
        whole=whole,
        release=release,
        **page,
    )


def _fact_sheet_page(found, nis: str, theme: str | None, release, whole: bool = True) -> dict:
    """A fact sheet's figures (aggregates only: what the cache keeps). whole: with the whole
    territory's figures (the dashboard's own tables, the same on every commune's sheet)."""
    figures = figures_for(found, crossings=True, release=release)
    population = {c.nis: c.population_2020 for c in communes()}
    sheet = factsheets.fact_sheet(
        figures,
        nis,
        population,
        lambda found_questions: on_theme(figures.definition, found_questions, theme),
        whole=whole,
    )
    period = [format_date(d, "MMMM y") if d else "–" for d in (figures.first, figures.last)]
    return {"sheet": sheet, "responses": figures.responses, "k": figures.k, "period": period}
