"""Every figure of the analysis is read here: `counts()` gives one questionnaire's counts, read in
one snapshot of the database (one read transaction, surveys.tallies for what they are), writing
nothing. See the package's docstring (app.analysis) for the design in a paragraph."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from flask import g, has_app_context
from sqlalchemy import func, select

from app.analysis.cache import state
from app.analysis.codebook.models import AnswerCode, Code
from app.analysis.counting import crossings as crossing
from app.analysis.counting.crossings import CHANNEL, PERIOD, Crossings, token, within
from app.analysis.counting.snapshot import snapshot
from app.surveys.models import (
    Answer,
    AnswerTally,
    QuestionTally,
    Response,
    ResponseTally,
    WordTally,
)
from app.surveys.queries import real_responses
from app.surveys.types.base import Summary

__all__ = ["CHANNEL", "PERIOD", "Counts", "Crossings", "counts", "within"]


@dataclass
class Counts:
    """One questionnaire's counts, of its real, submitted responses."""

    answers: dict[str, dict[tuple, int]]  # question → (row, choice, place, value, NIS) → people
    answered: dict[str, int]  # question → people who answered it
    words: dict[str, Counter]  # free-text question → word → people
    responses: Counter  # (channel, quarter) → responses
    codes: dict[int, str]  # the committee's codebook: code id → label
    coded: dict[str, Counter]  # free-text question → code id → people whose answer has it
    first: datetime | None  # when the first and the last were sent
    last: datetime | None
    started: int  # real responses begun, sent or not (the completion rate's base)
    crossings: Crossings | None  # when asked for
    newest: int = 0  # the newest submitted response's id counted (a release's boundary)

    @property
    def total(self) -> int:
        return sum(self.responses.values())

    def tokens(self, source: str) -> set[str]:
        """The categories some response has in a breakdown (analysis.counting.crossings), as
        the counts know them: a group's members are found from them without any crossing."""
        if source in (CHANNEL, PERIOD):
            return {key[source == PERIOD] for key in self.responses}
        question_id, _dot, row = source.partition(".")
        found = set()
        for row_id, choice_id, _place, value, nis in self.answers.get(question_id, {}):
            if row_id == row:
                found.add(token(choice_id or None, float(value) if value else None, nis or None))
        return found - {None}

    def summary(self, question) -> Summary:
        """One question's counts, as its type reads them."""
        return question.summarise(
            self.answers.get(question.id, {}),
            self.answered.get(question.id, 0),
            self.words.get(question.id, Counter()),
        )


def counts(survey_id: int, definition=None, crossings: bool = False) -> Counts:
    """crossings: also each response's category in every breakdown of `definition` (for groups,
    crossings, weighting, maps and fact sheets)."""
    with snapshot() as connection:
        found = Counts(
            *_tallies(connection, survey_id),
            *_codebook(connection, survey_id),
            *_span(connection, survey_id),
            crossing.read(connection, survey_id, breakdowns(definition)) if crossings else None,
        )
        seen = state(survey_id, connection)
        found.newest = seen[1]
        _noted(seen)
    return found


def _noted(seen: tuple) -> None:
    """The state of the responses this reading saw, for the kept figures (analysis.cache)."""
    if has_app_context():
        g.setdefault("analysis_snapshot_states", set()).add(seen)


def breakdowns(definition) -> dict[str, bool]:
    """The questions that take one answer per person (id → whether a matrix)."""
    found = {}
    for question in definition.questions():
        if question.several:
            continue
        tables = question.tables("fr")
        if tables:
            found[question.id] = tables[0].row is not None
    return found


def _tallies(connection, survey_id: int):
    answers: dict[str, dict] = {}
    for question_id, *key, people in connection.execute(
        select(
            AnswerTally.question_id,
            AnswerTally.row_id,
            AnswerTally.choice_id,
            AnswerTally.position,
            AnswerTally.value,
            AnswerTally.nis,
            AnswerTally.people,
        ).where(AnswerTally.survey_id == survey_id, AnswerTally.people > 0)
    ):
        answers.setdefault(question_id, {})[tuple(key)] = people
    answered = dict(
        connection.execute(
            select(QuestionTally.question_id, QuestionTally.people).where(
                QuestionTally.survey_id == survey_id, QuestionTally.people > 0
            )
        ).all()
    )
    words: dict[str, Counter] = {}
    for question_id, word, people in connection.execute(
        select(WordTally.question_id, WordTally.word, WordTally.people).where(
            WordTally.survey_id == survey_id, WordTally.people > 0
        )
    ):
        words.setdefault(question_id, Counter())[word] = people
    responses = Counter(
        {
            (channel, quarter): people
            for channel, quarter, people in connection.execute(
                select(ResponseTally.channel, ResponseTally.quarter, ResponseTally.people).where(
                    ResponseTally.survey_id == survey_id, ResponseTally.people > 0
                )
            )
        }
    )
    return answers, answered, words, responses


def _codebook(connection, survey_id: int):
    """The codebook's codes, and how many people's answers carry each (from the codes: read
    from the answers, every answer would be looked at)."""
    codes = dict(
        connection.execute(
            select(Code.id, Code.label)
            .where(Code.survey_id == survey_id)
            .order_by(Code.label_key, Code.id)
        ).all()
    )
    coded: dict[str, Counter] = {}
    if codes:
        rows = connection.execute(
            select(Answer.question_id, AnswerCode.code_id, func.count())
            .select_from(Code)
            .join(AnswerCode, AnswerCode.code_id == Code.id)
            .join(Answer, Answer.id == AnswerCode.answer_id)
            .join(Response, Response.id == Answer.response_id)
            .where(Code.survey_id == survey_id, *real_responses(survey_id))
            .group_by(Answer.question_id, AnswerCode.code_id)
        )
        for question_id, code_id, people in rows:
            coded.setdefault(question_id, Counter())[code_id] = people
    return codes, coded


def _span(connection, survey_id: int):
    first, last = connection.execute(
        select(func.min(Response.submitted_at), func.max(Response.submitted_at)).where(
            *real_responses(survey_id)
        )
    ).one()
    started = connection.scalar(
        select(func.count(Response.id)).where(*real_responses(survey_id, begun=True))
    )
    return first, last, started
