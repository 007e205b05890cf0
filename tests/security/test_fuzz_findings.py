"""The 5xx the fuzzers found, each kept closed by name (issue 16)."""

import pytest

FR = {"Accept-Language": "fr"}


@pytest.mark.parametrize(
    "body", [b"[1, null]", b'{"email": {"a": 1}}', b'{"email": 3}', b'{"email": [null]}', b"7"]
)
def test_a_json_body_that_is_no_form_is_refused_by_a_page(client, body):
    response = client.post("/connexion", data=body, content_type="application/json", headers=FR)
    assert response.status_code == 400
    assert "Cette page attend un formulaire" in response.get_data(as_text=True)


def test_a_json_body_of_texts_is_still_read_as_a_form(client, make_user):
    user = make_user("committee")
    body = {"email": user.email, "password": "correct horse battery"}
    assert client.post("/connexion", json=body).status_code == 302


@pytest.mark.parametrize(
    "path",
    [
        "/compte/jetons/99999999999999999999/revoquer",
        "/admin/utilisateurs/2147483648/perimetre",
        "/analyse/every-type/textes/99999999999999999999",
    ],
)
def test_an_id_no_database_column_holds_is_no_address(client, make_user, login, path):
    login(make_user("admin"))
    assert client.post(path).status_code == 404


def test_a_partner_scope_sent_empty_is_saved_empty(client, make_user, login):
    login(make_user("admin"))
    partner = make_user("partner")
    response = client.post(f"/admin/utilisateurs/{partner.id}/perimetre", data={})
    assert response.status_code == 302
