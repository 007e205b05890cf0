"""Passwords that are easy to guess are refused (zxcvbn, score 3 at least), wherever they are
set: the account page, the administrator's form, the command line."""

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.services import AccountError, WeakPassword, check_password
from app.extensions import db

FR = {"Accept-Language": "fr"}


@pytest.mark.parametrize(
    "password",
    ["Password1234", "azertyuiop123", "qwertyuiop12", "123456789012", "motdepasse2024"],
)
def test_common_passwords_are_refused_whatever_their_length(app, password):
    with pytest.raises(WeakPassword):
        check_password(password, "someone@example.be", "Someone")


@pytest.mark.parametrize("password", ["jeandupont2024", "Jean.Dupont.1", "cpas-couvin.be!"])
def test_the_persons_own_name_and_email_are_refused(app, password):
    with pytest.raises(WeakPassword):
        check_password(password, "jean.dupont@cpas-couvin.be", "Jean Dupont")
    check_password(password, "marie@example.org", "Marie Lambert")  # not guessable for her


def test_the_platforms_own_words_are_refused(app):
    with pytest.raises(WeakPassword):
        check_password("concertation2026", "a@example.be", "A")


def test_a_long_phrase_is_welcome(app):
    check_password("Les hérons du lac de Virelles", "a@example.be", "A")
    check_password(
        "x" * 12 + " some long unusual words, well past seventy-two characters " * 2,
        "a@example.be",
        "A",
    )


def change(client, current, new):
    return client.post(
        "/compte/mot-de-passe",
        data={"current": current, "new": new, "confirm": new},
        headers=FR,
    )


def test_the_account_page_refuses_a_guessable_password_and_says_why(client, make_user, login):
    user = make_user("partner")
    login(user)
    response = change(client, "correct horse battery", "Password1234")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "trop facile à deviner" in page
    assert "ressemble à un mot de passe très utilisé" in page  # zxcvbn's reason, translated
    db.session.refresh(user)
    from app.accounts.passwords import verify_password

    assert verify_password(user.password_hash, "correct horse battery")


def test_the_current_password_is_refused_as_the_new_one(client, make_user, login):
    login(make_user("partner"))
    response = change(client, "correct horse battery", "correct horse battery")
    assert response.status_code == 400
    assert "différent de l’actuel" in response.get_data(as_text=True)


def test_the_administrator_cannot_give_a_guessable_password(client, make_user, login):
    login(make_user("admin"))
    response = client.post(
        "/admin/utilisateurs",
        data={
            "email": "marie.lambert@example.be",
            "display_name": "Marie Lambert",
            "role": "committee",
            "password": "MarieLambert2026",
        },
        headers=FR,
    )
    assert response.status_code == 400
    assert "trop facile à deviner" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "marie.lambert@example.be")) is None


def test_the_command_line_refuses_a_guessable_password(runner):
    result = runner.invoke(
        args=["users", "create", "--role", "admin", "--email", "b@example.be", "--name", "B"],
        input="Password1234\nPassword1234\n",
    )
    assert result.exit_code != 0 and "too easy to guess" in result.output
    assert db.session.scalar(select(User).where(User.email == "b@example.be")) is None


def test_a_short_password_is_still_refused_first(app):
    with pytest.raises(AccountError, match="short-password"):
        check_password("Xq7#kP", "a@example.be", "A")
