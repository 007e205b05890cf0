"""The counts read through the analysis's one facade (analysis.counting.counts) always equal an
independent GROUP BY over the answers stored, whatever happened: responses sent by every path,
deleted with their code (once, twice), begun only, synthetic, purged."""

from collections import Counter
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from app.analysis.counting import counts
from app.extensions import db
from app.respond import codes
from app.respond.services import DELETED, GONE, delete_submitted, purge_expired
from app.surveys.models import Answer, Response, Survey, SurveyVersion
from app.surveys.queries import newest_version
from app.surveys.services import store_response
from app.surveys.types.words import words_of
from tests.analysis.helpers import BASE, answer, forget_responses

STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("send"), st.sampled_from(["under_30", "30_64", "65_plus"])),
        st.tuples(st.just("api"), st.sampled_from(["under_30", "65_plus"])),
        st.tuples(st.just("delete"), st.integers(0, 50)),
        st.tuples(st.just("delete again"), st.integers(0, 50)),
        st.tuples(st.just("begin"), st.just(None)),
        st.tuples(st.just("purge"), st.just(None)),
        st.tuples(st.just("synthetic"), st.just(None)),
        st.tuples(st.just("read"), st.just(None)),
    ),
    max_size=25,
)


def survey_id() -> int:
    return db.session.scalar(select(Survey.id).where(Survey.slug == "every-type"))


def recounted(sid: int) -> tuple:
    """The counts, made here from the stored answers of the real, submitted responses, with
    SQL's GROUP BY (nothing of the counting code)."""
    real = (
        select(Response.id)
        .join(SurveyVersion, SurveyVersion.id == Response.version_id)
        .where(
            SurveyVersion.survey_id == sid,
            Response.submitted_at.is_not(None),
            Response.synthetic.is_(False),
        )
    )
    keys = (Answer.question_id, Answer.row_id, Answer.choice_id, Answer.position)
    keys += (Answer.number, Answer.nis)
    answers: dict = {}
    for question, row, choice, position, number, nis, people in db.session.execute(
        select(*keys, func.count()).where(Answer.response_id.in_(real)).group_by(*keys)
    ):
        value = "" if number is None else repr(float(number))
        key = (row or "", choice or "", position or 0, value, nis or "")
        answers.setdefault(question, {})[key] = people
    answered = dict(
        db.session.execute(
            select(Answer.question_id, func.count(func.distinct(Answer.response_id)))
            .where(Answer.response_id.in_(real))
            .group_by(Answer.question_id)
        ).all()
    )
    words: dict = {}
    for question, text in db.session.execute(
        select(Answer.question_id, Answer.text).where(
            Answer.response_id.in_(real), Answer.text.is_not(None), Answer.choice_id.is_(None)
        )
    ):
        words.setdefault(question, Counter()).update(words_of(text))
    sent = Counter()
    for channel, at in db.session.execute(
        select(Response.channel, Response.submitted_at).where(Response.id.in_(real))
    ):
        sent[(channel, f"{at.year}-{(at.month - 1) // 3 + 1}")] += 1
    return answers, answered, words, sent


def read(sid: int) -> tuple:
    found = counts(sid)
    return found.answers, found.answered, found.words, found.responses


def sent_with_code(age: str, channel: str = "web") -> str:
    version = newest_version(db.session.get(Survey, survey_id()))
    response = store_response(
        version, BASE | {"age_band": age, "why_no_car": "Un bus le soir"}, channel=channel
    )
    code = codes.new_code()
    response.deletion_hash = codes.code_hash("delete", codes.normalise(code))
    db.session.commit()
    return code


def sent_through_the_api(client, age: str, key: str) -> str:
    body = {"commune": "s:56005B", "has_car": "no", "transport": ["bus"], "age_band": age}
    body["why_no_car"] = "Pas de permis"
    posted = client.post(
        "/api/v1/surveys/every-type/responses",
        json={"answers": body},
        headers={"Idempotency-Key": key},
    )
    assert posted.status_code == 201, posted.get_json()
    return posted.get_json()["deletion_code"]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
def test_the_counts_equal_a_group_by_over_the_answers(app, client, survey, steps):
    forget_responses()
    sid = survey_id()
    sent: list[str] = []
    deleted: list[str] = []
    for i, (action, value) in enumerate(steps):
        if action == "send":
            sent.append(sent_with_code(value))
        elif action == "api":
            sent.append(sent_through_the_api(client, value, f"counts-{i}-{len(sent)}"))
        elif action == "delete" and sent:
            code = sent.pop(value % len(sent))
            assert delete_submitted(sid, code) == DELETED
            db.session.commit()
            deleted.append(code)
        elif action == "delete again" and deleted:
            assert delete_submitted(sid, deleted[value % len(deleted)]) == GONE
            db.session.commit()
        elif action == "begin":
            version = newest_version(db.session.get(Survey, sid))
            db.session.add(Response(version_id=version.id, channel="web"))
            db.session.commit()
        elif action == "purge":
            past = datetime.now(UTC) - timedelta(days=1)
            db.session.execute(update(Response).values(expires_at=past))
            purge_expired()
            db.session.commit()
        elif action == "synthetic":
            answer(1, synthetic=True)
        else:
            assert read(sid) == recounted(sid)
    assert read(sid) == recounted(sid)
    assert counts(sid).total == len(sent)


def test_begun_and_synthetic_responses_are_never_counted(app, survey):
    sid = survey_id()
    answer(3, synthetic=True)
    version = newest_version(db.session.get(Survey, sid))
    db.session.add(Response(version_id=version.id, channel="web"))
    db.session.commit()
    found = counts(sid)
    assert found.total == 0 and found.answers == {} and found.started == 1


def test_a_response_deleted_is_counted_out_once(app, survey):
    """The figures a person sees before and after deleting their answers, and after trying
    again with the same code: one less, then the same."""
    sid = survey_id()
    code = sent_with_code("65_plus")
    sent_with_code("65_plus")
    age = survey.definition.question("age_band")
    assert counts(sid).summary(age).counts["65_plus"] == 2
    assert delete_submitted(sid, code) == DELETED
    db.session.commit()
    assert delete_submitted(sid, code) == GONE
    db.session.commit()
    after = counts(sid)
    assert after.summary(age).counts["65_plus"] == 1 and after.total == 1
    assert after.words["why_no_car"]["bus"] == 1


def test_taking_out_counts_that_are_not_there_fails_and_keeps_the_response(app, survey):
    """A response stored without its counts (by a path that forgot them) cannot be counted out:
    its deletion fails whole, nothing half-written, instead of a wrong figure."""
    import pytest

    from app.surveys.services import answer_values, insert_rows
    from app.surveys.tallies import CountsDisagree

    sid = survey_id()
    version = newest_version(db.session.get(Survey, sid))
    forgotten = Response(
        version_id=version.id, channel="web", submitted_at=datetime.now(UTC)
    )  # no counts
    forgotten.deletion_hash = codes.code_hash("delete", "ABCDE-FGHJK")
    db.session.add(forgotten)
    db.session.flush()
    insert_rows(forgotten.id, answer_values(version.model, BASE | {"age_band": "65_plus"}))
    db.session.commit()
    with pytest.raises(CountsDisagree):
        delete_submitted(sid, "ABCDE-FGHJK")
    db.session.rollback()
    assert db.session.get(Response, forgotten.id) is not None
    assert counts(sid).total == 0


def test_a_response_sent_at_a_local_time_is_counted_out_under_its_own_quarter(app, survey):
    """A paper questionnaire typed in with its Belgian time, at the turn of a quarter (30
    minutes after midnight in Brussels, still the last quarter in UTC): counted in and out under
    one quarter, and its period is the same for the counts and the crossings."""
    from zoneinfo import ZoneInfo

    from app.analysis.counting import CHANNEL, PERIOD

    sid = survey_id()
    version = newest_version(db.session.get(Survey, sid))
    local = datetime(2026, 4, 1, 0, 30, tzinfo=ZoneInfo("Europe/Brussels"))
    response = store_response(version, BASE | {"age_band": "65_plus"}, submitted_at=local)
    response.deletion_hash = codes.code_hash("delete", "ABCDE-FGHJK")
    db.session.commit()
    found = counts(sid, survey.definition, crossings=True)
    assert found.responses == {("web", "2026-1"): 1}
    assert found.crossings.alone()[PERIOD] == {"2026-1": 1}
    assert found.crossings.alone()[CHANNEL] == {"web": 1}
    assert read(sid) == recounted(sid)
    assert delete_submitted(sid, "ABCDE-FGHJK") == DELETED
    db.session.commit()
    assert counts(sid).total == 0 and read(sid) == recounted(sid)
