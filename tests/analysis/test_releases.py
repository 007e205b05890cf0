"""Partners and the public read releases: figures the committee published, unchanged until the
next publication, which needs RELEASE_MIN_NEW_RESPONSES new responses (issue 17, item 1).

The attack of the review, replayed: an anonymous person sends answers through the API (no token
needed), reads the public page before and after, then deletes them with the deletion code. The
page must not move: before the fix, each response changed the page at once."""

import re
from datetime import date
from html import unescape
from uuid import uuid4

import pytest
from sqlalchemy import func, select

from app.analysis.releases.models import Release
from app.analysis.releases.services import NotPublished
from app.extensions import db
from app.territory.places import Place
from tests.analysis.helpers import BASE, answer, cells, publish
from tests.api.helpers import kiosk_body
from tests.concurrency import together

CHIMAY = Place("commune", "56016")


def figures_of(html: str) -> dict:
    """Every figure of every question on a results page: question → label → shown count."""
    found = {}
    for question in re.findall(r'<section class="result" aria-labelledby="q-([^"]+)">', html):
        found[question] = cells(html, question)
    return found


def send(client, survey, answers: dict) -> str:
    """Anonymous answers through the API (channel web, no token): the deletion code."""
    sent = client.post(
        "/api/v1/surveys/every-type/responses",
        json={"answers": kiosk_body(survey.definition, BASE | answers)},
        headers={"Idempotency-Key": f"attack-{uuid4()}"},
    )
    assert sent.status_code == 201, sent.get_data(as_text=True)
    return sent.get_json()["deletion_code"]


def delete(client, code: str) -> None:
    done = client.post("/s/every-type/supprimer", data={"code": code, "confirm": "yes"})
    assert done.status_code == 200 and "supprim" in unescape(done.get_data(as_text=True))


def public(client) -> str:
    page = client.get("/resultats/every-type")
    assert page.status_code == 200
    return unescape(page.get_data(as_text=True))


def test_nothing_is_public_before_the_first_publication(client, survey):
    answer(30, age_band="65_plus")
    html = public(client)
    assert "pas encore publié" in html and 'class="result"' not in html


def test_the_public_page_does_not_move_when_one_person_answers_or_deletes(client, survey):
    answer(20, age_band="65_plus", commune=Place("commune", "56088"))
    answer(12, age_band="30_64")
    answer(11, age_band="under_30", commune=CHIMAY)
    publish()
    before = public(client)
    shown = figures_of(before)
    assert shown["age_band"] == {
        "Moins de 30 ans": "11",
        "De 30 à 64 ans": "12",
        "65 ans ou plus": "20",
    }
    # One person answers (anonymously, through the API): nothing moves, so nothing is told.
    codes = [send(client, survey, {"commune": CHIMAY, "age_band": "under_30"}) for _ in range(3)]
    assert figures_of(public(client)) == shown
    # Deleting those answers tells nothing either: the figures stay those published.
    for code in codes:
        delete(client, code)
    assert figures_of(public(client)) == shown
    assert "publication n° 1" in public(client)


def test_the_next_publication_needs_enough_new_responses(client, survey, app):
    answer(12, age_band="65_plus")
    answer(10, age_band="under_30")
    assert publish() == 1
    answer(9, age_band="30_64")
    with pytest.raises(NotPublished, match="Seulement 9 nouvelles réponses"):
        publish()
    assert db.session.scalar(select(func.count()).select_from(Release)) == 1
    answer(1, age_band="30_64")
    assert publish() == 2
    shown = figures_of(public(client))
    assert shown["age_band"]["De 30 à 64 ans"] == "10" and "publication n° 2" in public(client)


def test_deleted_responses_do_not_count_as_new(client, survey):
    """Deleting old answers and sending as many again is no new information for the reader:
    only responses after the release's newest one count."""
    answer(12, age_band="65_plus")
    publish()
    from app.surveys.models import Response

    db.session.execute(Response.__table__.delete().where(Response.id <= 5))  # 5 old ones gone
    db.session.commit()
    answer(5, age_band="65_plus")
    with pytest.raises(NotPublished, match="Seulement 5 nouvelles réponses"):
        publish()


def test_a_partner_reads_the_release_and_the_committee_reads_live(
    client, survey, make_user, login, app
):
    from app.accounts.scopes import set_partner_scope

    answer(25, age_band="30_64")  # Barbençon, in Beaumont
    answer(20, age_band="65_plus", commune=Place("commune", "56088"))  # Sivry-Rance
    answer(3, age_band="30_64", commune=CHIMAY)
    partner = make_user("partner")
    set_partner_scope(partner, ["56005"], [])
    db.session.commit()
    login(partner)
    waiting = client.get("/analyse/every-type")
    assert waiting.status_code == 404 and "pas encore publié" in unescape(
        waiting.get_data(as_text=True)
    )
    publish()
    page = unescape(client.get("/analyse/every-type").get_data(as_text=True))
    assert re.search(r"<dt>Réponses dans ce groupe</dt><dd>25</dd>", page)
    assert "publication n° 1" in page
    answer(3, age_band="30_64")
    again = unescape(client.get("/analyse/every-type").get_data(as_text=True))
    assert re.search(r"<dt>Réponses dans ce groupe</dt><dd>25</dd>", again)
    sheet = unescape(client.get("/analyse/every-type/profil/56005").get_data(as_text=True))
    assert "25 personnes" in sheet and "Publication n° 1" in sheet
    client.post("/deconnexion")
    login(make_user("committee"))
    live = unescape(client.get("/analyse/every-type").get_data(as_text=True))
    assert re.search(r"<dt>Réponses</dt><dd>51</dd>", live)
    assert "3 nouvelles réponses depuis" in live and "Publier les résultats actuels" not in live


def test_the_committee_publishes_from_its_dashboard(client, survey, make_user, login):
    answer(12, age_band="65_plus")
    login(make_user("committee"))
    html = unescape(client.get("/analyse/every-type").get_data(as_text=True))
    assert "Rien n'est encore publié" in html or "Rien n’est encore publié" in html
    done = client.post("/analyse/every-type/publier")
    assert done.status_code == 302
    html = unescape(client.get(done.headers["Location"]).get_data(as_text=True))
    assert "Publication n° 1 faite" in html
    again = client.post("/analyse/every-type/publier")
    assert again.status_code == 409 and "au moins 10" in unescape(again.get_data(as_text=True))
    assert "12 personnes ont répondu" in public(client)


def test_only_the_committee_publishes(client, survey, make_user, login):
    answer(12, age_band="65_plus")
    assert client.post("/analyse/every-type/publier").status_code in (302, 401)
    login(make_user("partner"))
    assert client.post("/analyse/every-type/publier").status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Release)) == 0


def test_two_publications_at_once_make_one(app, survey):
    """Ten committee members press « Publish » together: one release, the others told."""
    from app.analysis.releases.services import publish as publishing
    from app.surveys.queries import current

    answer(12, age_band="65_plus")

    def press(_i):
        try:
            release = publishing(current("every-type"))
            db.session.commit()
            return release.number
        except NotPublished as refused:
            db.session.rollback()
            return str(refused)

    outcomes = together(app, 10, press)
    numbers = [o for o in outcomes if isinstance(o, int)]
    assert numbers == [1], outcomes
    # the others are told someone published, or, pressing just after, that no new response
    # came since (« 0 nouvelle réponse »: French takes the singular for 0)
    assert all(
        "rechargez" in o or re.search(r"\d+ nouvelles? réponses? depuis", o)
        for o in outcomes
        if isinstance(o, str)
    ), outcomes
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Release)) == 1


def test_a_release_gives_every_view_the_figures_it_gave_when_published(
    client, survey, make_user, login
):
    """Frozen and read back, the counts make the same pages as the live ones at that moment:
    the whole dashboard, a group, a crossing-based map and a fact sheet."""
    from app.accounts.scopes import set_partner_scope

    answer(20, age_band="65_plus", commune=Place("commune", "56088"))
    answer(25, age_band="30_64", transport=["bus", "walk"])
    answer(4, age_band="under_30", commune=CHIMAY)
    urls = ["/analyse/every-type?filtre=commune:56005", "/analyse/every-type/profil/56005"]
    login(make_user("committee"))
    live = [figures_of(unescape(client.get(u).get_data(as_text=True))) for u in urls]
    publish()
    client.post("/deconnexion")
    partner = make_user("partner")
    set_partner_scope(partner, ["56005"], [])
    db.session.commit()
    login(partner)
    released = [figures_of(unescape(client.get(u).get_data(as_text=True))) for u in urls]
    assert released == live and live[0]


def test_the_setting_is_checked(app):
    from app import create_app
    from app.config import ConfigError

    for wrong in (3, "ten", -1):
        with pytest.raises(ConfigError, match="RELEASE_MIN_NEW_RESPONSES"):
            create_app(
                {
                    "TESTING": True,
                    "RELEASE_MIN_NEW_RESPONSES": wrong,
                    "SQLALCHEMY_DATABASE_URI": "sqlite://",
                }
            )


def test_a_closed_questionnaire_is_published_by_the_daily_command(app, survey, monkeypatch):
    answer(12, age_band="65_plus")
    run = app.test_cli_runner()
    assert "every-type" not in run.invoke(args=["results", "publish-closed"]).output  # open
    monkeypatch.setattr("app.surveys.queries.today", lambda: date(2027, 4, 1))  # closed
    first = run.invoke(args=["results", "publish-closed"])
    assert first.exit_code == 0 and "every-type: publication no. 1 (12 responses)" in first.output
    assert "every-type" not in run.invoke(args=["results", "publish-closed"]).output  # done
    answer(3, age_band="65_plus")  # late paper answers typed in: too few for another
    late = run.invoke(args=["results", "publish-closed"])
    assert "every-type: not published" in late.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Release)) == 1
