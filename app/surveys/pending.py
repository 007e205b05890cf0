"""Answers of a response sent whole (the API), kept as one document and written out later.

A submission through the API stores its response and one document holding its answer rows,
already validated and worked out: two rows to write instead of thirty-one, so that SQLite's
single writer is held briefly. `settle` writes the documents out as answer rows; everything
that reads answers calls it first (the analysis's tallies, exports and texts, a new version's
check against stored answers), and the analysis leaves out a response whose answers are still
a document (one sent while it reads), as it would one sent a moment later.

Settling claims its documents by deleting them (DELETE … RETURNING) in the transaction that
inserts their rows: two processes never write one response's rows twice, and a failure leaves
the document where it was.
"""

import json
import logging
from datetime import date

from sqlalchemy import delete, exists, insert, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.surveys.models import ANSWER_VALUES, Answer, PendingAnswers, Response, SurveyVersion

log = logging.getLogger(__name__)

# A row of the document is a list in this order (compact: no key repeated thirty times).
COLUMNS = ANSWER_VALUES
DATE = COLUMNS.index("date")
CHUNK = 500  # documents settled per transaction: bounded memory and lock time


def document(rows: list[dict]) -> str:
    """answer_values()'s rows as one compact JSON text."""
    return json.dumps(
        [[r[c] for c in COLUMNS] for r in rows],
        ensure_ascii=False,
        separators=(",", ":"),
        default=date.isoformat,
    )


def rows_of(text: str) -> list[dict]:
    rows = []
    for values in json.loads(text):
        if values[DATE] is not None:
            values[DATE] = date.fromisoformat(values[DATE])
        rows.append(dict(zip(COLUMNS, values, strict=True)))
    return rows


_KEEP = insert(PendingAnswers.__table__)
_INSERT_ANSWER = insert(Answer.__table__)


def keep(response_id: int, text: str) -> None:
    """The response's answer rows as one document (document()), to settle later; the caller
    commits."""
    db.session.connection().execute(_KEEP, {"response_id": response_id, "document": text})


def settled():
    """A condition on Response: its answers are rows (not a document waiting to be settled)."""
    return ~exists().where(PendingAnswers.response_id == Response.id)


def answered(survey_id: int):
    """(version, question, choice, row) of every answer still in a document: a new version is
    checked against these too. Read where they are, with no write (a load's own transaction)."""
    documents = db.session.execute(
        select(Response.version_id, PendingAnswers.document)
        .join(Response, Response.id == PendingAnswers.response_id)
        .join(SurveyVersion, SurveyVersion.id == Response.version_id)
        .where(SurveyVersion.survey_id == survey_id, Response.synthetic.is_(False))
    )
    for version_id, text in documents:
        for row in rows_of(text):
            yield version_id, row["question_id"], row["choice_id"], row["row_id"]


def settle(survey_id: int | None = None) -> int:
    """Write out the waiting documents (of one questionnaire, or all) as answer rows, committed
    a chunk at a time. Returns how many responses were settled. A document whose rows the
    database refuses stays as it is, logged, and is left out of the analysis."""
    db.session.commit()  # documents committed by others since this session's last read
    settled, refused = 0, set()
    while True:
        waiting = select(PendingAnswers.response_id)
        if survey_id is not None:
            versions = select(SurveyVersion.id).where(SurveyVersion.survey_id == survey_id)
            waiting = waiting.join(Response, Response.id == PendingAnswers.response_id).where(
                Response.version_id.in_(versions.scalar_subquery())
            )
        if refused:
            waiting = waiting.where(PendingAnswers.response_id.not_in(refused))
        ids = db.session.scalars(waiting.order_by(PendingAnswers.response_id).limit(CHUNK)).all()
        db.session.commit()  # SQLite: the claim below is a write that must not follow a read
        if not ids:
            return settled
        done, failed = _settle_chunk(ids)
        settled += done
        refused |= failed


def _settle_chunk(ids: list[int]) -> tuple[int, set[int]]:
    """Claim these documents and write their rows in one transaction; should the database
    refuse some row, settle each half apart, so that one bad document holds up no other."""
    try:
        return _claim_and_write(ids), set()
    except IntegrityError:
        db.session.rollback()
    if len(ids) == 1:
        log.error("the answers of response %s were refused by the database; kept", ids[0])
        return 0, set(ids)
    middle = len(ids) // 2
    first, second = _settle_chunk(ids[:middle]), _settle_chunk(ids[middle:])
    return first[0] + second[0], first[1] | second[1]


def _claim_and_write(ids: list[int]) -> int:
    if db.engine.dialect.name == "postgresql":
        # The responses first, as a deletion locks them (then, by its cascade, their document):
        # the answers' foreign key would otherwise wait on a deletion waiting on this claim.
        db.session.execute(
            select(Response.id).where(Response.id.in_(ids)).with_for_update(key_share=True)
        ).all()
    claimed = db.session.execute(
        delete(PendingAnswers)
        .where(PendingAnswers.response_id.in_(ids))
        .returning(PendingAnswers.response_id, PendingAnswers.document)
    ).all()
    rows = [
        row | {"response_id": response_id} for response_id, text in claimed for row in rows_of(text)
    ]
    if rows:
        db.session.execute(_INSERT_ANSWER, rows)
    db.session.commit()
    return len(claimed)
