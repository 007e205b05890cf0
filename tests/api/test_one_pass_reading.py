"""The API reads a whole response in one pass over its pages. Conditions name only earlier
questions (checked when a definition is loaded), so this must give exactly what the former
reading gave: each page read as the web reads it, answers hidden by later ones dropped, then
every answer to a question left hidden refused."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.respond import api_services
from app.respond.queries import current
from app.surveys.demo import generate
from app.surveys.runtime import read_page, visible_questions, without_hidden
from app.surveys.services import load_paths
from tests.api.test_pending_answers import kiosk_body

SURVEYS = sorted((Path(__file__).parents[2] / "surveys").glob("*.yaml"))


def former_reading(definition, raw: dict):
    """The reading as it was before (four passes), the oracle."""
    data, answers, errors = api_services._Sent(raw), {}, {}
    for page in definition.pages:
        if not visible_questions(page, answers):
            continue
        new, problems = read_page(page, data, answers)
        errors |= problems
        answers |= new
    kept = without_hidden(definition, answers)
    visible = {q.id for p in definition.pages for q in visible_questions(p, kept)}
    known = api_services.field_names(definition)
    for name, value in raw.items():
        qid = known[name]
        if value not in ("", [], None) and qid not in visible and qid not in errors:
            errors[name] = ["this question is hidden by the answers given: leave it out"]
    return (None, errors) if errors else (kept, {})


def one_pass(definition, raw: dict):
    try:
        return api_services.validate(definition, raw, "fr"), {}
    except api_services.Refused as refused:
        return None, refused.errors


@pytest.fixture
def definitions(app):
    load_paths(SURVEYS)
    return {path.stem: current(path.stem).definition for path in SURVEYS}


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_one_pass_reads_as_the_former_reading(definitions, data):
    definition = definitions[data.draw(st.sampled_from(sorted(definitions)))]
    seed = data.draw(st.integers(0, 10_000))
    bodies = [kiosk_body(definition, a) for a in generate(definition, 4, seed)]
    raw = dict(bodies[0])
    # Fields taken from other people's answers (often to questions this person was not asked)
    # and fields left out (often required ones, or ones other questions depend on).
    others = sorted({(k, str(v)) for b in bodies[1:] for k, v in b.items()})
    for name, value in data.draw(st.lists(st.sampled_from(others), max_size=6)) if others else []:
        raw[name] = next(b[name] for b in bodies[1:] if str(b.get(name)) == value)
    for name in data.draw(st.lists(st.sampled_from(sorted(raw)), max_size=4)) if raw else []:
        raw.pop(name, None)
    assert one_pass(definition, raw) == former_reading(definition, raw)
