"""The JSON Schema of the definition format, generated from the pydantic models."""

from app.surveys.definition import SurveyDefinition


def json_schema() -> dict:
    schema = SurveyDefinition.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "surveys/schema.json",
        **schema,
    }
