"""The staff's printable A4 poster of a questionnaire: title, who asks, QR code, a short address
and the dates; linked from the questionnaires list for the staff only."""

import re
from html import unescape

import pytest


def test_the_poster_has_what_a_passer_by_needs(client, survey, make_user, login):
    login(make_user("facilitator"))
    r = client.get("/s/every-type/affiche", headers={"Accept-Language": "fr"})
    html = unescape(r.get_data(as_text=True))
    assert r.status_code == 200
    assert '<h1 id="poster-title">Toutes les sortes de questions</h1>' in html
    assert "Plateforme intersectorielle Sud Entre-Sambre-et-Meuse" in html  # who asks
    assert re.search(r'<img class="qr" src="/s/every-type/qr.svg"[^>]* alt="Code QR menant à', html)
    assert '<p class="address">localhost/s/every-type</p>' in html
    assert "Du 1 décembre 2026 au 31 mars 2027" in html
    assert re.search(r"@page\{size:A4 portrait", html)


@pytest.mark.parametrize("role", ["committee", "admin"])
def test_committee_and_admins_print_it_too(client, survey, make_user, login, role):
    login(make_user(role))
    assert client.get("/s/every-type/affiche").status_code == 200


def test_others_cannot(client, survey, make_user, login):
    assert client.get("/s/every-type/affiche").status_code == 302  # to the login page
    login(make_user("partner"))
    assert client.get("/s/every-type/affiche").status_code == 403


def test_an_unknown_questionnaire_has_no_poster(client, survey, make_user, login):
    login(make_user("facilitator"))
    assert client.get("/s/nope/affiche").status_code == 404


def test_the_staff_find_it_in_the_questionnaires_list(client, survey, make_user, login):
    link = 'href="/s/every-type/affiche"'
    assert link not in client.get("/questionnaires").get_data(as_text=True)
    login(make_user("facilitator"))
    html = client.get("/questionnaires").get_data(as_text=True)
    assert link in html and "Affiche à imprimer" in html
