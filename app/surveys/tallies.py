"""Counts of a questionnaire's submitted, real responses, changed in the transaction that submits
or deletes a response.

What is counted (surveys.models): people per answer key (choice, matrix row and choice, ranked
choice and place, number, commune or kind of place), people per question, people per word of a
free-text answer (the type's words()), responses per channel and quarter of submission.

A submission adds its response's answers, a deletion takes them out, in the same transaction as
the rows they count, by atomic statements (an upsert people = people + excluded.people, an
update people = people - n: Django's F()): no count is read and written back, so two writers
never lose each other's change, and nothing is left to count later. The keys are written in one
order (table by table, each sorted), so that two writers never wait for each other crosswise
(PostgreSQL would call it a deadlock). A count never goes below zero (a constraint), and taking
out a count that is not there is refused: a response counted out twice, or never counted in,
fails its transaction instead of storing a wrong figure.

A deletion works out what to take out from the stored answers with the rules of today (the keys
below, the words of free text): a change to those rules counts every response again in its
migration (as 0011 does), or deletions would take out what was never counted in.

Synthetic responses (demos, benchmarks) are never counted.
"""

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import bindparam, update

from app.extensions import db
from app.surveys import bulk
from app.surveys.models import AnswerTally, QuestionTally, ResponseTally, WordTally


def quarter(moment: datetime) -> str:
    """« 2026-4 »: the period a response was sent in (UTC; SQLite gives it back without its
    zone), as counted and exported."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return f"{moment.year}-{(moment.month - 1) // 3 + 1}"


def key_of(row: dict) -> tuple:
    """The answer key a stored value counts under (question, row, choice, place, number, NIS)."""
    number = row["number"]
    return (
        row["question_id"],
        row["row_id"] or "",
        row["choice_id"] or "",
        row["position"] or 0,
        "" if number is None else repr(float(number)),
        row["nis"] or "",
    )


class Counted:
    """The counts that some responses make, worked out in Python before they are written."""

    def __init__(self):
        self.answers, self.questions = Counter(), Counter()
        self.words, self.responses = Counter(), Counter()
        self._questions: dict[int, dict] = {}  # id(definition) → its questions by id

    def add(self, definition, rows: list[dict], channel: str, submitted_at: datetime) -> None:
        """One response: its answer rows (as stored), channel and time of submission."""
        self.responses[(channel, quarter(submitted_at))] += 1
        self.questions.update({row["question_id"] for row in rows})
        for row in rows:
            self.answers[key_of(row)] += 1
            if row["text"] is not None and row["choice_id"] is None:  # typed, not « other »
                question = self._question(definition, row["question_id"])
                words = question.words(row["text"]) if question is not None else ()
                self.words.update((row["question_id"], word) for word in words)

    def _question(self, definition, question_id: str):
        found = self._questions.get(id(definition))
        if found is None:
            found = self._questions[id(definition)] = {q.id: q for q in definition.questions()}
        return found.get(question_id)


def add(survey_id: int, definition, rows: list[dict], channel: str, at: datetime) -> None:
    """A response just submitted, counted in (the caller commits)."""
    write(survey_id, responses_counted([(definition, rows, channel, at)]), +1)


def remove(survey_id: int, definition, rows: list[dict], channel: str, at: datetime) -> None:
    """A response just deleted (by this transaction), counted out."""
    write(survey_id, responses_counted([(definition, rows, channel, at)]), -1)


class CountsDisagree(RuntimeError):
    """A count to take out is not there: the response was never counted in, or already out."""


def write(survey_id: int, counted: Counted, sign: int) -> None:
    """Raise (sign +1) or lower (−1) the counts in place, in one order."""
    columns = ("question_id", "row_id", "choice_id", "position", "value", "nis")
    change = _raise if sign > 0 else _lower
    change(AnswerTally, _rows(survey_id, columns, counted.answers))
    change(QuestionTally, _rows(survey_id, ("question_id",), counted.questions))
    change(WordTally, _rows(survey_id, ("question_id", "word"), counted.words))
    change(ResponseTally, _rows(survey_id, ("channel", "quarter"), counted.responses))


def _rows(survey_id: int, columns: tuple, counts: Counter) -> list[dict]:
    return [
        {"survey_id": survey_id}
        | dict(zip(columns, key if isinstance(key, tuple) else (key,), strict=True))
        | {"people": n}
        for key, n in sorted(counts.items())
    ]


def _raise(model, rows: list[dict]) -> None:
    """people = people + n, the count made where it is missing (an upsert)."""
    bulk.insert(model.__table__, rows, adding="people")


def _lower(model, rows: list[dict]) -> None:
    """people = people - n, where the count is (SQLite checks an upsert's new row before its
    conflict: a negative insert would be refused even where it would become an update)."""
    if not rows:
        return
    table = model.__table__
    keys = list(table.primary_key.columns)
    statement = _lowering(model)
    params = [
        {f"key_{column.name}": row[column.name] for column in keys} | {"less": row["people"]}
        for row in rows
    ]
    done = db.session.execute(statement, params)
    if db.engine.dialect.supports_sane_multi_rowcount and done.rowcount != len(rows):
        raise CountsDisagree(f"{len(rows) - done.rowcount} counts of {table.name} are missing")


_LOWER: dict = {}


def _lowering(model):
    """The update that lowers one count, built once per process."""
    found = _LOWER.get(model)
    if found is None:
        table = model.__table__
        keys = list(table.primary_key.columns)
        found = _LOWER[model] = (
            update(table)
            .where(*(column == bindparam(f"key_{column.name}") for column in keys))
            .values(people=table.c.people - bindparam("less"))
        )
    return found


def responses_counted(sent: Iterable[tuple]) -> Counted:
    """Many responses at once (a bulk import): (definition, rows, channel, submitted_at)."""
    counted = Counted()
    for definition, rows, channel, at in sent:
        counted.add(definition, rows, channel, at)
    return counted
