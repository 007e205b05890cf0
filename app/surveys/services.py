"""Loading definitions into versions, and storing responses. Services flush; callers commit."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.surveys import bulk, tallies
from app.surveys.compat import breaking_changes
from app.surveys.definition import SurveyDefinition
from app.surveys.models import ANSWER_VALUES, Answer, Response, Survey, SurveyVersion
from app.surveys.queries import newest_version, real_responses
from app.surveys.validator import check_paths, checksum


class IncompatibleEdit(ValueError):
    """The edit would break stored answers."""


@dataclass
class LoadReport:
    outcomes: list[tuple[str, str]] = field(default_factory=list)  # (slug, what happened)
    refused: list[str] = field(default_factory=list)


def load_paths(paths: list[Path]) -> LoadReport:
    """Every valid file is stored; a bad one stores nothing, is reported, and the others are
    stored all the same: each file in a savepoint of its own, so that undoing one undoes
    nothing else. The outcomes list exactly the files stored (the caller commits)."""
    report = LoadReport()
    for checked in check_paths(paths):
        if not checked.ok:
            report.refused += [str(p) for p in checked.problems]
            continue
        try:
            with db.session.begin_nested():
                outcome = store_definition(checked.definition, str(checked.path))
        except IncompatibleEdit as error:
            report.refused.append(f"{checked.path}: {error}")
            continue
        except Exception as error:  # one file must never stop the others (nor the app)
            report.refused.append(
                f"{checked.path}: could not be stored ({error.__class__.__name__})"
            )
            continue
        report.outcomes.append((checked.definition.slug, outcome))
    return report


def answered_by_version(survey: Survey) -> dict[int, set]:
    """For each version with real answers (submitted or begun): the (question, choice, row)
    triples answered."""
    rows = db.session.execute(
        select(Response.version_id, Answer.question_id, Answer.choice_id, Answer.row_id)
        .join(Response, Response.id == Answer.response_id)
        .where(*real_responses(survey.id, begun=True))
        .distinct()
    )
    found: dict[int, set] = {}
    for version_id, question, choice, row_id in rows:
        found.setdefault(version_id, set()).add((question, choice, row_id))
    return found


def store_definition(definition: SurveyDefinition, source: str) -> str:
    survey = db.session.scalar(select(Survey).where(Survey.slug == definition.slug))
    if survey is None:
        survey = Survey(slug=definition.slug)
        db.session.add(survey)
        db.session.flush()
    latest = newest_version(survey)
    digest = checksum(definition)
    if latest is not None and latest.checksum == digest:
        return f"unchanged (version {latest.number})"
    # Every version that has answers is compared, not only the latest: a response may still be
    # arriving on an older version.
    problems: list[str] = []
    for version_id, answered in answered_by_version(survey).items():
        old = db.session.get(SurveyVersion, version_id).model
        problems += [p for p in breaking_changes(old, definition, answered) if p not in problems]
    if problems:
        raise IncompatibleEdit("; ".join(problems))
    number = latest.number + 1 if latest else 1
    db.session.add(
        SurveyVersion(
            survey_id=survey.id,
            number=number,
            checksum=digest,
            definition=definition.model_dump(mode="json", exclude_unset=False),
            source=source[-255:],
        )
    )
    db.session.flush()
    return f"version {number}" + (" (new)" if number == 1 else " (edited)")


def store_response(
    version: SurveyVersion,
    answers: dict,
    channel: str = "web",
    synthetic: bool = False,
    submitted_at: datetime | None = None,
) -> Response:
    """Answers (as the question types read them) become one submitted response and its rows,
    counted in (a real one) in the same transaction. submitted_at: when it was sent (a paper
    questionnaire typed in later; naive means UTC), now by default. Kept in UTC, as SQLite
    stores it without its zone: counted in and out under the same quarter."""
    moment = submitted_at or datetime.now(UTC)
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    response = Response(
        version_id=version.id, channel=channel, synthetic=synthetic, submitted_at=moment
    )
    db.session.add(response)
    db.session.flush()
    rows = answer_values(version.model, answers)
    insert_rows(response.id, rows)
    if not synthetic:
        tallies.add(version.survey_id, version.model, rows, channel, moment)
    return response


def answer_values(definition: SurveyDefinition, answers: dict) -> list[dict]:
    """The normalised rows of a set of answers, question type by question type."""
    rows = []
    for question in definition.questions():
        for values in question.to_rows(answers):
            if values["number"] is not None:
                values["number"] = float(values["number"])  # a double, exact to 15 digits
            rows.append(values)
    return rows


def insert_rows(response_id: int, rows: list[dict]) -> None:
    """Rows from answer_values(), in one statement (no ORM bookkeeping per row)."""
    bulk.insert(Answer.__table__, [r | {"response_id": response_id} for r in rows])


def stored_rows(response_id: int) -> list[dict]:
    """A response's answer rows, as answer_values() gives them."""
    found = db.session.execute(
        select(*(getattr(Answer, c) for c in ANSWER_VALUES)).where(
            Answer.response_id == response_id
        )
    )
    return [dict(zip(ANSWER_VALUES, row, strict=True)) for row in found]


def read_answers(response: Response) -> dict:
    """A stored response back into answers, question type by question type."""
    return answers_from(response.version.model, stored_rows(response.id))


def answers_from(definition: SurveyDefinition, rows: list[dict]) -> dict:
    by_question: dict[str, list[dict]] = {}
    for row in rows:
        by_question.setdefault(row["question_id"], []).append(row)
    answers = {}
    for question in definition.questions():
        answers |= question.from_rows(by_question.get(question.id, []))
    return answers
