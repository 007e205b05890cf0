"""Sessions end on the server: logout and a password change end every copy of the cookie;
idle and absolute timeouts; the session cookie's name and flags in production."""

import pytest

from app.accounts import sessions
from tests.concurrency import clients

FR = {"Accept-Language": "fr"}
EXPORT = "/analyse/every-type/reponses.csv"


def copy_of(app, client):
    """Another browser holding a copy of this one's cookies (stolen, or left on a computer)."""
    return clients(app, 1, like=client)[0]


def test_a_cookie_copied_before_logout_opens_nothing_after(app, client, survey, make_user, login):
    login(make_user("committee", two_factor=True))
    copy = copy_of(app, client)
    assert copy.get("/compte").status_code == 200 and copy.get(EXPORT).status_code == 200
    assert client.post("/deconnexion").status_code == 302
    assert copy.get("/compte").status_code == 302
    refused = copy.get(EXPORT)
    assert refused.status_code == 302 and "/connexion" in refused.headers["Location"]


def test_logout_ends_the_sessions_of_other_browsers_too(app, client, make_user, login):
    user = make_user("partner")
    login(user)
    other = app.test_client()
    login_elsewhere = other.post(
        "/connexion", data={"email": user.email, "password": "correct horse battery"}
    )
    assert login_elsewhere.status_code == 302 and other.get("/compte").status_code == 200
    client.post("/deconnexion")
    assert other.get("/compte").status_code == 302


def test_a_cookie_copied_before_a_password_change_opens_nothing_after(
    app, client, survey, make_user, login
):
    login(make_user("committee", two_factor=True))
    copy = copy_of(app, client)
    response = client.post(
        "/compte/mot-de-passe",
        data={
            "current": "correct horse battery",
            "new": "a brand new secret",
            "confirm": "a brand new secret",
        },
    )
    assert response.status_code == 302
    assert client.get("/compte").status_code == 200 and client.get(EXPORT).status_code == 200
    assert copy.get("/compte").status_code == 302 and copy.get(EXPORT).status_code == 302


class Clock:
    def __init__(self, monkeypatch):
        self.at = 1_900_000_000.0
        monkeypatch.setattr(sessions, "now", lambda: self.at)

    def pass_minutes(self, minutes: float) -> None:
        self.at += minutes * 60


def test_a_session_idle_for_30_minutes_expires_and_keeps_the_page(
    client, make_user, login, monkeypatch
):
    clock = Clock(monkeypatch)
    user = make_user("facilitator")
    login(user)
    for _ in range(3):  # each request restarts the idle clock
        clock.pass_minutes(29)
        assert client.get("/compte").status_code == 200
    clock.pass_minutes(31)
    expired = client.get("/compte?onglet=profil", headers=FR)
    assert expired.status_code == 302
    assert expired.headers["Location"] == "/connexion?next=/compte?onglet%3Dprofil"
    page = client.get(expired.headers["Location"], headers=FR).get_data(as_text=True)
    assert "Votre session a expiré" in page
    assert client.get("/compte").status_code == 302  # the session was ended, not only refused
    again = client.post(
        expired.headers["Location"],
        data={"email": user.email, "password": "correct horse battery"},
    )
    assert again.headers["Location"] == "/compte?onglet=profil"


def test_a_session_ends_12_hours_after_the_login_however_active(
    client, make_user, login, monkeypatch
):
    clock = Clock(monkeypatch)
    login(make_user("facilitator"))
    for _ in range(12 * 60 // 20 - 1):
        clock.pass_minutes(20)
        assert client.get("/compte").status_code == 200
    clock.pass_minutes(21)  # 12 h and 1 min after the login
    assert client.get("/compte").status_code == 302


def test_the_timeouts_are_settings(database_url, tmp_path, monkeypatch, client):
    from app import create_app
    from app.config import ConfigError
    from tests.conftest import make_config

    monkeypatch.setenv("STAFF_IDLE_MINUTES", "10")
    monkeypatch.setenv("STAFF_MAX_HOURS", "8")
    made = create_app(make_config(database_url, INSTANCE_PATH=str(tmp_path)))
    assert made.config["STAFF_IDLE_MINUTES"] == 10 and made.config["STAFF_MAX_HOURS"] == 8
    monkeypatch.setenv("STAFF_IDLE_MINUTES", "never")
    with pytest.raises(ConfigError, match="STAFF_IDLE_MINUTES"):
        create_app(make_config(database_url, INSTANCE_PATH=str(tmp_path)))


def test_a_session_without_its_times_is_refused(app, client, make_user):
    """A cookie signed without the login times (an old one, or made with a leaked key by
    someone who skipped them) has no age to check: it is refused."""
    user = make_user("admin")
    signed = app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": user.session_token, "_fresh": True}
    )
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], signed)
    assert client.get("/admin/utilisateurs").status_code == 302


def test_production_names_the_session_cookie_with_the_host_prefix(database_url, tmp_path):
    from app import create_app
    from app.extensions import db
    from tests.conftest import make_config

    made = create_app(make_config(database_url, APP_ENV="production", INSTANCE_PATH=str(tmp_path)))
    with made.app_context():
        from app.accounts.services import create_user

        user = create_user("host@example.be", "Host", "partner", "correct horse battery")
        db.session.commit()
        try:
            response = made.test_client().post(
                "/connexion",
                data={"email": user.email, "password": "correct horse battery"},
                base_url="https://localhost",
            )
        finally:
            db.session.delete(user)
            db.session.commit()
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    flags = [part.strip().lower() for part in cookie.split(";")[1:]]
    assert "secure" in flags and "path=/" in flags and "httponly" in flags
    assert not any(flag.startswith("domain") for flag in flags)
