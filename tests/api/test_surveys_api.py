"""The survey API, checked against its OpenAPI document with the API's real answers."""

import json
from datetime import date

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import func, select

from app.api.views import OPENAPI
from app.extensions import db
from app.surveys.models import Response
from app.surveys.services import read_answers

DOCUMENT = json.loads(OPENAPI.read_text(encoding="utf-8"))
ANSWERS = {
    "commune": "s:56005B",
    "age_band": "65_plus",
    "has_car": "no",
    "transport": ["bus"],
    "main_transport": "bus",
    "why_no_car": "Un bus le soir",
}


def conforms(response, path: str, method: str = "get") -> dict:
    """The body validates against the schema documented for this path, method and status."""
    documented = DOCUMENT["paths"][path][method]["responses"][str(response.status_code)]
    schema = documented["content"]["application/json"]["schema"]
    Draft202012Validator({**DOCUMENT, **schema}).validate(response.get_json())
    return response.get_json()


def post(client, body, key="kiosk-1-0001"):
    return client.post(
        "/api/v1/surveys/every-type/responses", json=body, headers={"Idempotency-Key": key}
    )


RESPONSES = "/api/v1/surveys/{slug}/responses"


def test_list_and_detail(client, survey):
    body = conforms(client.get("/api/v1/surveys"), "/api/v1/surveys")
    assert [s["slug"] for s in body["surveys"]] == ["every-type"]
    detail = conforms(client.get("/api/v1/surveys/every-type"), "/api/v1/surveys/{slug}")
    names = {f["name"] for f in detail["fields"]}
    assert {"commune", "transport", "transport-other", "access-gp", "needs-1"} <= names
    conforms(client.get("/api/v1/surveys/nope"), "/api/v1/surveys/{slug}")


def test_created_then_identical_replay_then_conflict(client, survey):
    created = post(client, {"answers": ANSWERS})
    assert created.status_code == 201
    first = conforms(created, RESPONSES, "post")
    assert first["deletion_code"]
    replay = post(client, {"answers": ANSWERS})
    assert replay.status_code == 200
    again = conforms(replay, RESPONSES, "post")
    assert again["response"]["id"] == first["response"]["id"]
    # The first reply may have been lost: the replay carries a new code, the first one is void.
    assert again["deletion_code"] and again["deletion_code"] != first["deletion_code"]
    conflict = post(client, {"answers": ANSWERS | {"age_band": "30_64"}})
    assert conflict.status_code == 409
    conforms(conflict, RESPONSES, "post")
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    stored = read_answers(db.session.scalar(select(Response)))
    assert stored["commune"].section == "56005B" and stored["why_no_car"] == "Un bus le soir"


@pytest.mark.parametrize(
    ("answers", "field", "fragment"),
    [
        ({"invented": "x"}, "invented", "unknown field"),
        ({"age_band": "999"}, "age_band", "parmi les réponses proposées"),
        ({"age_band": True}, "age_band", "a string, a number or a list"),
        ({"km_to_gp": "beaucoup"}, "km_to_gp", "Écrivez un nombre"),
        ({"remarks": "x" * 201}, "remarks", "200 caractères"),
        ({"has_car": "yes", "why_no_car": "forged"}, "why_no_car", "hidden"),
        ({"commune": ""}, "commune", "Dites-nous où"),
        ({"commune": "s:99999Z"}, "commune", "Choisissez un lieu dans la liste"),
        ({"commune": "", "commune-q": "5660"}, "commune", "ont le code postal 5660"),
        ({"commune": "", "commune-q": "Atlantis"}, "commune", "« Atlantis »"),
    ],
)
def test_bad_answers_get_an_error_per_field(client, survey, answers, field, fragment):
    response = post(client, {"answers": ANSWERS | answers}, key=f"bad-{field}-0001")
    assert response.status_code == 422
    errors = conforms(response, RESPONSES, "post")["error"]["errors"]
    assert fragment in " ".join(errors[field])
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_a_place_can_be_typed_as_the_web_picker_reads_it(client, survey):
    answers = ANSWERS | {"commune": "", "commune-q": "Sivry-Rance"}
    assert post(client, {"answers": answers}).status_code == 201
    stored = read_answers(db.session.scalar(select(Response)))
    assert stored["commune"].kind == "commune" and stored["commune"].nis == "56088"


def test_a_used_key_is_a_conflict_even_when_the_other_content_is_wrong(client, survey):
    assert post(client, {"answers": ANSWERS}).status_code == 201
    wrong = post(client, {"answers": ANSWERS | {"age_band": "999"}})
    assert wrong.status_code == 409
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_a_key_whose_first_request_vanished_asks_to_send_again(client, survey, monkeypatch):
    """The key was taken when this request inserted, but the request holding it rolled back
    before the lookup: nothing is stored twice and the client is told to send again."""
    assert post(client, {"answers": ANSWERS}).status_code == 201
    monkeypatch.setattr("app.respond.api_services._by_key", lambda key: None)
    vanished = post(client, {"answers": ANSWERS})
    assert vanished.status_code == 409
    assert "send it again" in conforms(vanished, RESPONSES, "post")["error"]["message"]
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_bad_requests(client, survey):
    missing_key = client.post("/api/v1/surveys/every-type/responses", json={"answers": ANSWERS})
    assert (
        missing_key.status_code == 400
        and "Idempotency-Key" in conforms(missing_key, RESPONSES, "post")["error"]["message"]
    )
    not_json = client.post(
        "/api/v1/surveys/every-type/responses",
        data="answers=1",
        headers={"Idempotency-Key": "k-12345678"},
    )
    assert not_json.status_code == 400
    assert post(client, {"answers": "nope"}, key="k-answers-str").status_code == 422
    unknown = client.post(
        "/api/v1/surveys/nope/responses", json={}, headers={"Idempotency-Key": "k-12345678"}
    )
    assert unknown.status_code == 404


def test_a_closed_survey_refuses_answers(client, survey, monkeypatch):
    monkeypatch.setattr("app.surveys.queries.today", lambda: date(2027, 6, 1))
    response = post(client, {"answers": ANSWERS})
    assert (
        response.status_code == 422
        and "closed" in response.get_json()["error"]["errors"]["survey"][0]
    )


def test_the_openapi_document_is_served_at_v1(client):
    assert client.get("/api/v1/openapi.json").get_json() == DOCUMENT
