import logging
import re
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db

FR = {"Accept-Language": "fr"}


def test_passwords_are_hashed_with_argon2id(app, make_user):
    user = make_user("committee", password="a long enough secret")
    assert user.password_hash.startswith("$argon2id$")
    assert "a long enough secret" not in user.password_hash


def test_login_lands_on_the_account_and_rotates_the_session(app, client, make_user):
    user = make_user("facilitator")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    response = client.post(
        "/connexion?next=/compte",
        data={"email": user.email.upper(), "password": "correct horse battery"},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/compte"
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == user.session_token
    assert "Test Person" in client.get("/compte").get_data(as_text=True)


def test_wrong_password_and_unknown_account_get_the_same_answer(client, make_user):
    user = make_user("partner")
    wrong = client.post("/connexion", data={"email": user.email, "password": "nope"}, headers=FR)
    unknown = client.post(
        "/connexion", data={"email": "nobody@example.be", "password": "nope"}, headers=FR
    )
    assert wrong.status_code == unknown.status_code == 400

    def message(r):
        return re.findall(r'class="error-message"[^>]*>.*?</span>([^<]*)', r.get_data(as_text=True))

    assert message(wrong) == message(unknown) and message(wrong)
    assert "non reconnu" in message(wrong)[0]


# Targets that lead off-site once a browser has read them: tabs and line breaks are dropped and
# a backslash is a slash (WHATWG URL standard), percent-escapes are decoded in the query string.
OFF_SITE = (
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example",
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%0d%0a/evil.example",
    "%2F%2Fevil.example",
    "/%5C/evil.example",
    "\\/evil.example",
    "%09//evil.example",
    "/%E2%80%A8/evil.example",
    "javascript:alert(1)",
)


def where_a_browser_goes(location: str) -> str:
    """The host a browser reaches from a Location header sent by http://localhost/…"""
    cleaned = "".join(c for c in location if c not in "\t\n\r").replace("\\", "/")
    return urlsplit(urljoin("http://localhost/connexion", cleaned)).netloc


def test_never_redirects_outside_the_site(client, make_user, monkeypatch):
    from app.extensions import limiter

    monkeypatch.setattr(limiter, "enabled", False)  # a dozen logins in a row from one address
    user = make_user("partner")
    for target in OFF_SITE:
        r = client.post(
            f"/connexion?next={target}",
            data={"email": user.email, "password": "correct horse battery"},
        )
        assert r.status_code == 302, target
        assert where_a_browser_goes(r.headers["Location"]) in ("", "localhost"), target
        client.post("/deconnexion")
    r = client.post(
        "/connexion?next=/analyse/mobilite%3Ffiltre%3Dcommune:93010",
        data={"email": user.email, "password": "correct horse battery"},
    )
    assert r.headers["Location"] == "/analyse/mobilite?filtre=commune:93010"


def test_the_language_choice_never_redirects_outside_the_site(client):
    for target in OFF_SITE:
        r = client.post("/langue", data={"lang": "de", "next": unquote(target)})
        assert r.status_code == 302, target
        assert where_a_browser_goes(r.headers["Location"]) in ("", "localhost"), target


def test_login_is_rate_limited(client, make_user):
    user = make_user("partner")
    codes = [
        client.post(
            "/connexion", data={"email": user.email, "password": "x"}, headers=FR
        ).status_code
        for _ in range(6)
    ]
    assert codes[:5] == [400] * 5 and codes[5] == 429
    page = client.post("/connexion", data={"email": user.email, "password": "x"}, headers=FR)
    assert "Trop de tentatives" in page.get_data(as_text=True)


def test_session_cookie_flags(app, client, make_user):
    user = make_user("partner")
    response = client.post(
        "/connexion", data={"email": user.email, "password": "correct horse battery"}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development: plain http on 127.0.0.1


def test_cookies_are_secure_in_production(database_url, tmp_path):
    from app import create_app
    from tests.conftest import make_config

    app = create_app(make_config(database_url, APP_ENV="production", INSTANCE_PATH=str(tmp_path)))
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


def test_logout_needs_a_post(client, make_user, login):
    login(make_user("partner"))
    assert client.get("/deconnexion").status_code == 405
    assert client.post("/deconnexion").status_code == 302
    assert client.get("/compte").status_code == 302  # back to the login page


def test_password_change_signs_out_other_sessions(app, client, make_user, login):
    user = make_user("partner")
    login(user)
    other = app.test_client()  # FreshContextClient, like client
    other.post("/connexion", data={"email": user.email, "password": "correct horse battery"})
    response = client.post(
        "/compte/mot-de-passe",
        data={
            "current": "correct horse battery",
            "new": "a brand new secret",
            "confirm": "a brand new secret",
        },
    )
    assert response.status_code == 302
    assert client.get("/compte").status_code == 200
    assert other.get("/compte").status_code == 302


def test_password_change_with_a_wrong_current_password(client, make_user, login):
    user = make_user("partner")
    login(user)
    response = client.post(
        "/compte/mot-de-passe",
        data={"current": "wrong", "new": "a brand new secret", "confirm": "a brand new secret"},
        headers=FR,
    )
    assert response.status_code == 400
    assert "mot de passe actuel" in response.get_data(as_text=True)


def test_role_protected_page_answers_403_and_logs_it(client, make_user, login, caplog):
    login(make_user("committee"))
    with caplog.at_level(logging.WARNING, logger="app.errors"):
        response = client.get("/admin/utilisateurs", headers=FR)
    assert response.status_code == 403
    assert "Accès refusé" in response.get_data(as_text=True)
    assert any(
        "403" in r.getMessage() and "/admin/utilisateurs" in r.getMessage() for r in caplog.records
    )


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get("/admin/utilisateurs")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_admin_creates_an_account(client, make_user, login):
    login(make_user("admin"))
    response = client.post(
        "/admin/utilisateurs",
        data={
            "email": "Anim@Example.be",
            "display_name": "Anim",
            "role": "facilitator",
            "password": "twelve chars!",
        },
    )
    assert response.status_code == 302
    created = db.session.scalar(select(User).where(User.email == "anim@example.be"))
    assert created.role == "facilitator"
    again = client.post(
        "/admin/utilisateurs",
        data={
            "email": "anim@example.be",
            "display_name": "Bis",
            "role": "partner",
            "password": "twelve chars!",
        },
        headers=FR,
    )
    assert again.status_code == 400 and "déjà" in again.get_data(as_text=True)


def test_cli_creates_the_first_admin(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--role",
            "admin",
            "--email",
            "Chair@Example.be",
            "--name",
            "Chair",
        ],
        input="a long admin password\na long admin password\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "chair@example.be"))
    assert user.role == "admin" and user.has_role("committee")


def test_cli_refuses_a_short_password_with_a_clear_message(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--role",
            "admin",
            "--email",
            "a@example.be",
            "--name",
            "A",
            "--password",
            "short",
        ]
    )
    assert result.exit_code != 0 and "at least 12 characters" in result.output
    assert db.session.scalar(select(User).where(User.email == "a@example.be")) is None


@pytest.mark.parametrize(
    ("role", "lands_on"),
    [
        ("admin", "/admin/utilisateurs"),
        ("committee", "/analyse/"),
        ("partner", "/analyse/"),
        ("facilitator", "/compte"),
    ],
)
def test_each_role_lands_where_it_works(client, make_user, login, role, lands_on):
    user = make_user(role)
    if role == "partner":  # a partner reads the communes and sectors given to it
        from app.accounts.scopes import set_partner_scope

        set_partner_scope(user, ["93014"], [])
        db.session.commit()
    response = login(user)
    assert response.headers["Location"] == lands_on
    page = client.get(lands_on)
    assert page.status_code == 200
    has_link = 'href="/analyse/"' in page.get_data(as_text=True)
    assert has_link == (role in ("admin", "committee", "partner"))  # « Analyse » in the menu


def test_a_refusal_is_logged_without_the_session_token(client, make_user, login, caplog):
    user = make_user("partner")
    login(user)
    with caplog.at_level(logging.WARNING):
        assert client.get("/admin/utilisateurs").status_code == 403
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "403 forbidden" in logged and f"#{user.id}" in logged
    assert user.session_token not in logged


def test_a_partner_given_nothing_yet_lands_on_its_account(client, make_user, login):
    assert login(make_user("partner")).headers["Location"] == "/compte"
