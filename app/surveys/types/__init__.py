"""Question types: one class each (see base.py for what a type owns)."""

from typing import Annotated

from pydantic import Field

from app.surveys.types.base import AnswerError, Question
from app.surveys.types.choice import Choice, MultipleChoice, SingleChoice, YesNo
from app.surveys.types.entry import DateQuestion, LongText, Number, ShortText
from app.surveys.types.place import Note, PlaceQuestion
from app.surveys.types.ranking import Ranking
from app.surveys.types.scale import Matrix, MatrixRow, Scale

TYPES = (
    SingleChoice,
    MultipleChoice,
    YesNo,
    Scale,
    Matrix,
    Ranking,
    Number,
    ShortText,
    LongText,
    DateQuestion,
    PlaceQuestion,
    Note,
)
TYPE_NAMES = tuple(t.model_fields["type"].annotation.__args__[0] for t in TYPES)

AnyQuestion = Annotated[
    SingleChoice
    | MultipleChoice
    | YesNo
    | Scale
    | Matrix
    | Ranking
    | Number
    | ShortText
    | LongText
    | DateQuestion
    | PlaceQuestion
    | Note,
    Field(discriminator="type"),
]

__all__ = ["TYPES", "TYPE_NAMES", "AnswerError", "AnyQuestion", "Choice", "MatrixRow", "Question"]
