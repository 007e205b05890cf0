"""What every question type is: its definition (pydantic) and its behaviour, in one class.

Behaviour contract (ARCHITECTURE rule 7):
- fields(ctx): the WTForms fields it shows, keyed by form name (ctx: language, earlier answers)
- sent(formdata, answers): what was sent for it, as plain values (no form needed: the API)
- read(data, answers): those values → answer entries {key: value}; AnswerError if bad
- form_data(answers): the form data a person would send for these answers (tests, paper entry)
- to_rows(answers) / from_rows(rows): storage as normalised answer rows, and back
- summary(values): counts or statistics for analysis; export_columns() / export_cells(answers)
"""

import re
from typing import Annotated, Any, ClassVar

from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.surveys.text import LocalizedText, localize

QuestionId = Annotated[
    str,
    Field(pattern=r"^[a-z][a-z0-9_]{0,39}$", description="Stable id: lower case, digits, _"),
]
ChoiceId = Annotated[
    str,
    Field(pattern=r"^[a-z0-9][a-z0-9_]{0,39}$", description="Stable choice id"),
]


class AnswerError(ValueError):
    """A plain message for the person answering."""


def empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def row(question: str, **values) -> dict:
    base = dict.fromkeys(
        ("row_id", "choice_id", "position", "number", "text", "date", "nis", "section")
    )
    return base | {"question_id": question} | values


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: QuestionId
    label: LocalizedText
    help: LocalizedText | None = None
    required: bool = False
    themes: list[str] = Field(default_factory=list, description="Theme slugs (taxonomy)")
    show_if: str | None = Field(None, description="Condition over earlier answers")

    asks: ClassVar[bool] = True  # False for a note

    @field_validator("show_if")
    @classmethod
    def _parse_condition(cls, value):
        if value is not None:
            from app.surveys.logic import parse

            parse(value)  # raises ConditionError (a ValueError) with a plain message
        return value

    # -- helpers for subclasses
    def text(self, lang: str) -> str:
        return localize(self.label, lang)

    def required_message(self) -> str:
        return _("Please answer this question.")

    def fields_names(self, form) -> list[str]:
        """The names of this question's fields present in a form."""
        return [n for n in form._fields if n == self.id or n.startswith(f"{self.id}-")]

    def answer_keys(self) -> list[str]:
        """Answer keys this question writes (the id, plus e.g. « id:other »)."""
        return [self.id]

    # -- behaviour, overridden by each type
    def fields(self, ctx) -> dict[str, Any]:
        raise NotImplementedError

    def sent(self, formdata, answers: dict) -> dict[str, Any]:
        """The values sent for this question's fields (formdata: a MultiDict), as its form
        fields would give them to read(); raises AnswerError if they cannot be understood."""
        return {self.id: formdata.get(self.id)}

    def read(self, data: dict[str, Any], answers: dict | None = None) -> dict[str, Any]:
        raise NotImplementedError

    def form_data(self, answers: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def to_rows(self, answers: dict[str, Any]) -> list[dict]:
        raise NotImplementedError

    def from_rows(self, rows: list[dict]) -> dict[str, Any]:
        raise NotImplementedError

    def summary(self, values: list[Any]) -> dict:
        answered = [v for v in values if not empty(v)]
        return {"answered": len(answered), "skipped": len(values) - len(answered)}

    def export_columns(self) -> list[str]:
        return [self.id]

    def export_cells(self, answers: dict[str, Any]) -> list:
        value = answers.get(self.id)
        return [None if empty(value) else value]

    def display(self, answers: dict[str, Any], lang: str) -> str:
        """The answer in words, for piping into a later label."""
        value = answers.get(self.id)
        return "" if empty(value) else str(value)

    def check_required(self, value) -> None:
        if self.required and empty(value):
            raise AnswerError(self.required_message())


def clean_text(value: Any, max_length: int) -> str:
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", str(value or "")).strip()
    if len(text) > max_length:
        raise AnswerError(_("Please keep it under %(n)s characters.", n=max_length))
    return text
