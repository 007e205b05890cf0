"""What a person does twice at once happens once (findings of a review, each reproduced first:
duplicate deletions subtracted the answers again, parallel « Send » stored every answer several
times, « Send » and « Back » together changed the answers sent). After each, the stored answers
are what was sent, once, and every count equals a GROUP BY over them. Run on SQLite and on
PostgreSQL (TEST_DB_BACKEND=postgresql)."""

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.surveys.models import Answer, Response
from app.surveys.services import read_answers
from tests.analysis.test_counts import read, recounted, survey_id
from tests.concurrency import clients, together
from tests.respond.conftest import PRIORITIES, PROFILE, TRAVEL, send, start

DELETED = "Vos réponses sont effacées"


def answered_to_the_last_page(client) -> str:
    """A person at the last page, everything before it sent: its address."""
    page = start(client)
    page = send(client, page, PROFILE).headers["Location"]
    return send(client, page, TRAVEL).headers["Location"]


def deletion_code(thanks) -> str:
    """The code in the thanks that come in the reply to the last page."""
    return re.search(r'class="code">([^<]+)<', thanks.get_data(as_text=True)).group(1)


def rows_of(response_id: int) -> list[tuple]:
    return sorted(
        db.session.execute(
            select(Answer.question_id, Answer.item, Answer.choice_id, Answer.number).where(
                Answer.response_id == response_id
            )
        ).all(),
        key=repr,
    )


@pytest.fixture
def unlimited(monkeypatch):
    """No rate limit: the requests of one test all come from one address."""
    from app.extensions import limiter

    monkeypatch.setattr(limiter, "enabled", False)


def test_the_same_deletion_code_ten_times_at_once_deletes_once(app, client, survey, unlimited):
    codes = []
    for _ in range(6):  # 5 to delete, one to keep
        person = app.test_client()
        last = answered_to_the_last_page(person)
        codes.append(deletion_code(send(person, last, PRIORITIES)))
    keep = codes.pop()
    sid = survey_id()
    before = read(sid)
    assert before == recounted(sid) and sum(before[3].values()) == 6
    for code in codes:
        browsers = clients(app, 10)
        pages = together(
            app,
            10,
            lambda i, b=browsers, c=code: b[i].post(
                "/s/every-type/supprimer", data={"code": c, "confirm": "yes"}
            ),
        )
        for page in pages:
            assert not isinstance(page, Exception), page
            assert page.status_code == 200 and DELETED in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    assert read(sid) == recounted(sid)
    assert sum(read(sid)[3].values()) == 1  # the one kept
    # The same code later still says the answers are gone; a wrong one is refused.
    again = client.post("/s/every-type/supprimer", data={"code": codes[0], "confirm": "yes"})
    assert again.status_code == 200 and DELETED in again.get_data(as_text=True)
    wrong = client.post("/s/every-type/supprimer", data={"code": "ZZZZZ-ZZZZZ"})
    assert wrong.status_code == 400
    assert keep not in codes


def test_fifty_sends_of_one_session_store_one_response_once(app, client, survey):
    last = answered_to_the_last_page(client)
    browsers = clients(app, 50, like=client)
    pages = together(app, 50, lambda i: send(browsers[i], last, PRIORITIES))
    for page in pages:
        assert not isinstance(page, Exception), page
    # The send that submitted shows the thanks with the code; the others go to the thanks.
    [thanked] = [page for page in pages if page.status_code == 200]
    others = [page for page in pages if page is not thanked]
    assert all(p.status_code == 302 and p.headers["Location"].endswith("/merci") for p in others)
    db.session.expire_all()
    [response] = db.session.scalars(select(Response)).all()
    assert response.submitted_at is not None
    expected = {
        "commune": "56005B",
        "age_band": "65_plus",
        "transport": ["bus", "walk"],
        "access": {"gp": "hard", "shops": "easy", "cpas": "easy"},
        "needs": ["evening_bus"],
    }
    answers = read_answers(response)
    assert answers["commune"].section == expected["commune"]
    assert {k: answers[k] for k in list(expected)[1:]} == dict(list(expected.items())[1:])
    found = rows_of(response.id)
    assert len(found) == len(set(found)) == 12  # each value once
    shown = [thanked.get_data(as_text=True)] + [
        b.get(p.headers["Location"]).get_data(as_text=True)
        for b, p in zip(browsers, pages, strict=True)
        if p is not thanked
    ]
    assert all("Merci" in html for html in shown)
    assert sum(1 for html in shown if 'class="code"' in html) == 1  # one deletion code given
    sid = survey_id()
    assert read(sid) == recounted(sid) and sum(read(sid)[3].values()) == 1


def test_send_and_back_together_keep_what_was_sent(app, survey):
    sid = survey_id()
    for trial in range(20):
        person = app.test_client()
        last = answered_to_the_last_page(person)
        sending, going_back = clients(app, 2, like=person)
        changed = PRIORITIES | {"access-gp": "easy", "needs-1": "social_taxi"}

        def act(i, last=last, sending=sending, going_back=going_back, changed=changed):
            if i == 0:
                return send(sending, last, PRIORITIES)
            return send(going_back, last, changed, action="back")

        pages = together(app, 2, act)
        # « Send » that submitted shows the thanks (200); the other requests redirect.
        assert all(not isinstance(p, Exception) for p in pages), pages
        assert all(p.status_code in (200, 302) for p in pages), pages
        db.session.expire_all()
        response = db.session.scalars(select(Response).order_by(Response.id.desc())).first()
        answers = read_answers(response)
        if response.submitted_at is not None:  # « Send » won, or came second: what it sent
            assert answers["access"]["gp"] == "hard", trial
            assert answers["needs"] == ["evening_bus"], trial
        else:  # « Back » came first and « Send » found the page changed: nothing sent yet
            assert answers["access"]["gp"] == "easy", trial
        assert len(rows_of(response.id)) == len(set(rows_of(response.id)))
    assert read(sid) == recounted(sid)


def test_readings_while_people_send_and_delete_never_fail(
    app, client, survey, make_user, login, unlimited
):
    """Dashboards, groups, crossings, weighting and fact sheets read while people send and
    delete responses: each reading is of one state (a crossing's margins are its own sums), and
    none fails."""
    from collections import Counter

    from app.respond import codes
    from app.surveys.demo import generate
    from app.surveys.services import store_response

    given = generate(survey.definition, 240, seed=4)
    sent = []
    for i, answers in enumerate(given):
        response = store_response(survey.version, answers, channel=("web", "kiosk", "paper")[i % 3])
        sent.append(codes.new_code())
        response.deletion_hash = codes.code_hash("delete", codes.normalise(sent[-1]))
    db.session.commit()
    largest = Counter(a["commune"].nis for a in given if a.get("commune")).most_common(1)[0][0]
    login(make_user("committee"))
    paths = [
        "/analyse/every-type",
        "/analyse/every-type/croiser?lignes=commune&colonnes=age_band",
        "/analyse/every-type?filtre=channel:web",
        "/analyse/every-type/croiser?lignes=channel&colonnes=has_car",
        "/analyse/every-type?ponderation=communes",
        f"/analyse/every-type/profil/{largest}",
    ]
    readers = clients(app, len(paths), like=client)
    writers = [app.test_client() for _ in range(12)]
    for path in paths:  # each can be read as such before
        assert client.get(path).status_code == 200, path

    def act(i):
        if i < len(paths):
            return [readers[i].get(paths[i]).status_code for _ in range(3)]
        if i % 2:  # a person deletes their answers
            return (
                writers[i - len(paths)]
                .post("/s/every-type/supprimer", data={"code": sent[i], "confirm": "yes"})
                .status_code
            )
        person = writers[i - len(paths)]  # another answers, to the end
        last = answered_to_the_last_page(person)
        return send(person, last, PRIORITIES).status_code

    results = together(app, len(paths) + len(writers), act)
    for result in results:
        assert not isinstance(result, Exception), result
    assert all(r == [200, 200, 200] for r in results[: len(paths)]), results[: len(paths)]
    assert set(results[len(paths) :]) <= {200, 302}, results
    sid = survey_id()
    assert read(sid) == recounted(sid)
    assert sum(read(sid)[3].values()) == 240 - 6 + 6


def test_one_key_sent_twenty_times_at_once_through_the_api_is_stored_once(app, survey, unlimited):
    """A kiosk retrying on a bad network: the key's unique constraint decides, in the database
    (an insert that does nothing on conflict, and whose returned row says who inserted)."""
    from tests.api.test_surveys_api import ANSWERS

    browsers = clients(app, 20)
    replies = together(
        app,
        20,
        lambda i: browsers[i].post(
            "/api/v1/surveys/every-type/responses",
            json={"answers": ANSWERS},
            headers={"Idempotency-Key": "kiosk-retry-0001"},
        ),
    )
    for reply in replies:
        assert not isinstance(reply, Exception), reply
    statuses = sorted(reply.status_code for reply in replies)
    # One stored it; each replay handed out a new deletion code, or, overtaken by another
    # replay's new code, asked to be sent again (409).
    assert statuses.count(201) == 1 and set(statuses) <= {200, 201, 409}, statuses
    stored_replies = [reply.get_json() for reply in replies if reply.status_code in (200, 201)]
    ids = {body["response"]["id"] for body in stored_replies}
    codes = [body["deletion_code"] for body in stored_replies]
    assert len(ids) == 1 and all(codes)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    # Exactly one code handed out still deletes: the last one written.
    from app.respond import codes as code_hashes

    kept = db.session.scalar(select(Response.deletion_hash))
    assert sum(code_hashes.code_hash("delete", code) == kept for code in codes) == 1
    stored = read_answers(db.session.get(Response, ids.pop()))
    assert stored["why_no_car"] == "Un bus le soir" and stored["transport"] == ["bus"]
    sid = survey_id()
    assert read(sid) == recounted(sid) and sum(read(sid)[3].values()) == 1
