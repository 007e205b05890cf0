from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for

from app.i18n import LANGUAGE_COOKIE
from app.navigation import local_path
from app.site import health, queries
from app.territory import queries as territory

bp = Blueprint("site", __name__, template_folder="templates")


@bp.get("/")
def home():
    return render_template(
        "site/home.html",
        working_groups=territory.themes("working-group"),
        pcs_axes=territory.themes("pcs-axis"),
        areas={area: territory.communes(area) for area in ("sud-esem", "haute-meuse")},
        population={area: queries.population(area) for area in ("sud-esem", "haute-meuse")},
    )


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
