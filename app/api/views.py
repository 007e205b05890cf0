import json
from pathlib import Path

from flask import Blueprint, abort, jsonify, request
from flask_babel import get_locale

from app.territory import queries

bp = Blueprint("api", __name__, url_prefix="/api")
OPENAPI = Path(__file__).with_name("openapi.json")


def _commune(c) -> dict:
    return {
        "nis": c.nis,
        "name": c.name,
        "province": c.province,
        "arrondissement": c.arrondissement,
        "area": c.area,
        "population_2020": c.population_2020,
    }


@bp.get("/openapi.json")
@bp.get("/v1/openapi.json")
def openapi():
    return jsonify(json.loads(OPENAPI.read_text(encoding="utf-8")))


@bp.get("/v1/communes")
def communes():
    area = request.args.get("area")
    if area not in (None, "sud-esem", "haute-meuse"):
        abort(400)
    return jsonify(communes=[_commune(c) for c in queries.communes(area)], source="Statbel (2020)")


@bp.get("/v1/communes/<nis>")
def commune(nis: str):
    c = queries.commune(nis)
    if c is None:
        abort(404)
    sections = [
        {"code": s.code, "name": s.name, "postcodes": [p.postcode for p in s.postcodes]}
        for s in c.sections
    ]
    return jsonify(commune=_commune(c) | {"sections": sections}, source="Statbel (2020)")


@bp.get("/v1/places")
def places():
    query = request.args.get("q", "").strip()
    if not query or len(query) > 80:
        abort(400)
    matches = queries.find_places(query)
    return jsonify(
        places=[
            {
                "value": o.place.value,
                "kind": o.place.kind,
                "nis": o.place.nis,
                "section": o.place.section,
                "label": o.label,
                "commune": o.commune,
            }
            for o in matches
        ]
    )


@bp.get("/v1/themes")
def themes():
    locale = str(get_locale())
    return jsonify(
        themes=[
            {"slug": t.slug, "family": t.family, "position": t.position, "name": t.name(locale)}
            for t in queries.themes()
        ]
    )
