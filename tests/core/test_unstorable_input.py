"""Input no database can store, or no parser should try, is refused with a 400 and a message
(issue 16: each was a 500 found by fuzzing, most on PostgreSQL, which refuses NUL characters
and lone surrogates). Run on SQLite and on PostgreSQL."""

import json

import pytest

NUL = "\x00"


def refused(response, status=400):
    """The status, and a message a person (or a client) can read."""
    assert response.status_code == status, (response.status_code, response.data[:300])
    body = response.get_data(as_text=True)
    assert "Erreur interne" not in body and "Internal" not in body
    return body


@pytest.mark.parametrize(
    "path",
    ["/s/every%00type", "/territoire/93%0014", "/resultats/a%00b", "/s/every-type/p/x%00y"],
)
def test_a_nul_in_a_path_segment(client, survey, path):
    refused(client.get(path))


def test_a_nul_in_a_query_parameter(client, survey):
    refused(client.get("/api/v1/places?q=Cou%00vin"))


def test_a_nul_in_the_login_email(client, make_user):
    make_user("partner", email="someone@example.be")
    body = refused(
        client.post("/connexion", data={"email": f"someone{NUL}@example.be", "password": "x"})
    )
    assert "caractère" in body


def test_a_nul_in_the_start_key(client, survey):
    refused(client.post("/s/every-type/commencer", data={"start_key": f"abc{NUL}def"}))


def refused_by_the_api(client, raw: str, message: str) -> None:
    """A JSON body sent to the API: a 400 whose JSON error says what was wrong."""
    response = client.post(
        "/api/v1/surveys/every-type/responses",
        data=raw,
        content_type="application/json",
        headers={"Idempotency-Key": "unstorable-01"},
    )
    assert message in json.loads(refused(response))["error"]["message"]


def test_json_nested_a_thousand_deep(client, survey):
    deep = '{"answers": ' + "[" * 1000 + "]" * 1000 + "}"
    refused_by_the_api(client, deep, "imbriqué trop profondément")


@pytest.mark.parametrize("text", ["\ud800", "ok \udfff", f"a{NUL}b"])
def test_a_lone_surrogate_or_a_nul_in_an_answer(client, survey, text):
    raw = json.dumps({"answers": {"commune": "s:56005B", "why_no_car": text}})  # \\ud800 escaped
    refused_by_the_api(client, raw, "ne peut pas être enregistré")


def test_a_token_label_of_invisible_characters(client, make_user, login):
    login(make_user("committee"))
    body = refused(client.post("/compte/jetons", data={"label": "\u200b\u200c\u2060\ufeff"}))
    assert "error-message" in body
