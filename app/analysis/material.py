"""What every committee page of one questionnaire works from: the one-way tables the dashboard
shows, made from the tallies (analysis.tallies), and the counts of pairs of answers that groups,
crossings, weighting and maps by answer are made of (analysis.pairs), both of the same
responses. Every other view takes the dashboard's tables as published, so that no two views can
be put side by side to solve what one of them hides."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from flask_babel import gettext as _

from app.analysis import codebook, queries
from app.analysis.pairs import Pairs
from app.analysis.public import Codes, PublicResults, Table, public_results
from app.analysis.suppression import protect
from app.analysis.tallies import read, up_to_date

CHANNELS = ("web", "kiosk", "paper")
AGREEING = 5  # reads of the tallies and the pairs until they are of the same responses


@dataclass
class Material:
    definition: object
    survey_id: int
    responses: int
    first: datetime | None
    last: datetime | None
    results: PublicResults
    by_channel: Table
    by_period: Table
    k: int
    lang: str
    words: dict
    pairs: Pairs  # the one-answer breakdowns' counts, alone and in pairs: same responses

    @cached_property
    def offered(self):
        """Every breakdown of the respondents, by key: the allow-list of every view."""
        from app.analysis.crosstab import breakdowns
        from app.territory.queries import communes

        return breakdowns(self, communes())


def gather(found, k: int, lang: str, words: dict) -> Material:
    survey_id = found.survey.id
    tallies = up_to_date(survey_id)
    pairs = Pairs.read(survey_id)
    for _attempt in range(AGREEING):
        if pairs.agrees(tallies.responses):
            break
        # Another process counted responses between the two reads: both are read again, so
        # that a crossing's margins (the one-way tables) are its own cells' sums.
        tallies, pairs = read(survey_id), Pairs.read(survey_id)
    first, last = queries.span(survey_id)
    codes = Codes({c.id: c.label for c in codebook.codes_of(survey_id)}, codebook.coded(survey_id))
    results = public_results(found.definition, tallies, k, lang, words=True, codes=codes)
    channels, periods = Counter(), Counter()
    for (channel, period), n in tallies.responses.items():
        channels[channel] += n
        periods[period] += n
    return Material(
        found.definition,
        survey_id,
        tallies.total,
        first,
        last,
        results,
        _one_way({c: words[c] for c in CHANNELS}, channels, k),
        _one_way(quarters(periods), periods, k),
        k,
        lang,
        words,
        pairs,
    )


def quarters(periods) -> dict[str, str]:
    """Every quarter from the first response to the last, empty ones too (leaving one out would
    tell that it is empty, which its « < k » may hide), labelled for the reader. `periods`: the
    quarter keys that have responses."""
    if not periods:
        return {}
    first, last = (
        tuple(map(int, key.split("-")))
        for key in (min(periods, key=_order), max(periods, key=_order))
    )
    labels = {}
    year, number = first
    while (year, number) <= last:
        labels[f"{year}-{number}"] = _("Quarter %(n)s of %(year)s", n=number, year=year)
        year, number = (year + 1, 1) if number == 4 else (year, number + 1)
    return labels


def _order(key: str) -> tuple[int, int]:
    year, number = key.split("-")
    return int(year), int(number)


def _one_way(labels: dict[str, str], counted: Counter, k: int) -> Table:
    counts = {key: counted.get(key, 0) for key in labels}
    return Table(None, labels, protect(counts, k))
