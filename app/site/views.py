from datetime import date

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale

from app.i18n import LANGUAGE_COOKIE
from app.navigation import local_path
from app.site import health, queries
from app.site.questionnaires import listed
from app.territory import queries as territory

bp = Blueprint("site", __name__, template_folder="templates")


@bp.get("/")
def home():
    questionnaires = listed(str(get_locale()))
    return render_template(
        "site/home.html",
        open_now=[q for q in questionnaires if q.state == "open"],
        with_results=[q for q in questionnaires if q.public_results],
        working_groups=territory.themes("working-group"),
        pcs_axes=territory.themes("pcs-axis"),
        areas={area: territory.communes(area) for area in ("sud-esem", "haute-meuse")},
        population={area: queries.population(area) for area in ("sud-esem", "haute-meuse")},
    )


@bp.get("/questionnaires")
def questionnaires():
    found = listed(str(get_locale()))
    return render_template(
        "site/questionnaires.html",
        groups=[(state, [q for q in found if q.state == state]) for state in STATES],
    )


STATES = ("open", "not_yet", "closed")
STATEMENT_DATE = date(2026, 12, 6)  # when the accessibility statement was last reviewed


@bp.get("/accessibilite")
def accessibility():
    """The accessibility statement (EN 301 549, WCAG 2.1 AA), on the EU model statement."""
    return render_template("site/accessibility.html", reviewed=STATEMENT_DATE)


@bp.post("/langue")
def choose_language():
    lang = request.form.get("lang", "")
    response = redirect(local_path(request.form.get("next")) or url_for(".home"))
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie(LANGUAGE_COOKIE, lang, max_age=365 * 86400, samesite="Lax")
    return response


@bp.get("/healthz")
def healthz():
    ok = queries.database_reachable()
    body = {"status": "ok" if ok else "unavailable", "database": "ok" if ok else "unreachable"}
    body["redis"] = health.redis_status()
    return jsonify(body), 200 if ok else 503
