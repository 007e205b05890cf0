"""Reading the answers: results by question, theme and commune, small cells protected.

How a figure is counted, in one paragraph. A questionnaire's counts are kept in the database
beside its answers (surveys.tallies): people per answer, per question and per word of free text,
and responses per channel and quarter. They change in the very transaction that submits or
deletes a response, by atomic upserts (n = n + 1, n = n − 1, keys in one order), so they are the
count of the answers stored at every moment, and nothing is left to count later: no claim, no
fold, no recount. Crossings of two breakdowns (commune × answer, age band × answer…), which
groups, weighting, maps and fact sheets are made of, are not kept: a view that needs them
counts them from one query that lists, for every answer of a one-answer question, the responses
that gave it. `counting.counts()` reads both in one snapshot of the database (one read
transaction, nothing written), so every table of a page is made of the same responses. The rest
works from those counts: results/ builds each question's tables as its type says, disclosure/
protects them (pure functions), render/ draws charts and maps, export/ writes files, and each
process keeps a page's figures until a response is sent, begun or deleted (cache.py).

Layout: access (who reads what), cache, counting/ (the only part that reads the answers and
their counts), disclosure/, results/, render/, export/, codebook/ (the committee's codes of
free-text answers), views/ (thin: parse, read, render).
"""


def init_app(app) -> None:
    from app.analysis.codebook import models  # noqa: F401 - registers the tables
    from app.analysis.releases import models as _releases  # noqa: F401
    from app.analysis.render.numbers import percent
    from app.analysis.views import bp, init_views

    init_views()
    # Every share on every page, rounded alike; « < 1 » never split over two lines.
    app.jinja_env.filters["percent"] = lambda share: percent(share).replace(" ", "\u00a0")
    from app.analysis.results.weighting import NOT_WEIGHTED

    app.jinja_env.globals["not_weighted"] = NOT_WEIGHTED  # why a table is not weighted
    from app.analysis.disclosure.strata import MOST_WEIGHT

    app.jinja_env.globals["most_weight"] = MOST_WEIGHT
    app.register_blueprint(bp)
    from app.analysis.releases.cli import cli

    app.register_blueprint(cli)
