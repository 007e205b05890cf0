"""What every question type is: its definition (pydantic) and its behaviour, in one class.

Behaviour contract (ARCHITECTURE rule 7):
- fields(ctx): the WTForms fields it shows, keyed by form name (ctx: language, earlier answers)
- sent(formdata, answers): what was sent for it, as plain values (no form needed: the API)
- read(data, answers): those values → answer entries {key: value}; AnswerError if bad
- form_data(answers): the form data a person would send for these answers (tests, paper entry)
- to_rows(answers) / from_rows(rows): storage as normalised answer rows, and back; each row says
  which `item` of the question it answers, so that the database keeps one value per item
- analysis, as plain data (app.analysis builds, protects and draws the tables from it):
  summarise(tallied, answered, words): its counts read back (a Summary); tables(lang) and
  distribution(lang): what it shows; the flags below; words(text) for free text;
  export(lang, at): its columns in the response-level exports and how a stored answer fills them
"""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, NamedTuple

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
    """One stored value of a question; `item` says which part of the question it answers ('':
    the question has one value per person)."""
    base = dict.fromkeys(
        ("row_id", "choice_id", "position", "number", "text", "date", "nis", "section")
    )
    return base | {"question_id": question, "item": ""} | values


# -- What the analysis reads of a type.

# The key under which the tallies count people for a question (surveys.tallies): the row, choice,
# place, number (as repr(float)) and commune of a stored value, '' or 0 where it has none.
TallyKey = tuple[str, str, int, str, str]


class TableSpec(NamedTuple):
    """One table a question shows: the matrix row it is about (None: the whole question), its
    title, and its categories' labels in display order."""

    row: str | None
    title: str | None
    labels: dict[str, str]


@dataclass
class Summary:
    """One question's answers, counted: what every table and figure is made from."""

    answered: int = 0  # people with an answer
    counts: Counter = field(default_factory=Counter)  # choice, point, place or bin → people
    rows: dict[str, Counter] = field(default_factory=dict)  # a matrix row → its counts
    grid: Counter = field(default_factory=Counter)  # a ranking: (choice, place from 0) → people
    numbers: Counter = field(default_factory=Counter)  # a number or point → people
    words: Counter = field(default_factory=Counter)  # a word of free text → people


@dataclass
class ExportColumn:
    name: str
    label: str
    labels: dict = field(default_factory=dict)  # code → label ({} for numbers and texts)
    number: bool = False  # numbers as they are (no value labels)
    # The codes of non-substantive answers (« I don't know », « not concerned », « I prefer not
    # to say »): user-missing values in SPSS, so that they stay apart from the scale or choices.
    missing: tuple[str, ...] = ()


# A stored answer as the response-level export reads it (never its free text), and where each
# value is in it. A type's placer puts one such row into its response's cells.
EXPORTED = ("response_id", "question_id", "row_id", "choice_id", "position", "number", "date")
EXPORTED += ("nis",)
RESPONSE, QUESTION, ROW_ID, CHOICE, POSITION, NUMBER, DATE, NIS = range(len(EXPORTED))
Placer = Callable[[tuple, list], None]


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: QuestionId
    label: LocalizedText
    help: LocalizedText | None = None
    required: bool = False
    themes: list[str] = Field(default_factory=list, description="Theme slugs (taxonomy)")
    show_if: str | None = Field(None, description="Condition over earlier answers")
    indicator: str | None = Field(
        None,
        description="The answer whose share measures the need, shown on the theme digest by "
        "commune (a choice id, yes or no, a scale's point; for a matrix, a point of its scale, "
        "read on every row)",
    )
    quasi_identifier: bool = Field(
        False,
        description="An answer others may know of a person (age band, household, occupation…): "
        "the anonymised response exports make every combination of these answers shared by at "
        "least k responses. The place of residence always counts as one.",
    )

    asks: ClassVar[bool] = True  # False for a note
    # For the analysis:
    published: ClassVar[bool] = True  # its counts may be shown (free text, dates: they can name)
    several: ClassVar[bool] = False  # several answers per person: shares do not add up to 100 %
    statistics: ClassVar[bool] = False  # a mean and a median of its numbers
    scored: ClassVar[bool] = False  # a ranking: the mean points of each choice
    free_text: ClassVar[bool] = False  # read, searched and coded by the committee
    residence: ClassVar[bool] = False  # where people live: commune, area and province groups

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

    # -- analysis, overridden where a type shows more than how many answered
    def summarise(self, tallied: dict[TallyKey, int], answered: int, words: Counter) -> Summary:
        """Its counts as the tallies keep them (people per key), read as this type stores them."""
        return Summary(answered, words=words)

    def tables(self, lang: str) -> list[TableSpec]:
        """The tables of its answers (one per matrix row), or none."""
        return []

    def distribution(self, lang: str) -> TableSpec | None:
        """A table of its numbers in bins (Summary.counts holds them), when it has one."""
        return None

    def adds_up(self) -> bool:
        """Whether its counts add up to something readers know (the people answering, or n
        times them): then a hidden count could be worked out from the others."""
        return True

    def words(self, text: str) -> set[str]:
        """The words of a free-text answer that count (each once per person)."""
        return set()

    def export(self, lang: str, at: int) -> tuple[list[ExportColumn], Placer] | None:
        """Its columns in the response-level exports, which start at index `at`, and the
        function that puts one stored answer (a row of EXPORTED) into them; None: not exported."""
        return None

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
