"""A questionnaire's counts (analysis.counting.Counts) frozen into a release, and read back.

Only aggregates go in: the counts by answer, question, word, channel and quarter, and, for
the views that break respondents down, the crossing of every two breakdowns (how many people
gave this pair of answers), never a response's own answers. A release read back gives every
view the very figures it gave when published."""

import json
import zlib
from collections import Counter
from datetime import datetime
from itertools import combinations

from app.analysis.counting import Counts


def freeze(counted: Counts) -> bytes:
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
        "crossings": _crossings(counted.crossings) if counted.crossings is not None else None,
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


def _crossings(crossings) -> dict:
    """Every breakdown's counts alone, and the crossing of every two of them."""
    keys = sorted(crossings.alone_keys())
    return {
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

    def alone(self) -> dict[str, Counter]:
        return {key: Counter(found) for key, found in self._alone.items()}

    def alone_keys(self) -> list[str]:
        return list(self._alone)

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
