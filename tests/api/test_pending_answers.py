"""Responses sent whole through the API keep their answers as one document until something
reads answers: then they are written out as rows, once, and read exactly as if they had been
stored as rows at once (surveys.pending)."""

import logging
import threading
import time
from datetime import date

import pytest
from sqlalchemy import func, select, update

from app.analysis import tallies, texts
from app.analysis.models import AnswerTally
from app.extensions import db
from app.respond.services import delete_submitted
from app.surveys import pending
from app.surveys.models import Answer, PendingAnswers, Response
from app.surveys.services import answer_values, read_answers
from tests.api.test_surveys_api import ANSWERS as SENT

ANSWERS = SENT | {"access-gp": "hard", "last_trip": "2026-12-03"}  # a date too


def as_text(value) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def kiosk_body(definition, answers: dict) -> dict:
    """What a kiosk sends for these answers (as the question types' forms hold them)."""
    body = {}
    for question in definition.questions():
        for name, value in question.form_data(answers).items():
            if value not in ("", [], None):
                many = isinstance(value, list)
                body[name] = [as_text(v) for v in value] if many else as_text(value)
    return body


def send(client, answers: dict, key: str) -> dict:
    sent = client.post(
        "/api/v1/surveys/every-type/responses",
        json={"answers": answers},
        headers={"Idempotency-Key": key},
    )
    assert sent.status_code == 201, sent.get_json()
    return sent.get_json()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_response_sent_whole_is_one_document_until_it_is_settled(client, survey):
    sent = send(client, ANSWERS, "kiosk-0001")
    assert (count(Answer), count(PendingAnswers)) == (0, 1)
    response = db.session.get(Response, sent["response"]["id"])
    before = read_answers(response)  # read from the document
    assert before["transport"] == ["bus"] and before["last_trip"] == date(2026, 12, 3)
    assert pending.settle() == 1
    db.session.expire_all()
    assert count(PendingAnswers) == 0 and count(Answer) >= len(ANSWERS)
    assert read_answers(db.session.get(Response, response.id)) == before
    assert pending.settle() == 0  # nothing twice
    assert count(Answer) == len(answer_values(survey.definition, before))


def test_every_reading_of_answers_settles_first(client, survey):
    send(client, ANSWERS, "kiosk-0001")
    counted = tallies.up_to_date(survey.survey.id)
    assert counted.total == 1 and counted.answers["transport"]
    send(client, ANSWERS | {"why_no_car": "Pas de permis"}, "kiosk-0002")
    listed = texts.text_page(survey.survey.id, "why_no_car")
    assert sorted(a.text for a in listed.answers) == ["Pas de permis", "Un bus le soir"]
    assert count(PendingAnswers) == 0


def test_a_response_sent_while_a_reading_runs_is_counted_by_the_next(client, survey, monkeypatch):
    send(client, ANSWERS, "kiosk-0001")
    tallies.up_to_date(survey.survey.id)
    send(client, ANSWERS, "kiosk-0002")
    # As if it arrived just after this reading wrote the documents out: left out, not counted
    # as a response without answers (nor a reason to count everything again).
    monkeypatch.setattr(pending, "settle", lambda survey_id=None: 0)
    monkeypatch.setattr(tallies, "_restart", _no_recount)
    assert tallies.up_to_date(survey.survey.id).total == 1
    monkeypatch.setattr(pending, "settle", settle)
    again = tallies.up_to_date(survey.survey.id)
    assert again.total == 2
    bus = db.session.scalar(
        select(AnswerTally.people).where(
            AnswerTally.question_id == "transport", AnswerTally.choice_id == "bus"
        )
    )
    assert bus == 2


def _no_recount(survey_id):
    raise AssertionError("the tallies were counted again from the start")


settle = pending.settle


def test_a_document_the_database_refuses_stays_and_is_left_out(client, survey, caplog, monkeypatch):
    bad = send(client, ANSWERS, "kiosk-0001")["response"]["id"]
    send(client, ANSWERS, "kiosk-0002")
    rows = pending.rows_of(db.session.get(PendingAnswers, bad).document)
    for row in rows:
        if row["nis"]:
            row["nis"], row["section"] = "99999", None  # no such commune
    db.session.execute(
        update(PendingAnswers)
        .where(PendingAnswers.response_id == bad)
        .values(document=pending.document(rows))
    )
    db.session.commit()
    monkeypatch.setattr(tallies, "_restart", _no_recount)
    with caplog.at_level(logging.ERROR, logger="app.surveys.pending"):
        assert pending.settle() == 1
    assert f"the answers of response {bad} were refused" in caplog.text
    assert count(PendingAnswers) == 1  # kept, not lost
    assert tallies.up_to_date(survey.survey.id).total == 1
    assert tallies.up_to_date(survey.survey.id).total == 1  # and no endless recount


def test_deleting_a_response_deletes_its_document(client, survey):
    code = send(client, ANSWERS, "kiosk-0001")["deletion_code"]
    assert delete_submitted(survey.survey.id, code)
    db.session.commit()
    assert count(PendingAnswers) == 0 and count(Response) == 0


def test_settling_at_once_in_two_places_writes_each_answer_once(app, client, survey, monkeypatch):
    from app.surveys.demo import generate

    given = generate(survey.definition, 60, seed=7)
    for i, answers in enumerate(given):
        send(client, kiosk_body(survey.definition, answers), f"kiosk-{i:04d}")
    expected = sum(
        len(pending.rows_of(d)) for d in db.session.scalars(select(PendingAnswers.document))
    )
    survey_id = survey.survey.id  # read here: the test's own session stays in this thread
    db.session.commit()
    monkeypatch.setattr(pending, "CHUNK", 7)  # many small claims, interleaved
    settled, failures = [], []
    start = threading.Barrier(2, timeout=30)

    def settle_here():
        try:
            with app.app_context():
                start.wait()
                settled.append(pending.settle(survey_id))
                db.session.remove()
        except Exception as error:
            failures.append(error)

    workers = [threading.Thread(target=settle_here, daemon=True) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert failures == [] and sum(settled) == len(given)
    db.session.expire_all()
    assert count(Answer) == expected and count(PendingAnswers) == 0
    distinct = select(
        Answer.response_id, Answer.question_id, Answer.row_id, Answer.choice_id, Answer.position
    ).distinct()
    assert db.session.scalar(select(func.count()).select_from(distinct.subquery())) == expected


@pytest.mark.parametrize("seed", [3, 4])
def test_settled_answers_read_back_as_given(client, survey, seed):
    """Every question type, through the document and back, as the generator answered."""
    from app.surveys.demo import generate

    given = generate(survey.definition, 25, seed)
    ids = [
        send(client, kiosk_body(survey.definition, a), f"kiosk-{i:04d}")["response"]["id"]
        for i, a in enumerate(given)
    ]
    pending.settle()
    db.session.expire_all()
    for response_id, answers in zip(ids, given, strict=True):
        assert read_answers(db.session.get(Response, response_id)) == answers


def test_a_deletion_while_its_answers_are_written_out_waits_its_turn(
    app, client, survey, monkeypatch
):
    """Written out and deleted at the same moment: both finish (on PostgreSQL they took their
    locks in opposite orders and one was aborted as a deadlock), and nothing of it is left."""
    code = send(client, ANSWERS, "kiosk-0001")["deletion_code"]
    survey_id = survey.survey.id
    db.session.commit()
    claimed, failures = threading.Event(), []
    read = pending.rows_of

    def slowly(text):  # the document is claimed: the deletion is sent meanwhile
        claimed.set()
        time.sleep(1.0)
        return read(text)

    monkeypatch.setattr(pending, "rows_of", slowly)

    def settle_here():
        with app.app_context():
            try:
                pending.settle(survey_id)
            except Exception as error:
                failures.append(error)
            finally:
                db.session.remove()

    def delete_here():
        claimed.wait(timeout=30)
        with app.app_context():
            try:
                assert delete_submitted(survey_id, code)
                db.session.commit()
            except Exception as error:
                failures.append(error)
            finally:
                db.session.remove()

    workers = [threading.Thread(target=t, daemon=True) for t in (settle_here, delete_here)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert failures == []
    db.session.expire_all()
    assert (count(Response), count(Answer), count(PendingAnswers)) == (0, 0, 0)
