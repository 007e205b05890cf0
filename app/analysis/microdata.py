"""Response-level exports, anonymised: one row per submitted, real response.

Nothing that points at a person: no response id (a running number instead), no time finer than
the quarter, the commune of residence but not the village, dates to the month, and no free
text at all (names and addresses are typed there; the committee reads it on the platform).
Columns hold stable codes (choice ids, NIS codes); the value labels come with them (a codebook
sheet in XLSX, value labels in SPSS).

Read in chunks of responses, so that memory stays bounded whatever their number.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import select

from app.analysis.queries import _real, plain_cursor, quarter
from app.extensions import db
from app.surveys.models import Answer, Response, SurveyVersion
from app.surveys.text import localize
from app.surveys.types.choice import ChoiceQuestion, MultipleChoice, Ranking
from app.surveys.types.entry import DateQuestion, Number
from app.surveys.types.place import PlaceQuestion
from app.surveys.types.scale import DONT_KNOW, Matrix, Scale

CHUNK = 2000  # responses at a time
FETCH = 10_000  # answers at a time
LEADING = 3  # n, quarter, channel: the columns before the questions'

# A stored answer, as read for an export (its free text is never read), and where its values are.
READ = (Answer.response_id, Answer.question_id, Answer.row_id, Answer.choice_id, Answer.position)
READ += (Answer.number, Answer.date, Answer.nis)
RESPONSE, QUESTION, ROW_ID, CHOICE, POSITION, NUMBER, DATE, NIS = range(8)


@dataclass
class Column:
    name: str
    label: str
    labels: dict = field(default_factory=dict)  # code → label ({} for numbers)
    number: bool = False  # numbers as they are (no value labels)


# Puts one stored answer (a row of READ) into its response's cells. Reading the rows straight
# into cells, rather than through each question type's reader, is what lets 100,000 responses
# export within the time asked (issue 5).
Placer = Callable[[tuple, list], None]


@dataclass
class Layout:
    columns: list[Column]
    placers: dict[str, Placer]  # question id → its placer
    questions: list = field(default_factory=list)  # the questions exported, in that order


def layout(definition, lang: str, words: dict, communes) -> Layout:
    columns = [
        Column("n", words["row"], number=True),
        Column("quarter", words["period"]),
        Column("channel", words["channel"], {c: words[c] for c in ("web", "kiosk", "paper")}),
    ]
    placers, questions = {}, []
    for question in definition.questions():
        made = _columns(question, lang, words, communes, len(columns))
        if made is None:
            continue
        columns += made[0]
        placers[question.id] = made[1]
        questions.append(question)
    return Layout(_distinct(columns), placers, questions)


def _distinct(columns: list[Column]) -> list[Column]:
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


def _columns(question, lang, words, communes, at: int):
    """The question's columns, which start at index `at`, and its placer."""
    text = question.text(lang)
    qid = question.id
    if isinstance(question, PlaceQuestion):
        names = {c.nis: c.name for c in communes} | {
            k: words[k] for k in ("elsewhere", "undisclosed")
        }

        def place(row, cells):  # the commune, or the kind (elsewhere, undisclosed); no village
            cells[at] = row[NIS] or row[CHOICE]

        return [Column(qid, text, names)], place
    if isinstance(question, Matrix):
        scale = {c.id: localize(c.label, lang) for c in question.scale}
        made = [
            Column(f"{qid}:{r.id}", f"{text} – {localize(r.label, lang)}", scale)
            for r in question.rows
        ]
        return made, _keyed({r.id: at + i for i, r in enumerate(question.rows)}, ROW_ID)
    if isinstance(question, Scale):
        points = {p: str(p) for p in question.points()}
        if question.dont_know:
            points[DONT_KNOW] = words[DONT_KNOW]

        def point(row, cells):
            cells[at] = DONT_KNOW if row[CHOICE] == DONT_KNOW else int(row[NUMBER])

        return [Column(qid, text, points)], point
    if isinstance(question, MultipleChoice):
        made = [
            Column(
                f"{qid}:{c.id}",
                f"{text} – {localize(c.label, lang)}",
                {0: words["no"], 1: words["yes"]},
            )
            for c in question.choices
        ]
        return made, _picked({c.id: at + i for i, c in enumerate(question.choices)}, at)
    if isinstance(question, Ranking):
        labels = {c.id: localize(c.label, lang) for c in question.choices}
        positions = question.positions()
        made = [Column(f"{qid}:{i}", f"{text} – {i}", labels) for i in range(1, positions + 1)]
        return made, _keyed({i: at + i - 1 for i in range(1, positions + 1)}, POSITION)
    if isinstance(question, ChoiceQuestion):  # single choice, yes/no

        def chosen(row, cells):
            cells[at] = row[CHOICE]

        labels = {c.id: question.display({qid: c.id}, lang) for c in question.choices}
        return [Column(qid, text, labels)], chosen
    if isinstance(question, Number):

        def number(row, cells):
            cells[at] = _number(row[NUMBER])

        return [Column(qid, text, number=True)], number
    if isinstance(question, DateQuestion):

        def month(row, cells):  # a date on PostgreSQL, its ISO text on SQLite
            if row[DATE] is not None:
                cells[at] = str(row[DATE])[:7]

        return [Column(qid, f"{text} ({words['month']})")], month
    return None  # free text, notes: not exported


def _keyed(columns: dict, key: int) -> Placer:
    """A question with a column per row (matrix) or place (ranking), holding the choice: a row
    or place that the current version no longer has is left out."""

    def place(row, cells):
        if (i := columns.get(row[key])) is not None:
            cells[i] = row[CHOICE]

    return place


def _picked(columns: dict, at: int) -> Placer:
    """Several answers: 1 for each choice picked, 0 for the others once one was picked."""
    end = at + len(columns)
    zeros = [0] * len(columns)

    def place(row, cells):
        if (i := columns.get(row[CHOICE])) is None:
            return
        if cells[at] is None:
            cells[at:end] = zeros
        cells[i] = 1

    return place


def _number(value):
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def rows(survey_id: int, made: Layout) -> Iterator[list]:
    """Every row, read CHUNK responses at a time (keyset pagination on the response id)."""
    width, placers = len(made.columns), made.placers
    after, number = 0, 0
    while True:
        chunk = db.session.execute(
            select(Response.id, Response.channel, Response.submitted_at)
            .join(SurveyVersion, SurveyVersion.id == Response.version_id)
            .where(*_real(survey_id), Response.id > after)
            .order_by(Response.id)
            .limit(CHUNK)
        ).all()
        if not chunk:
            return
        cells = {r.id: [None] * width for r in chunk}
        # The answers of these responses, read as the driver's plain tuples: SQLAlchemy's result
        # rows took half the time of the whole export.
        cursor = plain_cursor(select(*READ).where(Answer.response_id.in_(list(cells))))
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
