from sqlalchemy.exc import OperationalError

from app import create_app
from tests.conftest import make_config


def test_home_presents_the_platform_groups_and_territory(client):
    html = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Plateforme intersectorielle Sud Entre-Sambre-et-Meuse" in html
    assert "La solidarité, c&#39;est bon pour la santé" in html
    for name in (
        "Mobilité",
        "Insertion socioprofessionnelle",
        "Comité de pilotage",
        "Alimentation",
    ):
        assert name in html
    for commune in ("Beaumont", "Chimay", "Walcourt", "Viroinval", "Anhée", "Yvoir"):
        assert commune in html
    assert "97\u202f338" in html or "97 338" in html or "97\xa0338" in html
    assert "Statbel (2020)" in html


def test_home_in_dutch_names_the_themes_in_dutch(client):
    html = client.get("/", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "Mobiliteit" in html and "Stuurgroep" in html


def test_commune_page(client):
    html = client.get("/territoire/93014").get_data(as_text=True)
    assert "Couvin" in html and "Petigny" in html and "5660" in html and "Statbel (2020)" in html
    assert client.get("/territoire/12345").status_code == 404


def test_healthz_reports_a_reachable_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["database"] == "ok"


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    app = create_app(
        make_config("sqlite:////nonexistent-dir/forbidden.db", INSTANCE_PATH=str(tmp_path))
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"
    assert OperationalError  # the error is swallowed into the status, not a 500
