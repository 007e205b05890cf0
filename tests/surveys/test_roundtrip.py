"""Property: any valid definition and any valid answers survive
load → render → validate → store → read back."""

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.surveys.runtime import Context, page_form, read_page
from app.surveys.services import read_answers, store_definition, store_response
from app.surveys.validator import check_file
from app.territory.places import Place
from tests.surveys.strategies import answers_for, definitions

PLACES = [
    Place("section", "56005", "56005B"),
    Place("commune", "93014"),
    Place("elsewhere"),
    Place("undisclosed"),
]


def as_formdata(data: dict) -> MultiDict:
    md = MultiDict()
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            md.add(key, item)
    return md


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_definitions_and_answers_round_trip(app, tmp_path, data):
    raw = data.draw(definitions())
    path = tmp_path / f"{raw['slug']}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), "utf-8")

    # load
    checked = check_file(path)
    assert checked.ok, [str(p) for p in checked.problems]
    store_definition(checked.definition, str(path))
    from sqlalchemy import select

    from app.surveys.models import Survey
    from app.surveys.queries import newest_version

    survey = db.session.scalar(select(Survey).where(Survey.slug == raw["slug"]))
    version = newest_version(survey)
    definition = version.model
    answers = data.draw(answers_for(definition, PLACES))

    with app.test_request_context():
        read: dict = {}
        for page in definition.pages:
            # render: every field of the page renders to HTML
            empty_form = page_form(definition, page, Context("fr", dict(read)))
            for field in empty_form:
                assert field.name in str(field())
            # validate: what a person would send reads back to the same answers
            sent = {}
            for q in page.questions:
                sent |= q.form_data(answers)
            new, problems = read_page(page, as_formdata(sent), read)
            assert problems == {}
            read |= new
    assert read == answers

    # store and read back
    response = store_response(version, answers)
    db.session.flush()
    db.session.expire(response)
    assert read_answers(response) == answers
    db.session.rollback()
