"""Crossings of the breakdowns, counted when a view asks for them.

A breakdown gives each response one category: the answer to a question that takes one answer
per person (single choice, yes/no, scale, place; its id), a row of a matrix (« question.row »),
the channel (« @channel ») or the quarter (« @period ») it was sent in (« @ » is in no question
id). A category (a « token ») is the answer's code: a choice id, a scale's point (« 3 », or
« dont_know »), a NIS code or, for a place without a commune, its kind.

One query lists, for every answer of those questions, the responses that gave it (the index on
the answers' values holds them in order, so the database reads no table); another the responses
of each channel and month. From them each response gets its category in every breakdown, and a
crossing of two breakdowns is a count of pairs of categories: every response once, « not
answered » (None) included. numpy is loaded by these views only (never on the respondent's
path).
"""

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, String, and_, cast, false, func, or_, select

from app.surveys.models import Answer, Response
from app.surveys.queries import real_responses

CHANNEL, PERIOD = "@channel", "@period"


class Crossings:
    def __init__(self, size: int, codes: dict, tokens: dict[str, list[str]]):
        self.size = size  # responses counted
        self._codes = codes  # key → each response's category (its index in tokens; -1: none)
        self._tokens = tokens  # key → its categories

    def alone_keys(self) -> list[str]:
        """The breakdowns some response has a category in."""
        return list(self._codes)

    def alone(self) -> dict[str, Counter]:
        """Key → token → people."""
        import numpy as np

        found = {}
        for key, codes in self._codes.items():
            counted = np.bincount(codes[codes >= 0], minlength=len(self._tokens[key]))
            found[key] = Counter({self._tokens[key][i]: int(n) for i, n in enumerate(counted) if n})
        return found

    def table(self, rows: str, columns: str) -> Counter:
        """(token of `rows`, token of `columns`) → people, every response once: None where it
        did not answer."""
        import numpy as np

        down, across = self._codes.get(rows), self._codes.get(columns)
        if down is None or across is None:  # a breakdown nobody answered yet
            empty = np.full(self.size, -1, dtype=np.int32)
            down, across = empty if down is None else down, empty if across is None else across
        names = [None, *self._tokens.get(rows, [])], [None, *self._tokens.get(columns, [])]
        width = len(names[1])
        joint = np.bincount((down + 1) * width + (across + 1), minlength=len(names[0]) * width)
        return Counter(
            {(names[0][i // width], names[1][i % width]): int(n) for i, n in enumerate(joint) if n}
        )

    def crossed_together(self, first: str, second: str) -> bool:
        """Whether cube() can be asked for these two: always, from the responses."""
        return True

    def cube(self, first: str, second: str, third: str) -> Counter:
        """(token of each of the three breakdowns) → people, every response once: None where
        it did not answer."""
        import numpy as np

        codes, names = [], []
        for key in (first, second, third):
            found = self._codes.get(key)
            # 0: not answered (a breakdown nobody answered yet: everyone)
            codes.append(np.zeros(self.size, np.int64) if found is None else found + 1)
            names.append([None, *self._tokens.get(key, [])])
        sizes = [len(n) for n in names]
        joint = np.bincount(np.ravel_multi_index(tuple(codes), sizes), minlength=np.prod(sizes))
        return Counter(
            {
                tuple(n[i] for n, i in zip(names, np.unravel_index(at, sizes), strict=True)): int(c)
                for at, c in enumerate(joint)
                if c
            }
        )


def token(choice_id: str | None, number: float | None, nis: str | None) -> str | None:
    """The category of a one-answer question's stored answer: a place's commune (or its kind
    when it has none), a scale's point (or « dont_know »), a choice."""
    if nis is not None:
        return nis
    return choice_id if number is None else str(int(number))


def read(connection: Connection, survey_id: int, questions: dict[str, bool]) -> Crossings:
    """The categories of every real, submitted response. questions: the one-answer questions,
    id → whether it is a matrix (a breakdown per row)."""
    import numpy as np

    ids, codes, tokens = _responses(connection, survey_id)
    if not len(ids) or not questions:
        return Crossings(len(ids), codes, tokens)
    keys = (Answer.question_id, Answer.row_id, Answer.choice_id, Answer.position)
    keys += (Answer.number, Answer.nis)
    groups = connection.execute(
        select(*keys, _id_list(connection, Answer.response_id))
        .where(
            Answer.question_id.in_(sorted(questions)),
            Answer.response_id.between(int(ids[0]), int(ids[-1])),
        )
        .group_by(*keys)
    )
    where = np.full(int(ids[-1]) - int(ids[0]) + 1, -1, dtype=np.int64)  # id → its place
    where[ids - ids[0]] = np.arange(len(ids))
    for question_id, row_id, choice_id, _position, number, nis, listed in groups:
        found = token(choice_id, number, nis)
        if found is None:
            continue
        key = f"{question_id}.{row_id}" if questions[question_id] else question_id
        at = where[np.fromstring(listed, dtype=np.int64, sep=",") - ids[0]]
        _place(codes, tokens, key, found, at[at >= 0], len(ids))
    return Crossings(len(ids), codes, tokens)


def _responses(connection: Connection, survey_id: int):
    """The responses counted (their ids, in order) and each one's channel and quarter."""
    import numpy as np

    month = _month(connection, Response.submitted_at)
    groups = connection.execute(
        select(Response.channel, month, _id_list(connection, Response.id))
        .where(*real_responses(survey_id))
        .group_by(Response.channel, month)
    ).all()
    listed = [
        (channel, m, np.fromstring(ids, dtype=np.int64, sep=",")) for channel, m, ids in groups
    ]
    ids = (
        np.sort(np.concatenate([found for *_, found in listed]))
        if listed
        else np.array([], dtype=np.int64)
    )
    codes: dict = {}
    tokens: dict[str, list[str]] = {}
    for channel, month, found in listed:
        at = _positions(ids, found)
        _place(codes, tokens, CHANNEL, channel, at, len(ids))
        _place(codes, tokens, PERIOD, _quarter(month), at, len(ids))
    return ids, codes, tokens


def _place(codes, tokens, key: str, found: str, at, size: int) -> None:
    import numpy as np

    if key not in codes:
        codes[key], tokens[key] = np.full(size, -1, dtype=np.int32), []
    names = tokens[key]
    if found not in names:
        names.append(found)
    codes[key][at] = names.index(found)


def _positions(ids, found):
    """Where the responses `found` are among the counted ones (others, such as partial or
    synthetic responses, or another questionnaire's, left out): arrays of ids, in order."""
    import numpy as np

    at = np.searchsorted(ids, found)
    inside = at < len(ids)
    inside[inside] = ids[at[inside]] == found[inside]
    return at[inside]


def _id_list(connection: Connection, column):
    """The ids of a group, as one text « 3,5,8 »."""
    if connection.dialect.name == "postgresql":
        return func.string_agg(cast(column, String), ",")
    return func.group_concat(column)


def _month(connection: Connection, column):
    """The month of a time (UTC: PostgreSQL sends times in UTC, see config): its first moment
    on PostgreSQL, « 2026-11… » on SQLite (its text); _quarter reads either."""
    if connection.dialect.name == "postgresql":
        return func.date_trunc("month", column)
    return func.substr(column, 1, 7)


def _quarter(month) -> str:
    year, number = (
        (month.year, month.month) if hasattr(month, "year") else map(int, month.split("-"))
    )
    return f"{year}-{(number - 1) // 3 + 1}"


def within(source: str, tokens: set[str], unanswered: bool = False):
    """The ids of the responses whose token for the breakdown `source` is one of `tokens` (and,
    with `unanswered`, of those without any): the people of one group, as a sub-select."""
    if source == CHANNEL:
        return select(Response.id).where(Response.channel.in_(sorted(tokens)))
    if source == PERIOD:
        spans = [_quarter_span(t) for t in sorted(tokens)]
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


def _quarter_span(key: str):
    """The first and last moments of a quarter « 2026-4 »."""
    year, number = map(int, key.split("-"))
    first = datetime(year, 3 * number - 2, 1, tzinfo=UTC)
    after = (
        datetime(year + 1, 1, 1, tzinfo=UTC)
        if number == 4
        else datetime(year, 3 * number + 1, 1, tzinfo=UTC)
    )
    return first, after - timedelta(microseconds=1)
