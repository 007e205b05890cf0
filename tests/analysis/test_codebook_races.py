"""Coding free-text answers twice at once happens once (findings of a review, reproduced first:
parallel ticks of one code on one answer, and the first codes of a fresh codebook, answered 500
on PostgreSQL). Run on SQLite and on PostgreSQL (TEST_DB_BACKEND=postgresql)."""

from sqlalchemy import func, select

from app.analysis.codebook.models import AnswerCode, Code, CodebookRevision
from app.extensions import db
from app.surveys.models import Answer
from tests.analysis.helpers import answer, cells
from tests.concurrency import clients, together


def committee_browsers(app, client, make_user, login, count: int) -> list:
    login(make_user("committee", two_factor=True))  # texts: response-level data
    return clients(app, count, like=client)


def test_twenty_ticks_of_one_code_on_one_answer_store_it_once(
    app, client, survey, make_user, login
):
    answer(12, age_band="65_plus", why_no_car="Un taxi social")
    answer(12, age_band="30_64", why_no_car="Un bus le soir")
    browsers = committee_browsers(app, client, make_user, login, 20)
    assert client.post("/analyse/every-type/codes", data={"label": "Taxi"}).status_code == 302
    code = db.session.scalar(select(Code.id))
    text = db.session.scalar(select(Answer.id).where(Answer.text == "Un taxi social"))
    pages = together(
        app,
        20,
        lambda i: browsers[i].post(f"/analyse/every-type/textes/{text}", data={"code": [code]}),
    )
    assert [p.status_code for p in pages] == [302] * 20, pages
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(AnswerCode)) == 1
    assert db.session.scalar(select(CodebookRevision.revision)) == 21  # the code, 20 savings


def test_the_first_codes_of_a_fresh_codebook_at_once(app, client, survey, make_user, login):
    for words in ("Un taxi social", "Un bus le soir", "Un médecin", "Rien"):
        answer(12, age_band="65_plus", why_no_car=words)
    answer(12, age_band="30_64", has_car="yes")  # drivers: the follow-up question is shown
    browsers = committee_browsers(app, client, make_user, login, 10)
    labels = [f"Thème {i}" for i in range(10)]
    pages = together(
        app,
        10,
        lambda i: browsers[i].post("/analyse/every-type/codes", data={"label": labels[i]}),
    )
    assert [p.status_code for p in pages] == [302] * 10, pages
    db.session.expire_all()
    assert sorted(db.session.scalars(select(Code.label))) == labels
    assert db.session.scalar(select(CodebookRevision.revision)) == 10
    # The same name given five times at once: one code, the others told it exists.
    again = together(
        app,
        5,
        lambda i: browsers[i].post("/analyse/every-type/codes", data={"label": "Transport"}),
    )
    assert sorted(p.status_code for p in again) == [302, 400, 400, 400, 400], again
    refused = next(p for p in again if p.status_code == 400).get_data(as_text=True)
    assert "Transport" in refused
    assert db.session.scalar(select(func.count()).where(Code.label == "Transport")) == 1
    # Codes given at once by several people count once each on the dashboard.
    taxi = db.session.scalar(select(Code.id).where(Code.label == "Thème 0"))
    ids = list(db.session.scalars(select(Answer.id).where(Answer.text == "Un taxi social")))
    pages = together(
        app,
        12,
        lambda i: browsers[i % 10].post(
            f"/analyse/every-type/textes/{ids[i]}", data={"code": [taxi]}
        ),
    )
    assert [p.status_code for p in pages] == [302] * 12
    assert (
        cells(client.get("/analyse/every-type").get_data(as_text=True), "why_no_car")["Thème 0"]
        == "12"
    )
