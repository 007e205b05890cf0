import json

from app.surveys.schema import json_schema
from tests.conftest import project_root


def test_the_committed_schema_is_current():
    committed = json.loads((project_root() / "surveys" / "schema.json").read_text("utf-8"))
    assert committed == json_schema(), "run `flask surveys schema` and commit surveys/schema.json"


def test_the_schema_knows_every_question_type():
    from app.surveys.types import TYPE_NAMES

    text = json.dumps(json_schema())
    assert all(f'"const": "{name}"' in text for name in TYPE_NAMES)
