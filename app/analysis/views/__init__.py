"""The analysis pages: the public results of a questionnaire where it makes them public, and the
committee's and partners' dashboards, crossings, fact sheets, exports and codebook."""

from functools import wraps
from importlib.util import find_spec
from pathlib import Path

from flask import Blueprint, abort, render_template, request, send_file

from app.analysis import access
from app.analysis.results import reading
from app.errors import render_error
from app.surveys.queries import current

bp = Blueprint(
    "analysis",
    __name__,
    template_folder="../templates",
    static_folder="../static",
    static_url_path="/analyse/static",
)
PLOTLY_JS = Path(find_spec("plotly").submodule_search_locations[0], "package_data", "plotly.min.js")


@bp.get("/analyse/plotly.min.js")
def plotly_js():
    """plotly.js from the plotly package itself: no CDN. Found without importing plotly, which
    only the chart-drawing views load."""
    return send_file(PLOTLY_JS, mimetype="text/javascript", max_age=86400, conditional=True)


def refusing(view):
    """Out of the reader's rights: 403; a query the view cannot answer: 400. Both with a
    message, before any figure is gathered or shown."""

    @wraps(view)
    def checked(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except access.OutOfScope as refused:
            return render_error(403, str(refused))
        except access.NotReleased as waiting:
            return render_error(404, str(waiting))
        except reading.BadQuery as bad:  # the same page, asked without the query, is there
            return render_error(400, str(bad), back=request.path)

    return checked


def found_or_404(slug: str):
    """The questionnaire and its current version."""
    found = current(slug)
    if found is None:
        abort(404)
    return found


def charts_of(questions, k: int) -> dict:
    from app.analysis.render.charts import charts  # plotly's JSON: loaded by these pages only

    return charts(questions, k)


def init_views() -> None:
    """The pages join the blueprint."""
    from app.analysis.views import (  # noqa: F401
        codebook,
        crossing,
        dashboard,
        exports,
        public,
        releases,
    )


__all__ = ["bp", "charts_of", "found_or_404", "init_views", "refusing", "render_template"]
