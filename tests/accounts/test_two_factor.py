"""TOTP two-factor authentication: enrolling, logging in with a code, single-use codes (also
under parallel requests), turning it off, an administrator's reset."""

import logging
import re

import pyotp
import pytest

from app.accounts import totp
from app.accounts.models import User
from app.extensions import db
from tests.concurrency import clients, together
from tests.conftest import totp_code

FR = {"Accept-Language": "fr"}
PASSWORD = "correct horse battery"


def secret_shown(page: str) -> str:
    return re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1).replace(" ", "")


def test_enrolling_from_the_account_page(client, make_user, login, caplog):
    user = make_user("committee")
    login(user)
    account = client.get("/compte", headers=FR).get_data(as_text=True)
    assert "Double authentification" in account and "télécharger les données" in account
    with caplog.at_level(logging.DEBUG):
        assert client.post("/compte/double-authentification").status_code == 302
        page = client.get("/compte/double-authentification", headers=FR).get_data(as_text=True)
    assert "<svg" in page and 'class="segno"' in page  # the QR code, inline
    secret = secret_shown(page)
    db.session.refresh(user)
    assert user.totp_secret and secret not in user.totp_secret  # encrypted at rest
    assert not user.two_factor_enabled
    confirm = "/compte/double-authentification/confirmer"
    wrong = client.post(confirm, data={"password": PASSWORD, "code": "000000"})
    assert wrong.status_code == 400
    code = pyotp.TOTP(secret).now()
    # A session taken over cannot tie the account to another phone: the password is asked.
    taken = client.post(confirm, data={"password": "not the password", "code": code})
    assert taken.status_code == 400 and "mot de passe" in taken.get_data(as_text=True).lower()
    db.session.refresh(user)
    assert not user.two_factor_enabled
    with caplog.at_level(logging.DEBUG):
        done = client.post(confirm, data={"password": PASSWORD, "code": code})
    assert done.status_code == 302
    db.session.refresh(user)
    assert user.two_factor_enabled
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert secret not in logged and user.totp_secret not in logged


def test_any_role_may_enrol(client, make_user, login):
    login(make_user("facilitator"))
    assert "/compte/double-authentification" in client.get("/compte").get_data(as_text=True)


def test_the_login_asks_for_the_code_after_the_password(client, make_user):
    user = make_user("committee", two_factor=True)
    response = client.post(
        "/connexion?next=/compte", data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/connexion/code?next=/compte"
    assert client.get("/compte").status_code == 302  # not logged in before the code
    wrong = client.post("/connexion/code?next=/compte", data={"code": "123456"}, headers=FR)
    assert wrong.status_code == 400 and "déjà été utilisé" in wrong.get_data(as_text=True)
    right = client.post("/connexion/code?next=/compte", data={"code": totp_code(user)})
    assert right.status_code == 302 and right.headers["Location"] == "/compte"
    assert client.get("/compte").status_code == 200


def test_a_code_is_single_use(app, client, make_user):
    user = make_user("committee", two_factor=True)
    code = totp_code(user)
    for attempt in ("first", "again"):
        client.post("/connexion", data={"email": user.email, "password": PASSWORD})
        response = client.post("/connexion/code", data={"code": code})
        assert response.status_code == (302 if attempt == "first" else 400), attempt
        client.post("/deconnexion")
    db.session.refresh(user)
    older = pyotp.TOTP(totp._secret(user)).generate_otp(user.totp_last_step - 1)
    assert not totp.use_code(user, older)  # an older code than the last one used: refused too


def test_the_code_step_expires(client, make_user, monkeypatch):
    from app.accounts import sessions

    user = make_user("committee", two_factor=True)
    client.post("/connexion", data={"email": user.email, "password": PASSWORD})
    later = sessions.now() + sessions.PENDING_SECONDS + 1
    monkeypatch.setattr(sessions, "now", lambda: later)
    response = client.post("/connexion/code", data={"code": totp_code(user)})
    assert response.status_code == 302 and response.headers["Location"].startswith("/connexion")
    assert client.get("/compte").status_code == 302


def test_guessing_codes_is_rate_limited_per_account(client, make_user):
    user = make_user("committee", two_factor=True)
    client.post("/connexion", data={"email": user.email, "password": PASSWORD})
    codes = [client.post("/connexion/code", data={"code": "000000"}).status_code for _ in range(6)]
    assert codes[:5] == [400] * 5 and codes[5] == 429


def test_parallel_uses_of_one_code_let_exactly_one_through(app, make_user):
    """Threads with their own database sessions race to use the same code; the conditional
    UPDATE lets one win (SQLite and, with TEST_DB_BACKEND=postgresql, PostgreSQL)."""
    user = make_user("committee", two_factor=True)
    user_id, code = user.id, totp_code(user)

    def use(_i):
        ok = totp.use_code(db.session.get(User, user_id), code)
        db.session.commit()
        db.session.remove()
        return ok

    results = together(app, 8, use)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert results.count(True) == 1


def test_parallel_logins_with_one_code_let_exactly_one_in(app, client, make_user):
    user = make_user("committee", two_factor=True)
    browsers = clients(app, 4)
    for browser in browsers:
        pending = browser.post("/connexion", data={"email": user.email, "password": PASSWORD})
        assert pending.headers["Location"].startswith("/connexion/code")
    code = totp_code(user)
    statuses = together(
        app, 4, lambda i: browsers[i].post("/connexion/code", data={"code": code}).status_code
    )
    assert sorted(statuses) == [302, 400, 400, 400], statuses


def test_turning_it_off_needs_the_password_and_a_code(client, make_user, login):
    user = make_user("committee", two_factor=True)
    login(user)
    off = "/compte/double-authentification/desactiver"
    no_password = client.post(off, data={"password": "wrong", "code": totp_code(user)})
    assert no_password.status_code == 400
    no_code = client.post(off, data={"password": PASSWORD, "code": "000000"})
    assert no_code.status_code == 400
    db.session.refresh(user)
    assert user.two_factor_enabled
    assert client.post(off, data={"password": PASSWORD, "code": totp_code(user)}).status_code == 302
    db.session.refresh(user)
    assert not user.two_factor_enabled and user.totp_secret is None


def test_an_administrator_resets_a_lost_phone_and_ends_the_sessions(app, client, make_user, login):
    member = make_user("committee", two_factor=True)
    theirs = clients(app, 1)[0]
    theirs.post("/connexion", data={"email": member.email, "password": PASSWORD})
    theirs.post("/connexion/code", data={"code": totp_code(member)})
    assert theirs.get("/compte").status_code == 200
    admin = make_user("admin", two_factor=True)
    login(admin)
    page = client.get("/admin/utilisateurs", headers=FR).get_data(as_text=True)
    assert f"/admin/utilisateurs/{member.id}/double-authentification/reinitialiser" in page
    assert f"/admin/utilisateurs/{admin.id}/double-authentification" not in page
    reset = client.post(f"/admin/utilisateurs/{member.id}/double-authentification/reinitialiser")
    assert reset.status_code == 302
    db.session.refresh(member)
    assert not member.two_factor_enabled and member.totp_secret is None
    assert theirs.get("/compte").status_code == 302  # signed out everywhere
    own = client.post(f"/admin/utilisateurs/{admin.id}/double-authentification/reinitialiser")
    assert own.status_code == 403


def test_the_command_line_resets_any_account(runner, make_user):
    user = make_user("admin", two_factor=True)
    token = user.session_token
    result = runner.invoke(args=["users", "reset-2fa", "--email", user.email])
    assert result.exit_code == 0, result.output
    db.session.refresh(user)
    assert not user.two_factor_enabled and user.session_token != token


def test_a_secret_encrypted_under_another_key_opens_nothing(app, make_user):
    user = make_user("committee", two_factor=True)
    code = totp_code(user)
    app.config["SECRET_KEY"] = "another-secret-key"
    try:
        assert not totp.use_code(user, code)
    finally:
        app.config["SECRET_KEY"] = "test-secret-key"


@pytest.mark.parametrize("typed", ["123 456", "123-456"])
def test_codes_may_be_typed_with_a_space(typed):
    assert totp.normalise(typed) == "123456"


def test_digits_typed_on_another_keyboard_are_read_as_digits(client, make_user):
    """A phone may type full-width or Arabic-Indic digits: read as the digits they are (they
    gave a 500 before)."""
    user = make_user("committee", two_factor=True)
    client.post("/connexion", data={"email": user.email, "password": PASSWORD})
    odd = client.post("/connexion/code", data={"code": "１２３４５６"})
    assert odd.status_code == 400
    code = totp_code(user)
    wide = "".join(chr(0xFF10 + int(d)) for d in code)  # the same code, full-width
    assert client.post("/connexion/code", data={"code": wide}).status_code == 302


def test_enrolment_never_replaces_a_secret_already_turned_on(make_user):
    """Two tabs: one confirms while the other starts again. The start must not replace the
    secret now in use, and a confirmation of a replaced secret turns nothing on."""
    user = make_user("committee", two_factor=True)
    kept = user.totp_secret
    with pytest.raises(totp.TwoFactorError, match="already-enabled"):
        totp.start_enrolment(user)
    db.session.refresh(user)
    assert user.totp_secret == kept
    other = make_user("committee")
    totp.start_enrolment(other)
    code = pyotp.TOTP(totp._secret(other)).now()
    shown = other.totp_secret
    db.session.execute(
        User.__table__.update()
        .where(User.id == other.id)
        .values(totp_secret=totp._cipher().encrypt(pyotp.random_base32(32).encode()).decode())
    )
    db.session.refresh(other)
    assert other.totp_secret != shown  # started again in the other tab meanwhile
    with pytest.raises(totp.TwoFactorError):
        totp.confirm_enrolment(other, PASSWORD, code)
    db.session.refresh(other)
    assert not other.two_factor_enabled
