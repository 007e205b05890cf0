"""A questionnaire's counts (analysis.counting.Counts) frozen into a release, and read back.

Only aggregates go in: the counts by answer, question, word, channel and quarter, and, for
the views that break respondents down, the crossing of every two breakdowns (how many people
gave this pair of answers) and, for the two groups looked at together (a commune and an age
band), their crossing with every other breakdown; never a response's own answers. A release
read back gives every view the very figures it gave when published."""

import json
import zlib
from collections import Counter
from datetime import datetime
from itertools import combinations

from app.analysis.counting import Counts


def freeze(counted: Counts, together: tuple[str, str] | None = None) -> bytes:
    """together: the two breakdowns (their sources) whose groups can be looked at together."""
    document = {
        "answers": {
            q: [[*key, n] for key, n in found.items()] for q, found in counted.answers.items()
        },
        "answered": counted.answered,
        "words": {q: dict(found) for q, found in counted.words.items()},
        "responses": [[*key, n] for key, n in counted.responses.items()],
        "codes": [[code_id, label] for code_id, label in counted.codes.items()],
        "coded": {q: [[c, n] for c, n in found.items()] for q, found in counted.coded.items()},
        "first": _time(counted.first),
        "last": _time(counted.last),
        "started": counted.started,
        "crossings": _crossings(counted.crossings, together)
        if counted.crossings is not None
        else None,
    }
    return zlib.compress(json.dumps(document, separators=(",", ":")).encode(), 6)


def thaw(stored: bytes) -> Counts:
    document = json.loads(zlib.decompress(stored))
    crossings = document["crossings"]
    return Counts(
        {
            q: {tuple(row[:-1]): row[-1] for row in found}
            for q, found in document["answers"].items()
        },
        document["answered"],
        {q: Counter(found) for q, found in document["words"].items()},
        Counter({(channel, quarter): n for channel, quarter, n in document["responses"]}),
        {code_id: label for code_id, label in document["codes"]},
        {q: Counter(dict(map(tuple, found))) for q, found in document["coded"].items()},
        _parsed(document["first"]),
        _parsed(document["last"]),
        document["started"],
        FrozenCrossings(crossings) if crossings is not None else None,
    )


def _crossings(crossings, together) -> dict:
    """Every breakdown's counts alone, the crossing of every two of them, and of the two
    looked at together with each other one."""
    keys = sorted(crossings.alone_keys())
    triples = {}
    if together is not None:
        triples = {
            third: [[*key, n] for key, n in crossings.cube(*together, third).items()]
            for third in keys
            if third not in together
        }
    return {
        "together": list(together) if together is not None else None,
        "triples": triples,
        "size": crossings.size,
        "alone": {key: dict(found) for key, found in crossings.alone().items()},
        "pairs": {
            f"{rows}\n{columns}": [
                [r, c, n] for (r, c), n in crossings.table(rows, columns).items()
            ]
            for rows, columns in combinations(keys, 2)
        },
    }


class FrozenCrossings:
    """The crossings of a release: what analysis.counting.Crossings answers, from the stored
    tables."""

    def __init__(self, document: dict):
        self.size = document["size"]
        self._alone = {key: Counter(found) for key, found in document["alone"].items()}
        self._pairs = document["pairs"]
        # releases published before groups could be looked at together have none
        self._together = tuple(document.get("together") or ())
        self._triples = document.get("triples") or {}

    def alone(self) -> dict[str, Counter]:
        return {key: Counter(found) for key, found in self._alone.items()}

    def alone_keys(self) -> list[str]:
        return list(self._alone)

    def crossed_together(self, first: str, second: str) -> bool:
        """Whether the release froze these two together (not one published before pairs)."""
        return (first, second) == self._together

    def cube(self, first: str, second: str, third: str) -> Counter:
        """As Crossings.cube, for the two breakdowns frozen together."""
        if not self.crossed_together(first, second):
            raise LookupError("not frozen together")
        if third not in self._alone:  # nobody answered it: all « not answered »
            pairs = self.table(first, second)
            return Counter({(a, b, None): n for (a, b), n in pairs.items()})
        return Counter({(a, b, c): n for a, b, c, n in self._triples[third]})

    def table(self, rows: str, columns: str) -> Counter:
        """As Crossings.table: (token of rows, token of columns) → people, None for no answer."""
        if rows == columns and rows in self._alone:  # a breakdown by itself: its diagonal
            return _with_none(self._alone[rows], self.size, lambda t: (t, t))
        if rows in self._alone and columns in self._alone:
            stored = self._pairs.get(f"{rows}\n{columns}")
            if stored is not None:
                return Counter({(r, c): n for r, c, n in stored})
            stored = self._pairs.get(f"{columns}\n{rows}")
            if stored is not None:
                return Counter({(r, c): n for c, r, n in stored})
        # A breakdown nobody answered: every response is « not answered » in it.
        down = self._alone.get(rows)
        across = self._alone.get(columns)
        if down is None and across is None:
            return Counter({(None, None): self.size}) if self.size else Counter()
        if down is None:
            return _with_none(across, self.size, lambda t: (None, t))
        return _with_none(down, self.size, lambda t: (t, None))


def _with_none(alone: Counter, size: int, pair) -> Counter:
    found = Counter({pair(token): n for token, n in alone.items()})
    unanswered = size - sum(alone.values())
    if unanswered:
        found[pair(None)] = unanswered
    return found


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _parsed(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text is not None else None
