"""What protecting a release against the earlier ones costs (issue 17, item 4;
app/analysis/disclosure/linked.py): on the 30-question benchmark questionnaire
(bench/analysis_data.py: realistic, uneven communes), three releases, each after a tenth more
responses. For the first and the third release, read afresh (nothing kept by the process): the
time of the dashboard's figures, of every question broken down by commune (what the groups,
maps and fact sheets are made of) and of every three-way table of a commune and an age band;
then, over the tables by commune, how many figures the third release hides that it would show
if it were protected on its own (for the earlier ones), and the people in them.

    .venv/bin/python bench/release_time.py [--responses 2000 20000]

Loopback only; a temporary SQLite database per size.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

import analysis_data
import analysis_time


def measure(count: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        url, instance = f"sqlite:///{folder}/bench.db", str(Path(folder) / "instance")
        app, definition = analysis_data.populate(url, instance, count)
        releases = []
        with app.app_context():
            from sqlalchemy import select

            from app.analysis.releases.services import publish
            from app.extensions import db
            from app.surveys import queries
            from app.surveys.demo import generate
            from app.surveys.models import Response
            from app.surveys.services import answer_values

            people = [
                answer_values(definition, a)
                for a in generate(definition, analysis_data.DISTINCT, 7)
            ]
            for number in range(3):
                if number:  # a tenth more people since the last release
                    start = db.session.scalar(select(db.func.max(Response.id))) + 1
                    analysis_data._write(
                        db,
                        queries.current(analysis_data.SLUG).version.id,
                        people,
                        start,
                        count // 10,
                        number,
                    )
                    db.session.commit()
                releases.append(publish(queries.current(analysis_data.SLUG)).id)
                db.session.commit()
        first = _read(app, releases[0])
        third = _read(app, releases[2])
        return {"responses": count, "first": first, "third": third}


def _read(app, release_id: int) -> dict:
    from app.analysis.releases.models import Release
    from app.analysis.results import together
    from app.analysis.results.breaking import crossed
    from app.analysis.results.figures import figures_for
    from app.extensions import db
    from app.surveys.queries import current

    analysis_time.forget_kept(app)
    app.extensions.pop("releases_read", None)
    with app.test_request_context():
        found = current(analysis_data.SLUG)
        release = db.session.get(Release, release_id)
        started = time.perf_counter()
        figures = figures_for(found, crossings=True, release=release)
        dashboard = time.perf_counter() - started
        outcomes = [q.id for q in figures.results.questions if q.id in figures.offered]
        started = time.perf_counter()
        tables = [crossed(figures, "commune", q) for q in outcomes if q != "commune"]
        by_commune = time.perf_counter() - started
        keys = together.together_keys(figures.definition)
        started = time.perf_counter()
        cubes = [together.protected(figures, keys, q) for q in outcomes if q not in keys]
        three_way = time.perf_counter() - started
        # beside the same tables protected on their own: what hiding for the earlier costs
        from app.analysis.results.crosstab import crosstab

        hidden = extra = people = everyone = withheld = 0
        for q, table in zip([q for q in outcomes if q != "commune"], tables, strict=True):
            if table.counts is None:  # withheld (a gated question): nothing shown
                continue
            alone = crosstab(figures.offered, figures.crossings, "commune", q, figures.k).grid
            withheld += table.grid.withheld and not alone.withheld
            for row, cells in table.grid.cells.items():
                for column, cell in cells.items():
                    everyone += table.counts[row][column]
                    hidden += cell.hidden
                    if cell.hidden and not alone.cells[row][column].hidden:
                        extra += 1
                        people += table.counts[row][column]
        return {
            "dashboard s": round(dashboard, 2),
            "by commune s": round(by_commune, 2),
            "three-way s": round(three_way, 2),
            "three-way withheld": sum(c is None for c in cubes),
            "hidden by commune": hidden,
            "hidden for earlier": extra,
            "people in them": people,
            "people by commune": everyone,
            "withheld by commune": withheld,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--responses", type=int, nargs="+", default=[2000, 20000])
    args = parser.parse_args()
    for count in args.responses:
        print(measure(count), flush=True)


if __name__ == "__main__":
    sys.exit(main())
