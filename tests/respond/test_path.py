"""The respondent's path, as a person's browser drives it (without JavaScript)."""

import re
from datetime import date
from html import unescape
from xml.etree import ElementTree

from sqlalchemy import func, select

from app.extensions import db
from app.surveys.models import Response
from app.surveys.services import read_answers
from tests.respond.conftest import PRIORITIES, PROFILE, TRAVEL, checked, errors, send, start


def submitted() -> list[Response]:
    return list(db.session.scalars(select(Response).where(Response.submitted_at.is_not(None))))


def test_intro_says_who_asks_how_long_and_what_happens(client, survey):
    html = client.get("/s/every-type", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Toutes les sortes de questions" in html and "Plateforme intersectorielle" in html
    assert "minutes" in html and "Vos réponses sont anonymes" in html and "36" in html


def test_a_person_answers_page_by_page_and_submits_once(client, survey):
    page = start(client)
    assert page.endswith("/s/every-type/p/profile")
    page = send(client, page, PROFILE).headers["Location"]
    assert page.endswith("/p/travel")
    html = client.get(page).get_data(as_text=True)
    assert ">Page 2<" in html and 'name="why_no_car"' in html  # has_car == no
    page = send(client, page, TRAVEL | {"why_no_car": "Un bus le soir"}).headers["Location"]
    last = send(client, page, PRIORITIES)
    thanks = last.get_data(as_text=True)  # the thanks come in the reply to the last page
    assert last.status_code == 200 and "Merci" in thanks
    assert 'href="/resultats/every-type"' in thanks  # its results are public
    assert __import__("re").search(r'class="code">[2-9A-Z]{5}-[2-9A-Z]{5}<', thanks)
    again = client.get("/s/every-type/merci").get_data(as_text=True)  # Back, or a reload
    assert "Merci" in again and 'class="code"' not in again  # the code was shown once
    [response] = submitted()
    answers = read_answers(response)
    assert answers["commune"].section == "56005B" and answers["transport"] == ["bus", "walk"]
    assert str(answers["km_to_gp"]) == "3.5" and answers["why_no_car"] == "Un bus le soir"


def test_a_double_tap_on_start_makes_one_response(client, survey):
    html = client.get("/s/every-type").get_data(as_text=True)
    key = __import__("re").search(r'name="start_key" value="([^"]+)"', html).group(1)
    first = client.post("/s/every-type/commencer", data={"start_key": key})
    second = client.post("/s/every-type/commencer", data={"start_key": key})
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_a_replayed_last_page_makes_one_response(client, survey):
    page = start(client)
    page = send(client, page, PROFILE).headers["Location"]
    page = send(client, page, TRAVEL).headers["Location"]
    first = send(client, page, PRIORITIES)
    replay = send(client, page, PRIORITIES)  # double tap, or a retry after a dropped connection
    assert first.status_code == 200 and replay.status_code == 302  # the replay: to the thanks
    assert len(submitted()) == 1


def test_a_refused_page_keeps_the_answers_and_says_where(client, survey):
    page = start(client)
    response = send(client, page, {"commune": "s:56005B", "has_car": "no"})  # age missing
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert errors(html) == ["Merci de répondre à cette question."]
    assert 'aria-describedby="error-age_band"' in html
    assert checked(html, "has_car", "no") and checked(html, "commune", "s:56005B")


def test_back_keeps_what_was_valid(client, survey):
    page = start(client)
    travel = send(client, page, PROFILE).headers["Location"]
    back = send(client, travel, {"transport": ["bus"], "km_to_gp": "abc"}, action="back")
    assert back.headers["Location"].endswith("/p/profile")
    html = client.get(travel).get_data(as_text=True)
    assert checked(html, "transport", "bus")


def test_save_and_resume_on_another_device(client, app, survey):
    page = start(client)
    travel = send(client, page, PROFILE).headers["Location"]
    saved = send(client, travel, {"transport": ["walk"]}, action="save")
    html = saved.get_data(as_text=True)  # the code comes in the reply, kept nowhere else
    code = __import__("re").search(r'class="code">([^<]+)<', html).group(1)
    assert "http://localhost/s/every-type/reprendre<" in html and code not in html.replace(
        f'class="code">{code}<', ""
    )  # the address to type it at, without the code in any link
    # « Continue now » on this device goes back to the page that was saved, as it was left
    go_on = __import__("re").search(r'<a class="button" href="([^"]+)">Continuer maintenant', html)
    assert go_on and go_on.group(1) == "/s/every-type/p/travel"
    assert checked(client.get(go_on.group(1)).get_data(as_text=True), "transport", "walk")

    other = app.test_client()  # another device
    resumed = other.post("/s/every-type/reprendre", data={"code": code.lower().replace("-", " ")})
    assert resumed.headers["Location"].endswith("/p/travel")
    html = other.get(resumed.headers["Location"]).get_data(as_text=True)
    assert checked(html, "transport", "walk")
    # An old link with the code in it opens the form: the code must be typed.
    by_link = app.test_client().get(f"/s/every-type/reprendre/{code}")
    assert by_link.headers["Location"].endswith("/s/every-type/reprendre")
    stored = db.session.scalar(select(Response.resume_hash))
    assert code not in stored and len(stored) == 64  # kept hashed only


def test_an_unknown_or_expired_code_gets_a_clear_message(client, survey):
    bad = client.post("/s/every-type/reprendre", data={"code": "ABCDE-FGHJK"})
    assert bad.status_code == 400 and "inconnu" in bad.get_data(as_text=True).lower()
    assert client.get("/s/every-type/reprendre/NOPE").status_code == 302  # to the form


def test_deleting_with_the_code(client, survey):
    page = start(client)
    page = send(client, page, PROFILE).headers["Location"]
    page = send(client, page, TRAVEL).headers["Location"]
    thanks = send(client, page, PRIORITIES).get_data(as_text=True)
    code = __import__("re").search(r'class="code">([^<]+)<', thanks).group(1)
    wrong = client.post("/s/every-type/supprimer", data={"code": "ZZZZZ-ZZZZZ"})
    assert wrong.status_code == 400 and len(submitted()) == 1
    asked = client.post("/s/every-type/supprimer", data={"code": code})
    html = unescape(asked.get_data(as_text=True))
    assert asked.status_code == 200 and "Effacer vos réponses ?" in html
    assert "Oui, effacer mes réponses" in html and "Non, garder mes réponses" in html
    assert len(submitted()) == 1  # nothing deleted before the confirmation
    done = client.post("/s/every-type/supprimer", data={"code": code, "confirm": "yes"})
    assert done.status_code == 200 and submitted() == []
    # used again: the answers are gone, said at once (no second confirmation)
    again = client.post("/s/every-type/supprimer", data={"code": code})
    assert again.status_code == 200 and "Effacer vos réponses ?" not in unescape(
        again.get_data(as_text=True)
    )


def test_a_skipped_or_tampered_page_is_not_taken(client, survey):
    page = start(client)
    jump = client.get(page.replace("/p/profile", "/p/priorities"))
    assert jump.status_code == 302 and jump.headers["Location"].endswith("/p/profile")
    travel = send(client, page, PROFILE | {"has_car": "yes"}).headers["Location"]
    # why_no_car is hidden for car owners: a forged answer to it is not stored
    send(client, travel, TRAVEL | {"why_no_car": "forged", "invented_question": "x"})
    response = db.session.scalar(select(Response))
    assert "why_no_car" not in read_answers(response)


def test_answers_come_back_escaped(client, survey):
    page = start(client)
    travel = send(client, page, PROFILE).headers["Location"]
    send(client, travel, TRAVEL | {"why_no_car": "<script>alert(1)</script>"}, action="back")
    html = client.get(travel).get_data(as_text=True)
    assert (
        "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    )


def test_oversized_text_is_refused(client, survey):
    page = start(client)
    travel = send(client, page, PROFILE).headers["Location"]
    response = send(client, travel, TRAVEL | {"why_no_car": "x" * 501})
    assert response.status_code == 400 and "500 caractères" in " ".join(
        errors(response.get_data(as_text=True))
    )


def test_closed_and_not_yet_open(client, survey, monkeypatch):
    page = start(client)
    monkeypatch.setattr("app.surveys.queries.today", lambda: date(2027, 6, 1))
    stale = send(client, page, PROFILE)  # a form left open after the closing date
    assert stale.status_code == 410 and "fermé" in stale.get_data(as_text=True)
    monkeypatch.setattr("app.surveys.queries.today", lambda: date(2026, 1, 1))
    html = client.get("/s/every-type").get_data(as_text=True)
    assert "1 décembre 2026" in html
    assert submitted() == []


def test_kiosk_leaves_nothing_for_the_next_person(client, survey, make_user, login):
    login(make_user("facilitator"))
    client.post("/k/every-type")
    page = start(client)
    page = send(client, page, PROFILE).headers["Location"]
    page = send(client, page, TRAVEL).headers["Location"]
    thanks = send(client, page, PRIORITIES).get_data(as_text=True)
    assert "Personne suivante" in thanks and 'class="code"' not in thanks
    assert client.get(page).status_code == 302  # the previous person's pages are gone
    assert "Enregistrer et continuer plus tard" not in client.get(start(client)).get_data(
        as_text=True
    )
    assert submitted()[0].channel == "kiosk"


def test_respondent_pages_are_not_cached(client, survey):
    assert client.get("/s/every-type").headers["Cache-Control"] == "no-store"


def test_expired_partial_responses_are_purged(client, runner, survey):
    start(client)
    response = db.session.scalar(select(Response))
    response.expires_at = response.created_at
    db.session.commit()
    result = runner.invoke(args=["responses", "purge"])
    assert "1 expired partial responses deleted" in result.output
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_a_qr_code_points_to_the_survey(client, survey):
    response = client.get("/s/every-type/qr.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    # A standalone SVG document: a browser renders it only in the SVG namespace.
    root = ElementTree.fromstring(response.data)  # noqa: S314 - our own output
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert int(root.get("width")) == int(root.get("height")) >= 200
    title = root.find("{http://www.w3.org/2000/svg}title")
    assert title is not None and title.text == "http://localhost/s/every-type"


def test_a_retry_after_sending_shows_the_thanks_again(client, survey):
    page = start(client)
    page = send(client, page, PROFILE).headers["Location"]
    page = send(client, page, TRAVEL).headers["Location"]
    assert "Merci" in send(client, page, PRIORITIES).get_data(as_text=True)
    retry = send(client, page, PRIORITIES)
    assert retry.headers["Location"].endswith("/merci") and len(submitted()) == 1
    assert client.get(page).headers["Location"].endswith("/merci")  # Back after sending


def test_a_shared_postcode_typed_on_the_page_offers_its_villages(client, survey):
    page = start(client)
    refused = send(client, page, PROFILE | {"commune": "", "commune-q": "5660"})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert any("5660" in e for e in errors(html))
    radios = re.findall(r'type="radio" name="commune" value="(s:93014[A-Z])"', html)
    assert len(radios) == 14  # the picker lists Couvin's villages to choose from
    chosen = send(client, page, PROFILE | {"commune": radios[0], "commune-q": "5660"})
    assert chosen.status_code == 302


def test_a_page_sent_as_its_response_is_purged_starts_again(client, survey, monkeypatch):
    """The response's retention runs out just as a page is sent (purged between the page's
    reading and its saving): the person is told their session ended, not thanked for answers
    that are gone."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from app.respond import services
    from app.respond.services import purge_expired

    page = start(client)
    read_before = services.answers_of

    def purged_meanwhile(response):
        answers = read_before(response)
        with db.engine.begin() as other:  # the daily purge, in a connection of its own
            other.execute(
                update(Response).values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
            )
        with client.application.app_context():
            purge_expired()
            db.session.commit()
        return answers

    monkeypatch.setattr(services, "answers_of", purged_meanwhile)
    got = send(client, page, PROFILE)
    assert got.status_code == 302 and got.headers["Location"].endswith("/s/every-type")
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_the_thank_you_page_opened_directly_thanks_nobody(client, survey):
    """A shared link, a bookmark or a tablet after the reset: nothing was sent from here, and
    the page says so instead of « your answers have been received »."""
    page = client.get("/s/every-type/merci")
    html = unescape(page.get_data(as_text=True))
    assert page.status_code == 200
    assert "Merci" not in html and "bien reçues" not in html
    assert "Aucune réponse à ce questionnaire n'a été envoyée depuis ce navigateur." in html
    assert 'href="/s/every-type"' in html
    sent = start(client)
    sent = send(client, sent, PROFILE).headers["Location"]
    sent = send(client, sent, TRAVEL).headers["Location"]
    assert "Merci" in send(client, sent, PRIORITIES).get_data(as_text=True)
    # opened again, or reloaded: still this browser's
    assert "Merci" in client.get("/s/every-type/merci").get_data(as_text=True)
