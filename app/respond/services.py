"""The respondent's path: start, save a page, resume, submit once, delete. Services flush only.

The database decides what happens once. Saving a page first claims the response with a
conditional UPDATE (« still partial? »): a second request for the same response (a double tap
on « Send », « Send » and « Back » together) waits for the first, then finds it submitted and
changes nothing. Submitting is a conditional UPDATE too, and deleting a conditional DELETE whose
row count says whether this request deleted it: only that request counts the response out.
"""

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.respond import codes, queries
from app.surveys import tallies
from app.surveys.models import Answer, DeletedResponse, Response, SurveyVersion
from app.surveys.runtime import read_page, visible_pages, visible_questions, without_hidden
from app.surveys.services import answer_values, insert_rows, read_answers, stored_rows
from app.surveys.types import AnswerError
from app.territory.queries import commune

AREAS = {"sud-esem": {"sud-esem"}, "sud-esem+haute-meuse": {"sud-esem", "haute-meuse"}}


def now() -> datetime:
    return datetime.now(UTC)


def new_start_key() -> str:
    return secrets.token_urlsafe(24)


def start(version: SurveyVersion, start_key: str, channel: str = "web") -> Response:
    """A partial response; the same start key (a double tap) gives back the same one."""
    existing = db.session.scalar(select(Response).where(Response.start_key == start_key))
    if existing is not None:
        return existing
    months = version.model.retention_months
    response = Response(
        version_id=version.id,
        channel=channel,
        start_key=start_key,
        expires_at=now() + timedelta(days=30 * months),
    )
    try:
        with db.session.begin_nested():
            db.session.add(response)
    except IntegrityError:  # the same start key arrived twice at once: the database decided
        return db.session.scalar(select(Response).where(Response.start_key == start_key))
    return response


@dataclass
class PageOutcome:
    """Where the person goes after sending a page: « page » (page_id), « intro », « saved »
    (with a resume code), « thanks » (with a deletion code when this request submitted), or
    « again »: the same page with its problems (nothing saved), « ended »: the response is no
    longer there (its retention ran out)."""

    goes_to: str
    page_id: str | None = None
    code: str | None = None
    problems: dict[str, list[str]] = field(default_factory=dict)
    answers: dict = field(default_factory=dict)  # as stored: the page shown again from them
    missing: bool = False  # sent back to a page with a required answer missing
    outside: tuple[str, str] | None = None  # (question id, message): outside the territory


def save_page(response: Response, page, sent, action: str, kiosk: bool) -> PageOutcome:
    """Read and keep one page of answers (`sent`: the form's values), then go on, back, or
    save for later; submit after the last page. A response already submitted (by another
    request meanwhile) is left as it is."""
    if not claim(response.id):  # submitted meanwhile (a double tap), or purged
        submitted = db.session.scalar(
            select(Response.submitted_at).where(Response.id == response.id)
        )
        return PageOutcome("thanks" if submitted is not None else "ended")
    definition = response.version.model
    answers = read_answers(response)  # read once claimed: what the request before left
    new, problems = read_page(page, sent, answers)
    merged = _replace_page(answers, page, new, problems)
    if action in ("back", "save"):  # keep what was valid, then go
        save_answers(response, merged, page.id)
        if action == "save" and not kiosk:
            return PageOutcome("saved", code=issue_resume_code(response))
        previous = queries.neighbour(definition, merged, page.id, -1)
        return PageOutcome("page", previous) if previous else PageOutcome("intro")
    outside = territory_problem(definition, merged)
    if outside and outside[0] in {q.id for q in page.questions}:
        problems[outside[0]] = [outside[1]]
    if problems:
        return PageOutcome("again", page.id, problems=problems, answers=answers, outside=outside)
    following = queries.neighbour(definition, merged, page.id, +1)
    save_answers(response, merged, following or page.id)
    if following:
        return PageOutcome("page", following)
    missing = missing_page(response, merged)
    if missing:
        return PageOutcome("page", missing, missing=True)
    return PageOutcome("thanks", code=submit(response))


def claim(response_id: int) -> bool:
    """Take the response for this request, while it is partial: a conditional UPDATE that
    holds its row (PostgreSQL) or the database's write lock (SQLite) until the commit, so that
    another request for it waits, then finds it as this one left it."""
    claimed = db.session.execute(
        update(Response)
        .where(Response.id == response_id, Response.submitted_at.is_(None))
        .values(current_page=Response.current_page)
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


def _replace_page(answers: dict, page, new: dict, problems: dict) -> dict:
    """The page's answers replace the stored ones (a cleared answer is removed), except where
    the page had a problem: there the stored answer stays."""
    cleared = {k for q in page.questions if q.id not in problems for k in q.answer_keys()}
    return {k: v for k, v in answers.items() if k not in cleared} | new


def territory_problem(definition, answers: dict) -> tuple[str, str] | None:
    """(question id, message) when the residence is outside a territory that refuses it."""
    if definition.territory == "anyone" or definition.outside_territory == "keep":
        return None
    residence = next((q for q in definition.questions() if q.residence), None)
    place = answers.get(residence.id) if residence else None
    if place is None or place.kind == "undisclosed":
        return None
    if place.kind == "elsewhere" or commune(place.nis).area not in AREAS[definition.territory]:
        return residence.id, _(
            "This questionnaire is for the inhabitants of the communes of the platform. "
            "Thank you for your interest."
        )
    return None


def save_answers(response: Response, answers: dict, page_id: str | None) -> None:
    """Replace the stored answers of a claimed response (only what the logic shows is kept)."""
    definition = response.version.model
    answers = without_hidden(definition, answers)
    db.session.execute(delete(Answer).where(Answer.response_id == response.id))
    insert_rows(response.id, answer_values(definition, answers))
    response.current_page = page_id
    db.session.flush()


def missing_page(response: Response, answers: dict) -> str | None:
    """The first visible page with a required question left unanswered, if any."""
    definition = response.version.model
    for page in visible_pages(definition, answers):
        for question in visible_questions(page, answers):
            try:
                question.check_required(answers.get(question.id))
            except AnswerError:
                return page.id
    return None


def submit(response: Response) -> str | None:
    """Mark the response submitted exactly once and count it in; the deletion code when this
    call did it (a conditional UPDATE: a replay finds it submitted and changes nothing)."""
    code, moment = codes.new_code(), now()
    result = db.session.execute(
        update(Response)
        .where(Response.id == response.id, Response.submitted_at.is_(None))
        .values(
            submitted_at=moment,
            deletion_hash=codes.code_hash("delete", code),
            resume_hash=None,
            current_page=None,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    version = response.version
    if not response.synthetic:
        rows = stored_rows(response.id)
        tallies.add(version.survey_id, version.model, rows, response.channel, moment)
    db.session.expire(response)
    return code


def issue_resume_code(response: Response) -> str:
    code = codes.new_code()
    response.resume_hash = codes.code_hash("resume", code)
    db.session.flush()
    return code


def find_partial(survey_id: int, code: str) -> Response | None:
    normalised = codes.normalise(code)
    if normalised is None:
        return None
    return db.session.scalar(
        select(Response)
        .join(SurveyVersion, SurveyVersion.id == Response.version_id)
        .where(
            SurveyVersion.survey_id == survey_id,
            Response.resume_hash == codes.code_hash("resume", normalised),
            Response.submitted_at.is_(None),
            Response.expires_at > now(),
        )
    )


DELETED, GONE, UNKNOWN, KNOWN = "deleted", "gone", "unknown", "known"


def deletion_state(survey_id: int, code: str) -> str:
    """What a deletion with this code would find, without deleting (the confirmation step):
    KNOWN (a response to delete), GONE (deleted before) or UNKNOWN."""
    digest, target = _deletable(survey_id, code)
    if target is not None:
        return KNOWN
    return _gone_or_unknown(survey_id, digest)


def _deletable(survey_id: int, code: str) -> tuple[str | None, Response | None]:
    normalised = codes.normalise(code)
    if normalised is None:
        return None, None
    digest = codes.code_hash("delete", normalised)
    return digest, db.session.scalar(
        select(Response)
        .join(SurveyVersion, SurveyVersion.id == Response.version_id)
        .where(SurveyVersion.survey_id == survey_id, Response.deletion_hash == digest)
    )


def _gone_or_unknown(survey_id: int, digest: str | None) -> str:
    if digest is None:
        return UNKNOWN
    gone = select(DeletedResponse.deletion_hash).where(
        DeletedResponse.deletion_hash == digest, DeletedResponse.survey_id == survey_id
    )
    return GONE if db.session.scalar(gone) else UNKNOWN


def delete_submitted(survey_id: int, code: str) -> str:
    """DELETED: this request deleted the response, counted it out and kept its code's hash;
    GONE: the code deleted it before (another request, maybe at this very moment): nothing
    more to do; UNKNOWN: no response has this code."""
    digest, target = _deletable(survey_id, code)
    if target is None:
        return _gone_or_unknown(survey_id, digest)
    rows = stored_rows(target.id)  # a submitted response's answers never change
    deleted = db.session.execute(
        delete(Response)
        .where(Response.id == target.id, Response.deletion_hash == digest)
        .execution_options(synchronize_session=False)
    )
    if deleted.rowcount != 1:  # deleted by another request since it was found
        return GONE
    db.session.add(DeletedResponse(deletion_hash=digest, survey_id=survey_id))
    if not target.synthetic and target.submitted_at is not None:
        version = target.version
        tallies.remove(survey_id, version.model, rows, target.channel, target.submitted_at)
    return DELETED


def purge_expired() -> int:
    """Partial responses past their survey's retention are deleted (never counted: partial)."""
    result = db.session.execute(
        delete(Response).where(Response.submitted_at.is_(None), Response.expires_at <= now())
    )
    return result.rowcount


def answers_of(response: Response) -> dict:
    return read_answers(response)
