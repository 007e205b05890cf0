"""Every submitted, real response counted once into a questionnaire's tallies, so that its
dashboard reads a few hundred counts instead of every answer.

A response is folded in when the analysis is next read after it was sent (`up_to_date`), and
taken out again when it is deleted (`unfold`). Each fold first claims its responses (their
`tallied_in` is set in the same transaction), so that two processes never count one twice.
Should the tallies ever disagree with the responses (a response deleted some other way), they
are counted again from the start.

What is counted (analysis.models): people per answer key (choice, matrix row and choice,
ranked choice and place, number, place), people per question, people per word of free text,
responses per channel and quarter, and people per category and pair of categories of the
one-answer breakdowns (analysis.pairs).
"""

import secrets
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select, update

from app.analysis import pairs
from app.analysis.models import AnswerTally, PairTally, QuestionTally, ResponseTally, WordTally
from app.analysis.queries import quarter
from app.analysis.words import words_of
from app.extensions import db
from app.surveys import pending
from app.surveys.models import Answer, Response, SurveyVersion


@dataclass
class Tallies:
    # question id → (row id, choice id, position, value, nis) → people ('' or 0: none)
    answers: dict[str, Counter] = field(default_factory=dict)
    answered: dict[str, int] = field(default_factory=dict)
    words: dict[str, Counter] = field(default_factory=dict)
    responses: Counter = field(default_factory=Counter)  # (channel, quarter) → responses

    @property
    def total(self) -> int:
        return sum(self.responses.values())


def up_to_date(survey_id: int) -> Tallies:
    """The questionnaire's tallies with every response sent so far (committed before return).
    Nothing is written when nothing new was sent."""
    pending.settle(survey_id)  # answers sent whole become rows first (commits: counts of now)
    count, waiting, folded = _counts(survey_id)
    if waiting or folded != count:
        # A transaction of its own that writes first: SQLite refuses a write after reads made
        # on an older snapshot, and a first write waits its turn (busy timeout) instead.
        db.session.commit()
        batch = _claim(survey_id)
        count, claimed, folded = _counts(survey_id, batch)
        if folded + claimed != count:  # a response was deleted some other way: count again
            _restart(survey_id)
            batch = _claim(survey_id)
        _apply(survey_id, Response.tallied_in == batch, +1)
        db.session.commit()
    return read(survey_id)


def _counts(survey_id: int, batch: int | None = None) -> tuple[int, int, int]:
    """Responses sent; of those, not counted yet (or claimed by `batch`); responses counted."""
    real = _real(survey_id)
    waiting = Response.tallied_in.is_(None) if batch is None else Response.tallied_in == batch
    count = db.session.scalar(select(func.count(Response.id)).where(*real))
    uncounted = db.session.scalar(select(func.count(Response.id)).where(*real, waiting))
    folded = db.session.scalar(
        select(func.coalesce(func.sum(ResponseTally.people), 0)).where(
            ResponseTally.survey_id == survey_id
        )
    )
    return count, uncounted, folded


def _claim(survey_id: int) -> int:
    """Mark the responses not counted yet as this fold's (no other fold counts them then)."""
    batch = secrets.randbits(62)
    db.session.execute(
        update(Response)
        .where(*_real(survey_id), Response.tallied_in.is_(None))
        .values(tallied_in=batch)
        .execution_options(synchronize_session=False)
    )
    return batch


def unfold(response_id: int, survey_id: int) -> None:
    """A response about to be deleted, taken out of the tallies if it was counted."""
    counted = db.session.scalar(select(Response.tallied_in).where(Response.id == response_id))
    if counted is not None:
        _apply(survey_id, Response.id == response_id, -1)


def _real(survey_id: int) -> tuple:
    versions = select(SurveyVersion.id).where(SurveyVersion.survey_id == survey_id)
    return (
        Response.version_id.in_(versions.scalar_subquery()),
        Response.submitted_at.is_not(None),
        Response.synthetic.is_(False),
        pending.settled(),  # one sent while this fold runs is counted by the next
    )


def _restart(survey_id: int) -> None:
    for model in (AnswerTally, QuestionTally, WordTally, ResponseTally, PairTally):
        db.session.execute(delete(model).where(model.survey_id == survey_id))
    versions = select(SurveyVersion.id).where(SurveyVersion.survey_id == survey_id)
    db.session.execute(
        update(Response)
        .where(Response.version_id.in_(versions.scalar_subquery()))
        .values(tallied_in=None)
        .execution_options(synchronize_session=False)
    )


def _apply(survey_id: int, which, sign: int) -> None:
    """Add (sign +1) or take out (−1) the responses `which` selects."""
    joined = (Response, Response.id == Answer.response_id)
    keys = (Answer.question_id, Answer.row_id, Answer.choice_id, Answer.position)
    keys += (Answer.number, Answer.nis)
    rows = db.session.execute(
        select(*keys, func.count()).join(*joined).where(which).group_by(*keys)
    ).all()
    _add(
        AnswerTally,
        [
            {
                "survey_id": survey_id,
                "question_id": question_id,
                "row_id": row_id or "",
                "choice_id": choice_id or "",
                "position": position or 0,
                "value": "" if number is None else repr(float(number)),
                "nis": nis or "",
                "people": sign * people,
            }
            for question_id, row_id, choice_id, position, number, nis, people in rows
        ],
    )
    answered = db.session.execute(
        select(Answer.question_id, func.count(func.distinct(Answer.response_id)))
        .join(*joined)
        .where(which)
        .group_by(Answer.question_id)
    ).all()
    _add(
        QuestionTally,
        [{"survey_id": survey_id, "question_id": q, "people": sign * n} for q, n in answered],
    )
    words: dict[str, Counter] = {}
    texts = db.session.execute(
        select(Answer.question_id, Answer.text)
        .join(*joined)
        .where(which, Answer.text.is_not(None), Answer.choice_id.is_(None))
    )
    for question_id, text in texts:  # one free-text answer per person and question
        words.setdefault(question_id, Counter()).update(words_of(text))
    _add(
        WordTally,
        [
            {"survey_id": survey_id, "question_id": q, "word": w, "people": sign * n}
            for q, counted in words.items()
            for w, n in counted.items()
        ],
    )
    responses = [
        (rid, channel, quarter(at))
        for rid, channel, at in db.session.execute(
            select(Response.id, Response.channel, Response.submitted_at).where(which)
        )
    ]
    sent = Counter((channel, period) for _rid, channel, period in responses)
    _add(
        ResponseTally,
        [
            {"survey_id": survey_id, "channel": c, "quarter": q, "people": sign * n}
            for (c, q), n in sent.items()
        ],
    )
    _add(PairTally, pairs.counted(survey_id, responses, sign))


def _add(model, rows: list[dict]) -> None:
    """Raise (or lower) the counts in place, creating the missing ones."""
    if not rows:
        return
    table = model.__table__
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=list(table.primary_key.columns),
        set_={"people": table.c.people + statement.excluded.people},
    )
    db.session.execute(statement, rows)


def read(survey_id: int) -> Tallies:
    found = Tallies()
    for row in db.session.execute(
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
        question_id, *key, people = row
        found.answers.setdefault(question_id, Counter())[tuple(key)] = people
    found.answered = dict(
        db.session.execute(
            select(QuestionTally.question_id, QuestionTally.people).where(
                QuestionTally.survey_id == survey_id, QuestionTally.people > 0
            )
        ).all()
    )
    for question_id, word, people in db.session.execute(
        select(WordTally.question_id, WordTally.word, WordTally.people).where(
            WordTally.survey_id == survey_id, WordTally.people > 0
        )
    ):
        found.words.setdefault(question_id, Counter())[word] = people
    for channel, at, people in db.session.execute(
        select(ResponseTally.channel, ResponseTally.quarter, ResponseTally.people).where(
            ResponseTally.survey_id == survey_id, ResponseTally.people > 0
        )
    ):
        found.responses[(channel, at)] = people
    return found
