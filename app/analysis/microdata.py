"""Response-level exports, anonymised: one row per submitted, real response.

Nothing that points at a person: no response id (a running number instead), no time finer than
the quarter, the commune of residence but not the village, dates to the month, and no free
text at all (names and addresses are typed there; the committee reads it on the platform).
Columns hold stable codes (choice ids, NIS codes); the value labels come with them (a codebook
sheet in XLSX, value labels in SPSS).

Read in chunks of responses, so that memory stays bounded whatever their number.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import select

from app.analysis.material import quarter
from app.analysis.queries import ROW_KEYS, _real, as_row
from app.extensions import db
from app.surveys.models import Answer, Response, SurveyVersion
from app.surveys.text import localize
from app.surveys.types.choice import ChoiceQuestion, MultipleChoice, Ranking
from app.surveys.types.entry import DateQuestion, Number
from app.surveys.types.place import PlaceQuestion
from app.surveys.types.scale import DONT_KNOW, Matrix, Scale

CHUNK = 2000


@dataclass
class Column:
    name: str
    label: str
    labels: dict = field(default_factory=dict)  # code → label ({} for numbers)
    number: bool = False  # numbers as they are (no value labels)


@dataclass
class Layout:
    columns: list[Column]
    cells: list  # one function per question: answers → its cells
    questions: list = field(default_factory=list)  # the questions exported, in that order


def layout(definition, lang: str, words: dict, communes) -> Layout:
    columns = [
        Column("n", words["row"], number=True),
        Column("quarter", words["period"]),
        Column("channel", words["channel"], {c: words[c] for c in ("web", "kiosk", "paper")}),
    ]
    cells, questions = [], []
    for question in definition.questions():
        made = _columns(question, lang, words, communes)
        if made is None:
            continue
        columns += made[0]
        cells.append(made[1])
        questions.append(question)
    return Layout(columns, cells, questions)


def _columns(question, lang, words, communes):
    text = question.text(lang)
    qid = question.id
    if isinstance(question, PlaceQuestion):
        names = {c.nis: c.name for c in communes} | {
            k: words[k] for k in ("elsewhere", "undisclosed")
        }

        def place(answers):
            found = answers.get(qid)
            return [None if found is None else found.nis or found.kind]

        return [Column(qid, text, names)], place
    if isinstance(question, Matrix):
        scale = {c.id: localize(c.label, lang) for c in question.scale}
        made = [
            Column(f"{qid}:{r.id}", f"{text} – {localize(r.label, lang)}", scale)
            for r in question.rows
        ]
        return made, lambda answers: [(answers.get(qid) or {}).get(r.id) for r in question.rows]
    if isinstance(question, Scale):
        points = {p: str(p) for p in question.points()}
        if question.dont_know:
            points[DONT_KNOW] = words[DONT_KNOW]
        return [Column(qid, text, points)], lambda answers: [answers.get(qid)]
    if isinstance(question, MultipleChoice):
        made = [
            Column(
                f"{qid}:{c.id}",
                f"{text} – {localize(c.label, lang)}",
                {0: words["no"], 1: words["yes"]},
            )
            for c in question.choices
        ]

        def picked(answers):
            found = answers.get(qid)
            if found is None:
                return [None] * len(question.choices)
            return [int(c.id in found) for c in question.choices]

        return made, picked
    if isinstance(question, Ranking):
        labels = {c.id: localize(c.label, lang) for c in question.choices}
        positions = question.positions()
        made = [Column(f"{qid}:{i}", f"{text} – {i}", labels) for i in range(1, positions + 1)]

        def ranked(answers):
            found = answers.get(qid) or []
            return [found[i] if i < len(found) else None for i in range(positions)]

        return made, ranked
    if isinstance(question, ChoiceQuestion):  # single choice, yes/no
        labels = {c.id: question.display({qid: c.id}, lang) for c in question.choices}
        return [Column(qid, text, labels)], lambda answers: [answers.get(qid)]
    if isinstance(question, Number):
        return [Column(qid, text, number=True)], lambda answers: [_number(answers.get(qid))]
    if isinstance(question, DateQuestion):

        def month(answers):
            found = answers.get(qid)
            return [None if found is None else f"{found.year:04d}-{found.month:02d}"]

        return [Column(qid, f"{text} ({words['month']})")], month
    return None  # free text, notes: not exported


def _number(value):
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def rows(definition, survey_id: int, made: Layout) -> Iterator[list]:
    """Every row, read CHUNK responses at a time (keyset pagination on the response id)."""
    # Only the questions with columns: free text is not exported, so it is not read either.
    questions = {q.id: q for q in made.questions}
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
        answers = _answers(questions, [r.id for r in chunk])
        for response_id, channel, submitted_at in chunk:
            given = answers.get(response_id, {})
            number += 1
            row = [number, quarter(submitted_at), channel]
            for cells in made.cells:
                row += cells(given)
            yield row
        after = chunk[-1].id


def _answers(questions: dict, ids: list[int]) -> dict[int, dict]:
    """Each response's answers, as the question types read them. The rows come sorted by
    response and question, so that each question's rows are read as they end."""
    keys = (getattr(Answer, k) for k in ROW_KEYS)
    query = (
        select(Answer.response_id, Answer.section, *keys)
        .where(Answer.response_id.in_(ids))
        .order_by(Answer.response_id, Answer.question_id)
    )
    answers: dict[int, dict] = {}
    given, found_rows, current = None, [], (None, None)
    for response_id, *values in db.session.connection().execute(query):  # tuples: see queries
        if values[1] not in questions:  # not exported (free text)
            continue
        key = (response_id, values[1])
        if key != current:
            if found_rows and (question := questions.get(current[1])) is not None:
                given |= question.from_rows(found_rows)
            if response_id != current[0]:
                given = answers[response_id] = {}
            found_rows, current = [], key
        found_rows.append(as_row(values))
    if found_rows and (question := questions.get(current[1])) is not None:
        given |= question.from_rows(found_rows)
    return answers


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
