"""A shared tablet forgets each person: « New person », an idle reset on the server's side, a
chrome with no way off the questionnaire, and a set-up link that signs nobody out by itself."""

import re
from html import unescape

import pytest

from app.config import ConfigError
from tests.conftest import make_config
from tests.respond.conftest import PROFILE, TRAVEL, checked, send, start


@pytest.fixture
def clock(monkeypatch):
    """The kiosk's clock, moved by hand."""
    now = [1_800_000_000.0]
    monkeypatch.setattr("app.respond.session.time.time", lambda: now[0])
    return now


@pytest.fixture
def kiosk(client, make_user, login):
    """A facilitator sets the tablet up (and is signed out on it)."""

    def set_up(client=client):
        login(make_user("facilitator"))
        assert client.post("/k/every-type").headers["Location"].endswith("/s/every-type")

    return set_up


def test_opening_the_kiosk_link_signs_nobody_out(client, survey, make_user, login):
    login(make_user("facilitator"))
    page = client.get("/k/every-type")
    html = unescape(page.get_data(as_text=True))
    assert page.status_code == 200 and "Démarrer la tablette partagée" in html
    assert "vous déconnecte sur cet appareil" in html
    assert client.get("/compte").status_code == 200  # still signed in after the GET
    assert client.post("/k/every-type").status_code == 302  # the button, pressed on purpose
    assert client.get("/compte").status_code == 302  # now signed out


def test_only_staff_start_a_tablet(client, survey, make_user, login):
    """Answers from a tablet count as « kiosk »: a passer-by cannot make theirs so."""
    page = unescape(client.get("/k/every-type").get_data(as_text=True))
    assert "Démarrer la tablette partagée" not in page and "Se connecter" in page
    refused = client.post("/k/every-type")
    assert refused.headers["Location"].startswith("/connexion?next=/k/every-type")
    assert "Nouvelle personne" not in client.get("/s/every-type").get_data(as_text=True)
    login(make_user("partner"))
    assert client.post("/k/every-type").headers["Location"].startswith("/connexion")


def test_the_next_person_gets_the_tablets_language_not_the_previous_ones(client, survey, kiosk):
    kiosk()
    client.post("/langue", data={"lang": "nl", "next": "/s/every-type"})
    assert "Nieuwe persoon" in client.get("/s/every-type").get_data(as_text=True)
    client.post("/k/nouvelle-personne")
    assert client.get_cookie("lang") is None
    assert "Nouvelle personne" in client.get(
        "/s/every-type", headers={"Accept-Language": "fr"}
    ).get_data(as_text=True)


def test_an_idle_tablet_set_up_again_goes_where_staff_asked(
    client, survey, clock, kiosk, make_user, login
):
    kiosk()
    clock[0] += 600
    login(make_user("facilitator"))
    again = client.post("/k/every-type")
    assert again.headers["Location"].endswith("/s/every-type")
    assert "Nouvelle personne" in client.get("/s/every-type").get_data(as_text=True)


def test_the_kiosk_chrome_is_locked(client, survey, kiosk):
    kiosk()
    html = unescape(client.get("/s/every-type").get_data(as_text=True))
    assert "Nouvelle personne" in html
    assert "Se connecter" not in html and 'href="/connexion"' not in html
    assert 'href="/territoire' not in html and 'href="/questionnaires"' not in html
    assert 'href="/accessibilite"' not in html  # no way off the questionnaire, footer included
    assert "J'ai un code pour continuer" not in html and "3 minutes" in html
    assert client.get("/s/every-type/reprendre").headers["Location"].endswith("/s/every-type")
    page = start(client)
    html = unescape(client.get(page).get_data(as_text=True))
    assert "Nouvelle personne" in html and "Enregistrer et continuer plus tard" not in html
    assert 'http-equiv="refresh" content="180;url=/s/every-type"' in html  # without JavaScript


def test_new_person_forgets_the_previous_one_mid_way(client, survey, kiosk):
    kiosk()
    page = start(client)
    travel = send(client, page, PROFILE).headers["Location"]
    assert checked(client.get(page).get_data(as_text=True), "has_car", "no")
    again = client.post("/k/nouvelle-personne")
    assert again.headers["Location"].endswith("/s/every-type")
    for left in (page, travel):
        assert client.get(left).headers["Location"].endswith("/s/every-type")
    fresh = start(client)
    assert not checked(client.get(fresh).get_data(as_text=True), "has_car", "no")
    assert "Nouvelle personne" in client.get(fresh).get_data(as_text=True)  # still a kiosk


def test_an_idle_kiosk_starts_afresh_without_javascript(client, survey, clock, kiosk):
    kiosk()
    page = start(client)
    send(client, page, PROFILE)
    clock[0] += 179
    assert checked(client.get(page).get_data(as_text=True), "has_car", "no")  # still them
    clock[0] += 180  # nobody touched it for three minutes: the page's refresh lands here
    shown = client.get(page)
    assert shown.headers["Location"].endswith("/s/every-type")
    intro = unescape(client.get(shown.headers["Location"]).get_data(as_text=True))
    assert "recommencé pour la personne suivante" in intro
    assert client.get(page).headers["Location"].endswith("/s/every-type")
    fresh = start(client)
    assert not checked(client.get(fresh).get_data(as_text=True), "has_car", "no")


def test_a_person_still_busy_keeps_their_answers(client, survey, clock, kiosk):
    kiosk()
    page = start(client)
    travel = send(client, page, PROFILE).headers["Location"]
    for _ in range(4):  # typing a long answer: the script tells the server now and then
        clock[0] += 100
        assert client.post("/k/actif").status_code == 204
    clock[0] += 100
    sent = send(client, travel, TRAVEL)
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/p/priorities")


def test_the_new_person_button_outside_a_kiosk_goes_home(client, survey):
    assert client.post("/k/nouvelle-personne").headers["Location"].endswith("/")
    assert "Nouvelle personne" not in client.get("/s/every-type").get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("KIOSK_IDLE_SECONDS", "10"),
        ("KIOSK_IDLE_SECONDS", "abc"),
        ("KIOSK_IDLE_SECONDS", "99999"),
        ("KIOSK_WARNING_SECONDS", "5"),
        ("KIOSK_WARNING_SECONDS", "120"),  # more than half of the 180 s delay
    ],
)
def test_a_wrong_idle_delay_is_refused_at_start(monkeypatch, name, value):
    from app import create_app

    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        create_app(make_config("sqlite://"))


def test_kiosk_pages_do_not_link_a_resume_code(client, survey, kiosk):
    kiosk()
    html = client.get(start(client)).get_data(as_text=True)
    assert not re.search(r'name="action" value="save"', html)
