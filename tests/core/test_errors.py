import pytest
from werkzeug.exceptions import BadRequest

from app import create_app
from tests.conftest import make_config


def test_unknown_page_is_a_404_in_the_persons_language(client):
    fr = client.get("/nulle-part", headers={"Accept-Language": "fr-BE,fr;q=0.9"})
    assert fr.status_code == 404 and "Page introuvable" in fr.get_data(as_text=True)
    de = client.get("/nulle-part", headers={"Accept-Language": "de"})
    assert 'lang="de"' in de.get_data(as_text=True) and "nicht gefunden" in de.get_data(
        as_text=True
    )


def test_api_clients_get_json_errors(client):
    response = client.get("/api/v1/communes/00000", headers={"Accept-Language": "nl"})
    assert response.status_code == 404
    body = response.get_json()["error"]
    assert body["status"] == 404 and body["title"] and body["message"]
    wanted = client.get("/nope", headers={"Accept": "application/json"})
    assert wanted.get_json()["error"]["status"] == 404


@pytest.fixture
def failing_app(database_url, tmp_path):
    # As in production: the exception becomes the 500 page instead of reaching the test.
    config = make_config(database_url, INSTANCE_PATH=str(tmp_path), PROPAGATE_EXCEPTIONS=False)
    app = create_app(config)

    @app.get("/boom")
    def boom():
        raise RuntimeError("broken on purpose")

    @app.get("/bad")
    def bad():
        raise BadRequest()

    return app


def test_a_server_error_is_a_500_page_in_the_persons_language(failing_app):
    response = failing_app.test_client().get("/boom", headers={"Accept-Language": "fr"})
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Un problème est survenu de notre côté" in html and "broken on purpose" not in html


def test_a_bad_request_is_a_400_page(failing_app):
    response = failing_app.test_client().get("/bad", headers={"Accept-Language": "en"})
    assert response.status_code == 400 and "Bad request" in response.get_data(as_text=True)
