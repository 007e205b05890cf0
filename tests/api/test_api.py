import json
from pathlib import Path

from app.api.views import OPENAPI


def test_communes_and_areas(client):
    body = client.get("/api/v1/communes").get_json()
    assert len(body["communes"]) == 17 and body["source"] == "Statbel (2020)"
    sud = client.get("/api/v1/communes?area=sud-esem").get_json()["communes"]
    assert len(sud) == 12 and sum(c["population_2020"] for c in sud) == 97_338
    assert client.get("/api/v1/communes?area=mars").status_code == 400


def test_one_commune_with_sections(client):
    commune = client.get("/api/v1/communes/56005").get_json()["commune"]
    assert commune["name"] == "Beaumont"
    assert {"code": "56005H", "name": "Strée", "postcodes": ["6511"]} in commune["sections"]


def test_places(client):
    places = client.get("/api/v1/places?q=5660").get_json()["places"]
    assert len(places) == 14 and all(p["nis"] == "93014" for p in places)
    assert client.get("/api/v1/places?q=").status_code == 400
    assert client.get("/api/v1/places?q=9999").get_json() == {"places": []}


def test_themes_in_the_requesters_language(client):
    themes = client.get("/api/v1/themes", headers={"Accept-Language": "de"}).get_json()["themes"]
    assert {"slug": "pcs-food", "family": "pcs-axis", "position": 4, "name": "Ernährung"} in themes


def test_the_openapi_document_describes_every_api_route(app, client):
    document = client.get("/api/openapi.json").get_json()
    assert document == json.loads(Path(OPENAPI).read_text(encoding="utf-8"))
    documented = {path for path in document["paths"]}
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") or rule.rule == "/healthz":
            served.add(rule.rule.replace("<", "{").replace(">", "}"))
    assert documented == served
