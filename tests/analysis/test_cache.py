"""Figures kept per process: read once, worked out again as soon as the answers change."""

import re
from datetime import date
from html import unescape

import pytest
from babel.dates import format_date
from sqlalchemy import select

from app.analysis.results import figures
from app.extensions import db
from app.surveys.models import Response, Survey
from app.surveys.queries import newest_version
from app.surveys.services import store_response
from tests.analysis.helpers import answer, cells


@pytest.fixture
def gathered(monkeypatch):
    """How many times the counts were read."""
    calls = []
    real = figures.counts

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(figures, "counts", counting)
    return calls


@pytest.fixture
def committee(client, survey, make_user, login):
    login(make_user("committee"))
    return client


def test_a_repeated_dashboard_is_not_worked_out_again(committee, gathered):
    answer(12, age_band="65_plus")
    first = committee.get("/analyse/every-type").get_data(as_text=True)
    again = committee.get("/analyse/every-type").get_data(as_text=True)
    assert len(gathered) == 1
    assert cells(again, "age_band") == cells(first, "age_band")
    committee.get("/analyse/every-type?theme=mobility")  # another query, another reading
    assert len(gathered) == 2


def test_a_new_response_shows_at_once(committee, gathered):
    for band in ("under_30", "30_64", "65_plus"):
        answer(12, age_band=band)
    assert (
        cells(committee.get("/analyse/every-type").get_data(as_text=True), "age_band")[
            "65 ans ou plus"
        ]
        == "12"
    )
    answer(1, age_band="65_plus")
    html = committee.get("/analyse/every-type").get_data(as_text=True)
    assert cells(html, "age_band")["65 ans ou plus"] == "13"
    assert len(gathered) == 2


def test_a_deleted_response_shows_at_once(committee):
    from app.respond import codes

    for band in ("under_30", "30_64", "65_plus"):
        answer(13, age_band=band)
    committee.get("/analyse/every-type")
    newest = db.session.scalar(select(Response).order_by(Response.id.desc()).limit(1))
    older = db.session.get(Response, newest.id - 1)  # not the newest
    older.deletion_hash = codes.code_hash("delete", "ABCDE-FGHJK")
    db.session.commit()
    deleted = committee.post(
        "/s/every-type/supprimer", data={"code": "ABCDE-FGHJK", "confirm": "yes"}
    )
    assert "Vos réponses sont effacées" in deleted.get_data(as_text=True)
    html = committee.get("/analyse/every-type").get_data(as_text=True)
    assert cells(html, "age_band")["65 ans ou plus"] == "12"


def test_a_begun_response_changes_the_completion_rate(committee):
    def completion():
        html = unescape(committee.get("/analyse/every-type").get_data(as_text=True))
        return re.search(r"<dt>Taux de complétion</dt><dd>(\d+)\s%</dd>", html).group(1)

    answer(12, age_band="65_plus")
    assert completion() == "100"
    version = newest_version(db.session.scalar(select(Survey).where(Survey.slug == "every-type")))
    db.session.add(Response(version_id=version.id, channel="web"))  # begun, never sent
    db.session.commit()
    assert completion() == "92"  # 12 of 13


def test_the_results_api_is_kept_and_renewed_too(client, survey, make_user, gathered):
    from app.accounts.tokens import issue

    _token, plain = issue(make_user("committee"), "test")
    db.session.commit()
    headers = {"Authorization": f"Bearer {plain}"}
    answer(12, age_band="65_plus")
    client.get("/api/v1/surveys/every-type/results", headers=headers)
    client.get("/api/v1/surveys/every-type/results", headers=headers)
    assert len(gathered) == 1
    answer(1, age_band="65_plus")
    body = client.get("/api/v1/surveys/every-type/results", headers=headers).get_json()
    assert body["responses"] == 13 and len(gathered) == 2


def test_readers_with_other_rights_do_not_share_a_reading(client, survey, make_user, login):
    from app.accounts.scopes import set_partner_scope
    from app.territory.places import Place

    answer(20, age_band="65_plus", commune=Place("commune", "56088"))  # Sivry-Rance
    answer(25, age_band="30_64")  # Beaumont
    login(make_user("committee"))
    assert "Couverture du territoire" in client.get("/analyse/every-type").get_data(as_text=True)
    client.post("/deconnexion")
    partner = make_user("partner")
    set_partner_scope(partner, ["56005"], [])  # Beaumont
    db.session.commit()
    login(partner)
    html = unescape(client.get("/analyse/every-type").get_data(as_text=True))
    assert "Couverture du territoire" not in html and "Sivry-Rance" not in html


def test_a_reading_writes_nothing(app, survey):
    """The counts are read in a snapshot that writes nothing, however many responses came in
    since the last reading (nothing is left to count later)."""
    from sqlalchemy import event

    from app.analysis.counting import counts

    answer(12, age_band="65_plus")
    sid = db.session.scalar(select(Survey.id).where(Survey.slug == "every-type"))
    written = []

    def seen(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE")):
            written.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        found = counts(sid, survey.definition, crossings=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert found.total == 12 and found.crossings.size == 12
    assert written == []


def test_readers_in_other_languages_do_not_share_a_reading(client, survey, make_user, login):
    """The page's own words (months, « Not answered ») are in the reader's language, even
    where the questionnaire is read in another (every-type has no German)."""
    from app.territory.places import Place

    answer(20, commune=Place("commune", "56088"))  # Sivry-Rance
    answer(20)  # Beaumont
    login(make_user("committee"))
    client.set_cookie("lang", "de")
    german = unescape(client.get("/analyse/every-type/profil/56088").get_data(as_text=True))
    month = format_date(date.today(), "MMMM y", locale="fr")  # « novembre 2026 »
    assert format_date(date.today(), "MMMM y", locale="de") in german
    client.set_cookie("lang", "fr")
    french = unescape(client.get("/analyse/every-type/profil/56088").get_data(as_text=True))
    assert f"entre {month} et {month}" in french


def test_readings_never_wait_for_a_second_connection_of_the_requests_pool(
    app, survey, database_url, tmp_path
):
    """Each request holds its session's connection while it reads the counts, on a connection
    of the readings' own: with a requests' pool of one, readers queue and all get their page
    (drawn from one pool, four readers at once each held one and waited for a second)."""
    from app import create_app
    from tests.concurrency import together
    from tests.conftest import make_config

    answer(12, age_band="65_plus")
    narrow = create_app(
        make_config(
            database_url,
            INSTANCE_PATH=str(tmp_path / "narrow"),
            SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0, "pool_timeout": 5},
        )
    )
    clients = [narrow.test_client() for _ in range(4)]
    pages = together(narrow, 4, lambda i: clients[i].get("/resultats/every-type").status_code)
    assert pages == [200, 200, 200, 200]


def test_figures_of_another_state_than_their_key_are_not_kept(committee, monkeypatch):
    """A response sent between the reading of the key's state and the reading's snapshot is in
    the figures: they are shown, not kept under the older key (that response deleted, the key
    would hold again and show it)."""
    from app.respond import codes

    for band in ("under_30", "30_64", "65_plus"):
        answer(12, age_band=band)
    real = figures.counts
    sent = []

    def with_one_sent_meanwhile(*args, **kwargs):
        if not sent:
            version = newest_version(db.session.scalar(select(Survey)))
            response = store_response(version, {"age_band": "65_plus", "has_car": "no"})
            response.deletion_hash = codes.code_hash("delete", "ABCDE-FGHJK")
            db.session.commit()
            sent.append(response.id)
        return real(*args, **kwargs)

    monkeypatch.setattr(figures, "counts", with_one_sent_meanwhile)
    html = committee.get("/analyse/every-type").get_data(as_text=True)
    assert cells(html, "age_band")["65 ans ou plus"] == "13"
    monkeypatch.setattr(figures, "counts", real)
    deleted = committee.post(
        "/s/every-type/supprimer", data={"code": "ABCDE-FGHJK", "confirm": "yes"}
    )
    assert deleted.status_code == 200
    html = committee.get("/analyse/every-type").get_data(as_text=True)
    assert cells(html, "age_band")["65 ans ou plus"] == "12"
