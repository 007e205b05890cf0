"""A definition may ask for consent, and may refuse answers from outside its territory."""

import re

import pytest

from app.extensions import db
from app.surveys.services import load_paths
from tests.conftest import EVERY_TYPE
from tests.respond.conftest import PROFILE, errors, send, start


@pytest.fixture
def strict(app, survey, tmp_path):
    text = EVERY_TYPE.read_text(encoding="utf-8")
    text = text.replace("territory: sud-esem+haute-meuse", "territory: sud-esem")
    text = text.replace(
        "retention_months: 36",
        "retention_months: 36\nconsent_required: true\noutside_territory: refuse",
    )
    path = tmp_path / "every-type.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_paths([path]).outcomes == [("every-type", "version 2 (edited)")]
    db.session.commit()


def begin_with_consent(client):
    html = client.get("/s/every-type").get_data(as_text=True)
    assert 'name="consent"' in html
    key = re.search(r'name="start_key" value="([^"]+)"', html).group(1)
    refused = client.post("/s/every-type/commencer", data={"start_key": key})
    assert refused.headers["Location"].endswith("/s/every-type")  # back to the intro, with a word
    return client.post(
        "/s/every-type/commencer", data={"start_key": key, "consent": "yes"}
    ).headers["Location"]


@pytest.mark.parametrize("place", ["c:91034", "elsewhere"])  # Dinant is Haute-Meuse
def test_outside_the_territory_is_refused_with_a_message(client, strict, place):
    page = begin_with_consent(client)
    response = send(client, page, PROFILE | {"commune": place})
    assert response.status_code == 400
    assert "réservé aux habitants" in " ".join(errors(response.get_data(as_text=True)))


def test_prefer_not_to_say_is_kept(client, strict):
    page = begin_with_consent(client)
    assert send(client, page, PROFILE | {"commune": "undisclosed"}).status_code == 302


def test_without_the_rule_elsewhere_is_kept(client, survey):
    page = start(client)
    assert send(client, page, PROFILE | {"commune": "elsewhere"}).status_code == 302
