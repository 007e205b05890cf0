"""The API against its own OpenAPI document (issue 16), with schemathesis in this process: the
document served at /api/v1/openapi.json is loaded from the app (no network), every operation is
sent generated requests, valid and invalid ones, and each answer must not be a 5xx, must carry
a status code the document lists, and must match the document's schema and content type.

Bounded: a fixed seed, a few dozen examples per operation and no shrinking, so the whole file
runs in about 20 s. Path parameters come from the seeded database most of the time (the open
questionnaire's slug, communes of the territory) so the requests reach past the 404."""

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.api.views import OPENAPI

MAX_EXAMPLES = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 16,
        "dictionaries": {
            "slug": {"values": ["every-type"]},
            "nis": {"values": ["56088", "56005", "56016", "93014"]},
        },
        "parameters": {
            "path.slug": {"dictionary": "slug", "probability": 0.8},
            "path.nis": {"dictionary": "nis", "probability": 0.5},
        },
        "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "no-shrink": True},
    }
)
# The file the app serves verbatim (checked below). schemathesis.pytest.from_fixture would load
# it through the app, but 4.32 cannot run under pytest 9 (it sets request.node._nodeid).
schema = schemathesis.openapi.from_path(OPENAPI, config=CONFIG)


def test_the_document_checked_is_the_one_served(client):
    assert client.get("/api/v1/openapi.json").get_json() == json.loads(OPENAPI.read_text())


@pytest.fixture
def seeded(app, survey, api_token) -> dict:
    from tests.analysis.helpers import add

    add(12)  # enough people for the results to show figures, not only suppressed cells
    return {"Authorization": f"Bearer {api_token}"}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_document(case, app, seeded):
    headers = seeded if case.operation.path.endswith("/results") else None
    case.call_and_validate(app=app, headers=headers, checks=CHECKS)
