"""A questionnaire definition, as written in surveys/*.yaml (validated with pydantic).

The JSON Schema in surveys/schema.json is generated from these models (`flask surveys schema`).
"""

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.surveys.text import LocalizedText
from app.surveys.types import AnyQuestion

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,59}$", description="URL name, stable")]


class Page(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
    title: LocalizedText | None = None
    show_if: str | None = Field(None, description="Condition over earlier answers for the page")
    questions: list[AnyQuestion] = Field(min_length=1)


class SurveyDefinition(BaseModel):
    """One questionnaire."""

    model_config = ConfigDict(extra="forbid", title="Questionnaire definition")

    slug: Slug
    title: LocalizedText
    description: LocalizedText | None = None
    asked_by: LocalizedText | None = Field(
        None,
        description="Who asks, as listed for citizens (« La plateforme et le CPAS de Couvin »); "
        "the platform when left out",
    )
    languages: list[Literal["fr", "nl", "de", "en"]] = Field(
        default_factory=lambda: ["fr"], description="Languages offered; French is always one"
    )
    territory: Literal["sud-esem", "sud-esem+haute-meuse", "anyone"] = Field(
        "sud-esem",
        description="Who it is for: the 12 Sud ESEM communes, plus the Haute-Meuse, or anyone",
    )
    themes: list[str] = Field(default_factory=list, description="Theme slugs of the taxonomy")
    opens: date | None = None
    closes: date | None = None
    anonymity: Literal["anonymous", "confidential"] = Field(
        "anonymous",
        description="anonymous: nothing identifies the person; confidential: contact details, if "
        "any, are kept apart from the answers",
    )
    notice: LocalizedText = Field(description="Consent and privacy notice shown before answering")
    consent_required: bool = Field(
        False, description="The person ticks « I agree » with the notice before starting"
    )
    outside_territory: Literal["keep", "refuse"] = Field(
        "keep",
        description="Answers from outside the territory (first place question: another commune, "
        "« elsewhere »): kept, or refused with a message",
    )
    retention_months: int = Field(ge=1, le=120, description="How long answers are kept")
    public_results: bool = Field(False, description="Whether aggregated results are public")
    pages: list[Page] = Field(min_length=1)

    @model_validator(mode="after")
    def _french_first(self):
        if "fr" not in self.languages:
            raise ValueError("languages must include fr (French is the reference language)")
        return self

    def questions(self):
        return [q for page in self.pages for q in page.questions]

    def question(self, question_id: str):
        return next((q for q in self.questions() if q.id == question_id), None)
