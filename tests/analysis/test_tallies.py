"""The tallies always equal a count made again from the answers, whatever happened between
two readings: responses sent, deleted with their code, deleted some other way, begun only,
synthetic."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from app.analysis import tallies
from app.analysis.models import AnswerTally
from app.extensions import db
from app.respond import codes
from app.respond.services import delete_submitted
from app.surveys.models import Answer, Response, Survey
from app.surveys.services import latest_version, store_response
from tests.analysis.test_public_results import BASE, answer

STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("send"), st.sampled_from(["under_30", "30_64", "65_plus"])),
        st.tuples(st.just("delete_with_code"), st.integers(0, 50)),
        st.tuples(st.just("delete_otherwise"), st.integers(0, 50)),
        st.tuples(st.just("begin"), st.just(None)),
        st.tuples(st.just("synthetic"), st.just(None)),
        st.tuples(st.just("read"), st.just(None)),
    ),
    max_size=25,
)


def survey_id() -> int:
    return db.session.scalar(select(Survey.id).where(Survey.slug == "every-type"))


def recounted(sid: int) -> tallies.Tallies:
    """The same counts, made again from nothing."""
    tallies._restart(sid)
    return tallies.up_to_date(sid)


def as_plain(found: tallies.Tallies) -> tuple:
    return (
        {q: dict(c) for q, c in found.answers.items()},
        found.answered,
        {q: dict(c) for q, c in found.words.items()},
        dict(found.responses),
    )


def sent_with_code(age: str) -> str:
    version = latest_version(db.session.get(Survey, survey_id()))
    response = store_response(version, BASE | {"age_band": age, "why_no_car": "Un bus le soir"})
    code = codes.new_code()
    response.deletion_hash = codes.code_hash("delete", codes.normalise(code))
    db.session.commit()
    return code


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
def test_the_tallies_equal_a_count_made_again(app, survey, steps):
    db.session.execute(delete(Answer))
    db.session.execute(delete(Response))
    db.session.commit()
    sid = survey_id()
    tallies._restart(sid)
    db.session.commit()
    sent: list[str] = []
    for action, value in steps:
        if action == "send":
            sent.append(sent_with_code(value))
        elif action == "delete_with_code" and sent:
            assert delete_submitted(sid, sent.pop(value % len(sent)))
            db.session.commit()
        elif action == "delete_otherwise":
            ids = list(db.session.scalars(select(Response.id).where(Response.synthetic.is_(False))))
            if ids:
                db.session.execute(delete(Response).where(Response.id == ids[value % len(ids)]))
                db.session.commit()
                sent = []  # their codes may now point at nothing
        elif action == "begin":
            version = latest_version(db.session.get(Survey, sid))
            db.session.add(Response(version_id=version.id, channel="web"))
            db.session.commit()
        elif action == "synthetic":
            answer(1, synthetic=True)
        else:
            tallies.up_to_date(sid)
    found = as_plain(tallies.up_to_date(sid))
    assert found == as_plain(recounted(sid))
    real = db.session.scalar(
        select(func.count(Response.id)).where(
            Response.submitted_at.is_not(None), Response.synthetic.is_(False)
        )
    )
    assert sum(found[3].values()) == real


def test_a_response_deleted_with_its_code_is_taken_out_without_counting_again(
    app, survey, monkeypatch
):
    sid = survey_id()
    code = sent_with_code("65_plus")
    sent_with_code("65_plus")
    before = tallies.up_to_date(sid)
    assert before.answers["age_band"][("", "65_plus", 0, "", "")] == 2
    restarted = []
    monkeypatch.setattr(tallies, "_restart", lambda s: restarted.append(s))
    assert delete_submitted(sid, code)
    db.session.commit()
    after = tallies.up_to_date(sid)
    assert after.answers["age_band"][("", "65_plus", 0, "", "")] == 1
    assert after.total == 1 and after.words["why_no_car"]["bus"] == 1
    assert restarted == []  # taken out, not counted again


def test_begun_and_synthetic_responses_are_never_counted(app, survey):
    sid = survey_id()
    answer(3, synthetic=True)
    version = latest_version(db.session.get(Survey, sid))
    db.session.add(Response(version_id=version.id, channel="web"))
    db.session.commit()
    assert tallies.up_to_date(sid).total == 0
    assert db.session.scalar(select(func.count()).select_from(AnswerTally)) == 0


def test_the_tally_command_counts_what_was_sent(app, survey):
    answer(12, age_band="65_plus")
    runner = app.test_cli_runner()
    done = runner.invoke(args=["analysis", "tally", "--survey", "every-type"])
    assert done.exit_code == 0 and "every-type: 12 responses counted." in done.output
    assert tallies.read(survey_id()).answers["age_band"][("", "65_plus", 0, "", "")] == 12
    unknown = runner.invoke(args=["analysis", "tally", "--survey", "nope"])
    assert unknown.exit_code != 0 and "nope" in unknown.output
