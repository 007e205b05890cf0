"""What every page of one questionnaire works from: its counts (analysis.counting), the one-way
tables the dashboard shows, made from them, and, when the page needs them, the crossings that
groups, weighting and maps by answer are made of, all read in one snapshot (the same
responses). Every other view takes the dashboard's tables as published, so that no two views
can be put side by side to solve what one of them hides."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from flask import current_app, g
from flask_babel import gettext as _

from app.analysis.counting import Counts, Crossings, counts
from app.analysis.disclosure.linked import carried_line
from app.analysis.results.labels import labels, reading_language
from app.analysis.results.model import PublicResults, Table
from app.analysis.results.questions import question_results

CHANNELS = ("web", "kiosk", "paper")


@dataclass
class Figures:
    definition: object
    survey_id: int
    responses: int
    started: int  # real responses begun (the completion rate's base)
    first: datetime | None
    last: datetime | None
    results: PublicResults
    by_channel: Table
    by_period: Table
    k: int
    lang: str
    words: dict  # the labels of the analysis pages (results.labels)
    crossings: Crossings | None  # each response's category in every breakdown, when read
    counted: Counts  # what all the above is made from
    # A release's: the figures of every release before it, each protected against those
    # before it (a later release hides what would narrow theirs: disclosure.linked).
    earlier: list = field(default_factory=list)

    @cached_property
    def offered(self):
        """Every breakdown of the respondents, by key: the allow-list of every view."""
        from app.analysis.results.breakdowns import breakdowns
        from app.territory.queries import communes

        return breakdowns(self, communes())


def figures_for(found, crossings: bool = False, release=None) -> Figures:
    """crossings: also read each response's category in every breakdown (groups, crossings,
    weighting, maps by answer, fact sheets). release: made from that release's counts (with
    its version's definition) instead of the live ones."""
    k = current_app.config["ANALYSIS_MIN_CELL"]
    earlier = []
    if release is not None:
        from app.analysis.releases.queries import counts_of, definition_of

        definition, counted = definition_of(release), counts_of(release)
        earlier = earlier_figures(found, release)
    else:
        definition = found.definition
        counted = counts(found.survey.id, definition, crossings)
    lang, words = reading_language(definition), labels()
    before = [f.results for f in earlier]
    results = question_results(definition, counted, k, lang, committee=True, earlier=before)
    channels, periods = Counter(), Counter()
    for (channel, period), n in counted.responses.items():
        channels[channel] += n
        periods[period] += n
    return Figures(
        definition,
        found.survey.id,
        counted.total,
        counted.started,
        counted.first,
        counted.last,
        results,
        _one_way({c: words[c] for c in CHANNELS}, channels, k, [f.by_channel for f in earlier]),
        _one_way(quarters(periods), periods, k, [f.by_period for f in earlier]),
        k,
        lang,
        words,
        counted.crossings,
        counted,
        earlier,
    )


def earlier_figures(found, release) -> list[Figures]:
    """The figures of each release before this one, oldest first, each made with those before
    it; read once per request (they hold the territory's rows, tied to the request's session;
    the pages made from them are kept: analysis.cache)."""
    from app.analysis.releases.queries import before

    store = g.setdefault("release_figures", {})
    found_figures = []
    for earlier in before(release):
        if earlier.id not in store:
            store[earlier.id] = figures_for(found, crossings=True, release=earlier)
        found_figures.append(store[earlier.id])
    return found_figures


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
    found = {}
    year, number = first
    while (year, number) <= last:
        found[f"{year}-{number}"] = _("Quarter %(n)s of %(year)s", n=number, year=year)
        year, number = (year + 1, 1) if number == 4 else (year, number + 1)
    return found


def _order(key: str) -> tuple[int, int]:
    year, number = key.split("-")
    return int(year), int(number)


def _one_way(labels: dict[str, str], counted: Counter, k: int, earlier=()) -> Table:
    """earlier: the same table of each earlier release."""
    counts = {key: counted.get(key, 0) for key in labels}
    line, figures = carried_line(counts, k, [(t.line, t.counts) for t in earlier])
    return Table(None, labels, line, counts=figures)
