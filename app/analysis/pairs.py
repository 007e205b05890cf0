"""People per category of each one-answer breakdown, and per pair of categories of two of them
(tally_pairs): a cross-tabulation, a group's view or a weighted share reads a few hundred counts
instead of every answer.

A breakdown (a « key » here) is a question that takes one answer per person (single choice,
yes/no, scale, place: its id), a row of a matrix (« question.row »), or the response's channel
or quarter (« @channel », « @period »: « @ » is in no question id). Its « token » is the code of
the answer: the choice id, the scale point (« 3 », or « dont_know »), the NIS code or, for a
place without a commune, its kind.

« Not answered » is not counted: it is what the counts leave over (responses − people with a
category), so a question added by a later version needs no recount of the earlier responses.
The questions are those of every version of the questionnaire (an answered question keeps its
type from version to version: surveys.compat).
"""

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, false, or_, select

from app.analysis.models import PairTally
from app.analysis.queries import plain_cursor
from app.extensions import db
from app.surveys.models import Answer, Response, SurveyVersion
from app.surveys.types.choice import SingleChoice
from app.surveys.types.place import PlaceQuestion
from app.surveys.types.scale import Matrix, Scale

CHANNEL, PERIOD = "@channel", "@period"
CHUNK = 5000  # responses counted at a time
FETCH = 10_000


def kinds(survey_id: int) -> dict[str, str]:
    """Question id → how its answer gives a token (choice, scale, matrix, place), over every
    version (the latest version that has the question says)."""
    found: dict[str, str] = {}
    versions = db.session.scalars(
        select(SurveyVersion)
        .where(SurveyVersion.survey_id == survey_id)
        .order_by(SurveyVersion.number)
    )
    for version in versions:
        for question in version.model.questions():
            kind = _kind(question)
            if kind is not None:
                found[question.id] = kind
            else:
                found.pop(question.id, None)
    return found


def _kind(question) -> str | None:
    if isinstance(question, PlaceQuestion):
        return "place"
    if isinstance(question, Matrix):
        return "matrix"
    if isinstance(question, Scale):
        return "scale"
    if isinstance(question, SingleChoice):
        return "choice"
    return None  # several answers per person, numbers, dates, free text: no breakdown


def counted(survey_id: int, sent: list[tuple], sign: int) -> list[dict]:
    """The tally_pairs rows that add (sign +1) or take out (−1) the responses sent: their
    (id, channel, quarter)."""
    by_question = kinds(survey_id)
    people: Counter = Counter()
    for start in range(0, len(sent), CHUNK):
        chunk = sent[start : start + CHUNK]
        tokens = {rid: {CHANNEL: channel, PERIOD: period} for rid, channel, period in chunk}
        if by_question:
            _read_tokens(tokens, by_question)
        people.update(_pairs(list(tokens.values())))
    return [
        {
            "survey_id": survey_id,
            "first": first,
            "first_value": first_value,
            "second": second,
            "second_value": second_value,
            "people": sign * n,
        }
        for (first, first_value, second, second_value), n in people.items()
    ]


def _read_tokens(tokens: dict[int, dict], by_question: dict[str, str]) -> None:
    read = (Answer.response_id, Answer.question_id, Answer.row_id, Answer.choice_id)
    read += (Answer.number, Answer.nis)
    # By response only: with the questions in the query too, SQLite reads the answers by
    # question (every response's), ten times slower.
    cursor = plain_cursor(select(*read).where(Answer.response_id.in_(list(tokens))))
    while part := cursor.fetchmany(FETCH):
        for rid, question_id, row_id, choice_id, number, nis in part:
            kind = by_question.get(question_id)
            if kind is None:
                continue
            key = f"{question_id}.{row_id}" if kind == "matrix" else question_id
            if (found := token(choice_id, number, nis)) is not None:
                tokens[rid][key] = found
    cursor.close()


def token(choice_id: str | None, number: float | None, nis: str | None) -> str | None:
    """The code of a one-answer question's stored answer: a place's commune (or its kind when
    it has none), a scale's point (or « dont_know »), a choice."""
    if nis is not None:
        return nis
    return choice_id if number is None else str(int(number))


def _pairs(responses: list[dict]) -> Counter:
    """Each key's tokens and each pair of keys' tokens, counted over the responses."""
    if len(responses) <= FEW:
        return _pairs_one_by_one(responses)
    return _pairs_in_bulk(responses)


FEW = 64  # responses counted in plain Python: a deletion or a few new ones (numpy costs more)


def _pairs_one_by_one(responses: list[dict]) -> Counter:
    found: Counter = Counter()
    for tokens in responses:
        keyed = sorted(tokens.items())  # each pair once, in code-point order
        for a, (first, first_token) in enumerate(keyed):
            found[(first, first_token, "", "")] += 1
            for second, second_token in keyed[a + 1 :]:
                found[(first, first_token, second, second_token)] += 1
    return found


def _pairs_in_bulk(responses: list[dict]) -> Counter:
    """The same with numpy: a bulk import of 100,000 responses makes tens of millions of pairs,
    counted by one bincount per pair of keys."""
    import numpy as np

    vocabulary: dict[str, dict[str, int]] = defaultdict(dict)
    for tokens in responses:
        for key, token in tokens.items():
            vocabulary[key].setdefault(token, len(vocabulary[key]))
    keys = sorted(vocabulary)  # each pair once, in code-point order
    codes = {key: np.full(len(responses), -1, dtype=np.int64) for key in keys}
    for i, tokens in enumerate(responses):
        for key, token in tokens.items():
            codes[key][i] = vocabulary[key][token]
    names = {key: list(vocabulary[key]) for key in keys}
    found: Counter = Counter()
    for a, first in enumerate(keys):
        there = codes[first] >= 0
        for code, n in enumerate(np.bincount(codes[first][there], minlength=len(names[first]))):
            if n:
                found[(first, names[first][code], "", "")] = int(n)
        for second in keys[a + 1 :]:
            both = there & (codes[second] >= 0)
            width = len(names[second])
            joint = np.bincount(codes[first][both] * width + codes[second][both])
            for code in np.flatnonzero(joint):
                tokens = names[first][code // width], names[second][code % width]
                found[(first, tokens[0], second, tokens[1])] = int(joint[code])
    return found


class Pairs:
    """One questionnaire's counts, every breakdown's, read in one statement: one state of the
    tallies (a crossing's « not answered » is what its counts leave over, and its margins are
    the dashboard's one-way tables: all must be of the same responses; see material.gather)."""

    def __init__(self, rows: list[tuple]):
        self._rows = rows  # (first, first token, second, second token, people)
        self._with: dict[str, dict[str, Counter]] = {}
        self._alone: dict[str, Counter] = defaultdict(Counter)
        for first, first_value, second, _second_value, people in rows:
            if second == "":
                self._alone[first][first_value] = people

    @classmethod
    def read(cls, survey_id: int) -> "Pairs":
        return cls(
            db.session.execute(
                select(
                    PairTally.first,
                    PairTally.first_value,
                    PairTally.second,
                    PairTally.second_value,
                    PairTally.people,
                ).where(PairTally.survey_id == survey_id, PairTally.people > 0)
            ).all()
        )

    @property
    def responses(self) -> int:
        return sum(self._alone.get(CHANNEL, {}).values())  # every response has its channel

    def agrees(self, responses: Counter) -> bool:
        """Whether these counts are of the same responses as the tallies' (channel, quarter)
        → responses (another process may have counted new ones between the two reads)."""
        channels, periods = Counter(), Counter()
        for (channel, period), n in responses.items():
            channels[channel] += n
            periods[period] += n
        alone = self._alone
        return +channels == +alone.get(CHANNEL, Counter()) and +periods == +alone.get(
            PERIOD, Counter()
        )

    def alone(self) -> dict[str, Counter]:
        """Key → token → people."""
        return self._alone

    def paired(self, key: str) -> dict[str, Counter]:
        """Other key → (token of `key`, token of the other) → people."""
        if key not in self._with:
            found: dict[str, Counter] = defaultdict(Counter)
            for first, first_value, second, second_value, people in self._rows:
                if second == "":
                    continue
                if first == key:
                    found[second][(first_value, second_value)] = people
                elif second == key:
                    found[first][(second_value, first_value)] = people
            self._with[key] = found
        return self._with[key]

    def table(self, rows: str, columns: str) -> Counter:
        """(token of `rows`, token of `columns`) → people, every response once: None where it
        did not answer."""
        joint = self.paired(rows).get(columns, Counter())
        found = Counter(joint)
        down, across = Counter(), Counter()
        for (r, c), n in joint.items():
            down[r] += n
            across[c] += n
        alone = self._alone
        for r, n in alone.get(rows, {}).items():
            found[(r, None)] = n - down[r]
        for c, n in alone.get(columns, {}).items():
            found[(None, c)] = n - across[c]
        answered_rows = sum(alone.get(rows, {}).values())
        answered_columns = sum(alone.get(columns, {}).values())
        found[(None, None)] = self.responses - answered_rows - answered_columns + joint.total()
        return found


def within(source: str, tokens: set[str], unanswered: bool = False):
    """The ids of the responses whose token for the key `source` is one of `tokens` (and, with
    `unanswered`, of those without any): the people of one group, as a sub-select."""
    if source == CHANNEL:
        return select(Response.id).where(Response.channel.in_(sorted(tokens)))
    if source == PERIOD:
        spans = [_quarter_span(token) for token in sorted(tokens)]
        return select(Response.id).where(
            or_(false(), *(Response.submitted_at.between(*span) for span in spans))
        )
    question_id, _dot, row_id = source.partition(".")
    answered = select(Answer.response_id).where(Answer.question_id == question_id)
    if row_id:
        answered = answered.where(Answer.row_id == row_id)
    numbers = [float(t) for t in tokens if t.lstrip("-").isdigit()]
    chosen = answered.where(
        or_(
            Answer.nis.in_(sorted(tokens)),
            and_(
                Answer.nis.is_(None), Answer.number.is_(None), Answer.choice_id.in_(sorted(tokens))
            ),
            and_(Answer.nis.is_(None), Answer.number.in_(numbers)),
        )
    )
    if not unanswered:
        return chosen
    return select(Response.id).where(or_(Response.id.not_in(answered), Response.id.in_(chosen)))


def _quarter_span(key: str) -> tuple[datetime, datetime]:
    """The first and last moments of a quarter « 2026-4 » (as quarter() reads the stored time)."""
    year, number = map(int, key.split("-"))
    first = datetime(year, 3 * number - 2, 1, tzinfo=UTC)
    after = (
        datetime(year + 1, 1, 1, tzinfo=UTC)
        if number == 4
        else datetime(year, 3 * number + 1, 1, tzinfo=UTC)
    )
    return first, after - timedelta(microseconds=1)
