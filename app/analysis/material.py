"""What every committee page of one questionnaire works from, gathered once per request: the
answers, each response's channel and period, and the one-way tables the dashboard shows. Every
other view (cross-tabulations, filtered views, exports) takes those tables as published, so that
no two views can be put side by side to solve what one of them hides."""

from dataclasses import dataclass
from functools import cached_property

from flask_babel import gettext as _

from app.analysis import codebook, queries
from app.analysis.public import Codes, PublicResults, Table, public_results
from app.analysis.suppression import protect

CHANNELS = ("web", "kiosk", "paper")


@dataclass
class Material:
    definition: object
    survey_id: int
    data: queries.Collected
    channels: dict[int, str]  # response id → channel
    periods: dict[int, str]  # response id → quarter key (« 2026-3 »)
    results: PublicResults
    by_channel: Table
    by_period: Table
    k: int
    lang: str
    words: dict

    @cached_property
    def offered(self):
        """Every breakdown of the respondents, by key: the allow-list of every view."""
        from app.analysis.crosstab import breakdowns
        from app.territory.queries import communes

        return breakdowns(self, communes())


def gather(found, k: int, lang: str, words: dict) -> Material:
    survey_id = found.survey.id
    data = queries.collected(survey_id)
    sent = queries.sent_of(survey_id)
    channels = {rid: channel for rid, (channel, _at) in sent.items()}
    periods = {rid: quarter(at) for rid, (_channel, at) in sent.items()}
    codes = Codes({c.id: c.label for c in codebook.codes_of(survey_id)}, codebook.coded(survey_id))
    results = public_results(found.definition, data, k, lang, words=True, codes=codes)
    return Material(
        found.definition,
        survey_id,
        data,
        channels,
        periods,
        results,
        _one_way({c: words[c] for c in CHANNELS}, channels, k),
        _one_way(quarters(periods), periods, k),
        k,
        lang,
        words,
    )


def quarter(moment) -> str:
    return f"{moment.year}-{(moment.month - 1) // 3 + 1}"


def quarters(periods: dict[int, str]) -> dict[str, str]:
    """Every quarter from the first response to the last, empty ones too (leaving one out would
    tell that it is empty, which its « < k » may hide), labelled for the reader."""
    if not periods:
        return {}
    first, last = (
        tuple(map(int, key.split("-")))
        for key in (min(periods.values(), key=_order), max(periods.values(), key=_order))
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


def _one_way(labels: dict[str, str], of: dict[int, str], k: int) -> Table:
    counts = dict.fromkeys(labels, 0)
    for category in of.values():
        if category in counts:
            counts[category] += 1
    return Table(None, labels, protect(counts, k))
