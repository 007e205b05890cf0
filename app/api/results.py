"""The committee's results as JSON: `GET /api/v1/surveys/<slug>/results`, to bearer tokens.

The same reading as the dashboard (app/analysis/results/reading.py): the same protected tables,
the same filters and themes, the same rights (a partner's token reads its communes and sectors
only).
Hidden figures are null, with the reason: "small" (fewer than k people), "complement" (hidden
so that another cannot be worked out) or "earlier" (a release's, hidden so that a figure of an
earlier release cannot be worked out by comparing the two)."""

from flask import Blueprint, g, jsonify, request
from flask_babel import gettext as _

from app.accounts.tokens import holder
from app.analysis import access, cache
from app.analysis.results import reading
from app.analysis.results.figures import figures_for
from app.analysis.results.themes import theme_names
from app.errors import render_error
from app.surveys.queries import current

bp = Blueprint("api_results", __name__, url_prefix="/api/v1/surveys")
# The allow-list of query parameters, and the dashboard's names for them.
PARAMETERS = {"filter": "filtre", "and": "et", "theme": "theme", "weighting": "ponderation"}


def _unauthorised():
    response, _status = render_error(
        401, _("A valid API token is required (Authorization: Bearer …).")
    )
    response.headers["WWW-Authenticate"] = 'Bearer realm="results"'
    return response, 401


@bp.get("/<slug>/results")
def results(slug: str):
    scheme, _sep, plain = request.headers.get("Authorization", "").partition(" ")
    user = holder(plain.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        return _unauthorised()
    g.api_user = user
    unknown = sorted(set(request.args) - set(PARAMETERS))
    if unknown:
        return render_error(
            400,
            _(
                "Unknown parameter: %(names)s. Use filter, and, theme or weighting.",
                names=", ".join(unknown),
            ),
        )
    found = current(slug)
    if found is None:
        return render_error(404)
    rights = access.scope()
    args = {ours: request.args.get(theirs, "") for theirs, ours in PARAMETERS.items()}
    try:
        access.require_some(rights)
        release = access.release_for(rights, found)
        payload = cache.remembered(
            cache.reading_key("api", found, rights, args, release),
            lambda: _payload(found, _read(found, rights, args, release), release),
        )
    except access.OutOfScope as refused:
        return render_error(403, str(refused))
    except access.NotReleased as waiting:
        return render_error(404, str(waiting))
    except reading.BadQuery as bad:
        return render_error(400, str(bad))
    return jsonify(payload)


def _read(found, rights, args, release) -> reading.Reading:
    wanted = reading.wants_crossings(rights, args)
    figures = figures_for(found, crossings=wanted, release=release)
    return reading.read(figures, rights, theme_names(), args)


def _payload(found, read: reading.Reading, release) -> dict:
    figures, board, view = read.figures, read.board, read.view
    k = figures.k
    body = {
        "survey": {"slug": found.survey.slug, "version": found.version.number},
        "release": None
        if release is None
        else {
            "number": release.number,
            "published_at": release.published_at.isoformat(),
            "responses": release.responses,
        },
        "k": k,
        "language": figures.lang,
        "theme": read.theme,
        "weighting": read.weighted,
        "filter": None,
        "questions": [_question(q, k) for q in read.questions],
    }
    if view is not None:
        chosen = view.chosen
        body["filter"] = {
            "value": chosen.value,
            "breakdown": chosen.title,
            "group": chosen.label,
            "responses": view.responses,
        }
        if view.also is not None:  # two groups together: their number of people together
            body["filter"]["and"] = {
                "value": view.also.value,
                "breakdown": view.also.title,
                "group": view.also.label,
            }
        return body
    shown = board.responses >= k
    body |= {
        "responses": board.responses if shown else None,
        "started": board.started if board.started >= k else None,
        "completion": (
            round(board.completion, 4) if shown and board.completion is not None else None
        ),
        "channels": _table(board.channels, k),
        "periods": _table(board.periods, k),
        "coverage": _coverage(board.coverage, k),
    }
    return body


def _cell(cell) -> dict:
    return {"count": cell.count, "hidden": cell.reason if cell.count is None else None}


def _table(table, k: int) -> dict:
    answers = []
    for key, label in table.labels.items():
        share = table.line.share(key)
        interval = table.interval(key)
        item = {"key": key, "label": label, **_cell(table.line.cells[key])}
        item["share"] = None if share is None else round(share, 4)
        item["ci95"] = None if interval is None else [round(v, 4) for v in interval]
        if table.weighted is not None:
            weighted = table.weighted.get(key)
            item["weighted_share"] = None if weighted is None else round(weighted, 4)
            found = (table.weighted_intervals or {}).get(key)
            item["weighted_ci95"] = None if found is None else [round(v, 4) for v in found]
        answers.append(item)
    result = {"title": table.title, "row": table.row, "total": table.line.total, "answers": answers}
    if table.weighted is not None:
        effective = table.effective
        result["effective_size"] = None if effective is None else round(effective, 1)
    elif table.unweighted is not None:  # a weighted page: why this table is not weighted
        result["not_weighted"] = table.unweighted
    return result


def _question(question, k: int) -> dict:
    return {
        "id": question.id,
        "label": question.label,
        "answered": question.answered,
        "several_answers": question.several,
        "withheld": question.withheld,
        "broken_down": question.broken_down and question.together,
        "mean": question.mean,
        "median": question.median,
        "tables": [_table(t, k) for t in question.tables],
        "scores": _scores(question),
    }


def _scores(question) -> list[dict] | None:
    """A ranking's mean points per choice (a first place earns max_points, each place after it
    one less, a choice left unranked none), null where hidden."""
    if not question.scores or not question.tables:
        return None
    return [
        {
            "key": key,
            "label": label,
            "mean_points": None
            if question.scores.get(key) is None
            else round(question.scores[key], 4),
            "max_points": question.score_max,
        }
        for key, label in question.tables[0].labels.items()
    ]


def _coverage(coverage, k: int) -> list[dict] | None:
    if coverage is None or coverage.table.line.total is None:
        return None
    rows = []
    for key, label in coverage.table.labels.items():
        rate = coverage.per_thousand(key)
        rows.append(
            {
                "key": key,
                "label": label,
                **_cell(coverage.table.line.cells[key]),
                "population": coverage.population.get(key),
                "per_thousand": None if rate is None else round(rate, 2),
            }
        )
    return rows
