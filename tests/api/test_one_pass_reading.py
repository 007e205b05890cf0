"""The API reads a whole response in one pass over its pages. Checked against what was sent, not
against another reading: on the four questionnaires, with answers the platform's generator gives
(following the logic), fields taken from other people's answers (often to questions this person
was not asked) and fields left out, a response is either refused with nothing stored, or stored
exactly as sent: no answer dropped, none added, none changed."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.extensions import db
from app.surveys.demo import generate
from app.surveys.models import Answer, Response
from app.surveys.queries import current
from app.surveys.services import load_paths, read_answers
from tests.analysis.helpers import forget_responses
from tests.api.helpers import kiosk_body

SURVEYS = sorted((Path(__file__).parents[2] / "surveys").glob("*.yaml"))


@pytest.fixture
def definitions(app, monkeypatch):
    load_paths(SURVEYS)
    db.session.commit()
    found = {path.stem: current(path.stem).definition for path in SURVEYS}
    # Every questionnaire open, whatever today's date.
    day = max(d.opens for d in found.values() if d.opens)
    monkeypatch.setattr("app.surveys.queries.today", lambda: day)
    return found


def as_sent(body: dict) -> dict:
    """A body's values as the question types give them back (several answers in any order)."""
    return {k: sorted(v) if isinstance(v, list) else v for k, v in body.items()}


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_response_is_refused_or_stored_exactly_as_sent(client, definitions, data):
    forget_responses()
    slug = data.draw(st.sampled_from(sorted(definitions)))
    definition = definitions[slug]
    seed = data.draw(st.integers(0, 10_000))
    bodies = [kiosk_body(definition, a) for a in generate(definition, 4, seed)]
    raw = dict(bodies[0])
    others = sorted({(k, str(v)) for b in bodies[1:] for k, v in b.items()})
    for name, value in data.draw(st.lists(st.sampled_from(others), max_size=6)) if others else []:
        raw[name] = next(b[name] for b in bodies[1:] if str(b.get(name)) == value)
    for name in data.draw(st.lists(st.sampled_from(sorted(raw)), max_size=4)) if raw else []:
        raw.pop(name, None)
    sent = client.post(
        f"/api/v1/surveys/{slug}/responses",
        json={"answers": raw, "channel": "web"},
        headers={"Idempotency-Key": f"one-pass-{seed}"},
    )
    assert sent.status_code in (201, 422), sent.get_json()
    if sent.status_code == 422:
        questions = {q.id for q in definition.questions()}  # a required one left out
        assert set(sent.get_json()["error"]["errors"]) <= set(raw) | questions
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 0
        return
    [stored] = db.session.scalars(select(Response)).all()
    assert as_sent(kiosk_body(definition, read_answers(stored))) == as_sent(raw)


def test_the_generators_answers_are_taken_whole(client, definitions):
    """With nothing changed, every generated response is taken and read back as sent."""
    for slug, definition in definitions.items():
        for i, answers in enumerate(generate(definition, 25, seed=7)):
            raw = kiosk_body(definition, answers)
            sent = client.post(
                f"/api/v1/surveys/{slug}/responses",
                json={"answers": raw},
                headers={"Idempotency-Key": f"whole-{slug}-{i}"},
            )
            assert sent.status_code == 201, (slug, i, sent.get_json())
            stored = db.session.get(Response, sent.get_json()["response"]["id"])
            assert as_sent(kiosk_body(definition, read_answers(stored))) == as_sent(raw)
