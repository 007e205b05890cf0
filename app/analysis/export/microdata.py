"""Response-level exports, anonymised: one row per submitted, real response.

Nothing that points at a person: no response id (a running number instead), no time finer than
the quarter, the commune of residence but not the village, dates to the month, and no free
text at all (names and addresses are typed there; the committee reads it on the platform).
Columns hold stable codes (choice ids, NIS codes); the value labels come with them (a codebook
sheet in XLSX, value labels in SPSS).

Read in chunks of responses, so that memory stays bounded whatever their number. The
committee's files are then made k-anonymous on the quasi-identifiers (anonymise.py); only
administrators download them as they are.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import func, null, select, text

from app.extensions import db
from app.surveys.models import Answer, Response, SurveyVersion
from app.surveys.queries import real_responses
from app.surveys.tallies import quarter
from app.surveys.types.base import EXPORTED, QUESTION, RESPONSE, ExportColumn, Placer

CHUNK = 2000  # responses at a time
FETCH = 10_000  # answers at a time
LEADING = 3  # n, quarter, channel: the columns before the questions'

# A stored answer, as read for an export (its free text is never read): surveys.types.base says
# where each value is in it, for the question types' placers. Reading the rows straight into
# cells, rather than through each type's reader, lets 100,000 responses export in seconds.
READ = tuple(getattr(Answer, name) for name in EXPORTED)


@dataclass
class Layout:
    columns: list[ExportColumn]
    placers: dict[str, Placer]  # question id → its placer
    questions: list = field(default_factory=list)  # the questions exported, in that order
    # The columns of the quasi-identifiers, and those of them that say where people live (a
    # commune can be replaced by its area or province): indexes into columns.
    quasi: list[int] = field(default_factory=list)
    places: list[int] = field(default_factory=list)


def is_quasi_identifier(question) -> bool:
    """Declared so in the definition; the place of residence always is."""
    return question.quasi_identifier or question.residence


def layout(definition, lang: str, words: dict, keep=None) -> Layout:
    """The columns: a running number, the quarter and the channel, then each question's own
    (its type's export()); with `keep`, only the questions it says yes to."""
    columns = [
        ExportColumn("n", words["row"], number=True),
        ExportColumn("quarter", words["period"]),
        ExportColumn("channel", words["channel"], {c: words[c] for c in ("web", "kiosk", "paper")}),
    ]
    placers, questions, quasi, places = {}, [], [], []
    for question in definition.questions():
        made = None if keep and not keep(question) else question.export(lang, len(columns))
        if made is None:
            continue
        at = range(len(columns), len(columns) + len(made[0]))
        if is_quasi_identifier(question):
            quasi += at
            places += at if question.residence else []
        columns += made[0]
        placers[question.id] = made[1]
        questions.append(question)
    return Layout(_distinct(columns), placers, questions, quasi, places)


def _distinct(columns: list[ExportColumn]) -> list[ExportColumn]:
    """Column names made distinct (a question may be called « n » or « channel »): a name met
    again gets a number."""
    taken: set[str] = set()
    for column in columns:
        name, i = column.name, 1
        while name in taken:
            i += 1
            name = f"{column.name}_{i}"
        column.name = name
        taken.add(name)
    return columns


def count(survey_id: int) -> int:
    """How many rows an export has, as the responses stand now."""
    return db.session.scalar(select(func.count(Response.id)).where(*real_responses(survey_id)))


def rows(survey_id: int, made: Layout, connection=None) -> Iterator[list]:
    """Every row, read CHUNK responses at a time (keyset pagination on the response id), in
    the request's session or on a connection (a snapshot: the same rows when read twice)."""
    width, placers = len(made.columns), made.placers
    after, number = 0, 0
    read = db.session if connection is None else connection
    real = _real(survey_id, read)
    if (
        db.engine.dialect.name == "postgresql"
    ):  # compiling each page's query costs more than it saves
        read.execute(text("SET LOCAL jit = off"))
    while True:
        chunk = read.execute(
            select(Response.id, Response.channel, Response.submitted_at)
            .where(*real, Response.id > after)
            .order_by(Response.id)
            .limit(CHUNK)
        ).all()
        if not chunk:
            return
        cells = {r.id: [None] * width for r in chunk}
        # The answers of these responses, read as the driver's plain tuples: SQLAlchemy's result
        # rows took half the time of the whole export.
        cursor = plain_cursor(select(*READ).where(Answer.response_id.in_(list(cells))), connection)
        while part := cursor.fetchmany(FETCH):
            for row in part:
                if (place := placers.get(row[QUESTION])) is not None and (
                    found := cells.get(row[RESPONSE])
                ) is not None:
                    place(row, found)
        cursor.close()
        for response_id, channel, submitted_at in chunk:
            number += 1
            row = cells[response_id]
            row[:LEADING] = number, quarter(submitted_at), channel
            yield row
        after = chunk[-1].id


def cells_by_question(survey_id: int, made: Layout, connection) -> list[list]:
    """Every row's cells of the layout's questions (row i: the response rows() numbers i + 1),
    read question by question through the index on the answers' questions: for a few columns
    of every row, a fraction of the answers that reading whole rows goes through."""
    ids = list(
        connection.scalars(
            select(Response.id).where(*_real(survey_id, connection)).order_by(Response.id)
        )
    )
    if not ids:
        return []
    at = {response_id: i for i, response_id in enumerate(ids)}
    cells = [[None] * len(made.columns) for _ in ids]
    # The index holds every value but dates: without a date question, it alone is read.
    dated = any(q.type == "date" for q in made.questions)
    columns = READ if dated else tuple(null() if c is Answer.date else c for c in READ)
    query = select(*columns).where(
        Answer.question_id.in_(sorted(made.placers)), Answer.response_id.between(ids[0], ids[-1])
    )
    cursor = plain_cursor(query, connection)
    while part := cursor.fetchmany(FETCH):
        for row in part:  # answers of other questionnaires' questions of the same id: skipped
            if (i := at.get(row[RESPONSE])) is not None:
                made.placers[row[QUESTION]](row, cells[i])
    cursor.close()
    return cells


def _real(survey_id: int, read) -> tuple:
    """The conditions on the responses exported, the versions named (see real_responses)."""
    versions = read.scalars(select(SurveyVersion.id).where(SurveyVersion.survey_id == survey_id))
    return real_responses(survey_id, versions=list(versions))


def plain_cursor(query, connection=None):
    """The query run on the driver's own cursor, whose plain tuples cost far less than
    SQLAlchemy's rows when millions are read (its only parameters are numbers and codes,
    written in)."""
    connection = db.session.connection() if connection is None else connection
    sql = query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
    cursor = connection.connection.cursor()
    cursor.execute(str(sql))
    return cursor


SPSS_NAME = re.compile(r"[^A-Za-z0-9_]")


def spss_name(name: str, taken: set[str]) -> str:
    """A valid SPSS variable name: letters, digits and _, starting with a letter, ≤ 64."""
    base = SPSS_NAME.sub("_", name)
    if not base[:1].isalpha():
        base = "v_" + base
    base = base[:60]
    found, i = base, 1
    while found.lower() in taken:
        i += 1
        found = f"{base}_{i}"
    taken.add(found.lower())
    return found
