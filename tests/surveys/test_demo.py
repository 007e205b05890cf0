"""Synthetic responses: reproducible, plausible, following the logic, kept out of real analyses."""

from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.analysis.counting import counts
from app.extensions import db
from app.surveys.demo import generate
from app.surveys.models import Answer, Response
from app.surveys.runtime import read_page, without_hidden
from app.surveys.services import load_paths

VALID = Path(__file__).parent / "definitions" / "valid"
DOISCHE = "93018"


@pytest.fixture
def definition(app):
    load_paths([VALID])
    from app.surveys.queries import current

    return current("every-type").definition


def test_same_seed_same_responses(definition):
    assert generate(definition, 20, seed=5) == generate(definition, 20, seed=5)
    assert generate(definition, 20, seed=5) != generate(definition, 20, seed=6)


def test_responses_follow_the_logic_and_pass_validation(app, definition):
    for answers in generate(definition, 60, seed=11):
        assert without_hidden(definition, answers) == answers  # nothing answered that is hidden
        with app.test_request_context():
            read = {}
            for page in definition.pages:
                sent = MultiDict()
                for q in page.questions:
                    for key, value in q.form_data(answers).items():
                        for item in value if isinstance(value, list) else [value]:
                            sent.add(key, item)
                new, problems = read_page(page, sent, read)
                assert problems == {}, (page.id, problems, answers)
                read |= new
        assert read == answers


def test_places_follow_the_population(definition):
    communes = [a["commune"].nis for a in generate(definition, 2000, seed=2) if a["commune"].nis]
    # Couvin (13,838 inhabitants) is drawn about 4.7 times as often as Doische (2,970).
    assert communes.count("93014") > 2 * communes.count(DOISCHE) > 0


def test_demo_command_flags_responses_as_synthetic(app, definition):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["demo", "responses", "--survey", "every-type", "--count", "30", "--seed", "2"]
    )
    assert result.exit_code == 0 and "30 synthetic responses" in result.output
    assert db.session.scalar(select(func.count()).where(Response.synthetic.is_(True))) == 30
    # Stored, but left out of real analyses.
    synthetic = select(Response.id).where(Response.synthetic.is_(True))
    ages = select(func.count()).where(Answer.question_id == "age_band")
    assert db.session.scalar(ages.where(Answer.response_id.in_(synthetic))) > 20
    counted = counts(definition_survey_id())
    assert counted.total == 0 and counted.answered == {}
    cleared = runner.invoke(args=["demo", "clear", "--survey", "every-type"])
    assert "30 synthetic responses deleted" in cleared.output


def definition_survey_id() -> int:
    from app.surveys.models import Survey

    return db.session.scalar(select(Survey.id).where(Survey.slug == "every-type"))


def test_demo_command_names_an_unknown_survey(app):
    result = app.test_cli_runner().invoke(args=["demo", "responses", "--survey", "nope"])
    assert result.exit_code != 0 and "no loaded survey « nope »" in result.output


def test_decimal_numbers_stay_within_their_bounds(app):
    from pydantic import TypeAdapter

    from app.surveys.definition import SurveyDefinition

    definition = TypeAdapter(SurveyDefinition).validate_python(
        {
            "slug": "bounds",
            "title": "x",
            "notice": "x",
            "retention_months": 1,
            "pages": [
                {
                    "id": "p",
                    "questions": [
                        {
                            "id": "n",
                            "type": "number",
                            "label": "n",
                            "decimal": True,
                            "min": "0.5",
                            "max": "1.5",
                            "required": True,
                        }
                    ],
                }
            ],
        }
    )
    question = definition.question("n")
    for answers in generate(definition, 300, seed=1):
        assert question.read(question.form_data(answers)) == answers
