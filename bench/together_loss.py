"""What a commune and an age band looked at together cost (issue 17, item 10): on the
30-question benchmark questionnaire (bench/analysis_data.py: realistic, uneven communes), for
each size, how many pairs open (both groups open alone and the pair's number is k or more), how
many questions each pair shows, and, over every three-way table commune × age band × answer,
the share of people in the open pairs' lines hidden (and of them, those in counts of k or more,
hidden only to protect others: the cost of the protection beyond the small counts themselves).
With the time of the first pair's page (every three-way table worked out) and of the next ones
(kept), and of the page weighted to the residents' age bands (which works them out too).

    .venv/bin/python bench/together_loss.py [--responses 2000 5000 20000]

Loopback only; a temporary SQLite database per size.
"""

import argparse
import statistics
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
        client = analysis_time.committee_client(app)
        base = f"/analyse/{analysis_data.SLUG}"
        age = next(q for q in definition.questions() if getattr(q, "ages", None))
        with app.app_context():
            from app.territory.queries import communes

            places = [c.nis for c in communes()]
        # Weighting to the residents' age bands works every three-way table out too.
        analysis_time.population_by_age(app, folder)
        weighted = []
        for _ in range(2):  # the first time, then kept
            started = time.perf_counter()
            assert client.get(f"{base}?ponderation=ages").status_code == 200
            weighted.append(time.perf_counter() - started)
        analysis_time.forget_kept(app)
        times, opened = [], []
        for nis in places:
            for band in age.choices:
                started = time.perf_counter()
                page = client.get(f"{base}?filtre=commune:{nis}&et={age.id}:{band.id}")
                if page.status_code == 200:
                    times.append(time.perf_counter() - started)
                    opened.append((nis, band.id))
        shares, withheld, tables = _hidden(app, opened)
        return {
            "pairs": len(places) * len(age.choices),
            "opened": len(opened),
            "first": times[0] if times else None,
            "weighted": weighted,
            "next": statistics.median(times[1:]) if len(times) > 1 else None,
            "tables": tables,
            "withheld": withheld,
            "median hidden": statistics.median(s for s, _ in shares),
            "90th hidden": statistics.quantiles([s for s, _ in shares], n=10)[-1],
            "median protecting": statistics.median(p for _, p in shares),
            "90th protecting": statistics.quantiles([p for _, p in shares], n=10)[-1],
        }


def _hidden(app, opened):
    """Per three-way table shown, the share of the open pairs' people it hides."""
    from app.analysis.results import groups
    from app.analysis.results import together as pairs
    from app.analysis.results.figures import figures_for
    from app.surveys.queries import current

    shares, withheld, tables = [], 0, 0
    with app.test_request_context():
        found = current(analysis_data.SLUG)
        figures = figures_for(found, crossings=True)
        keys = pairs.together_keys(figures.definition)
        sources = pairs.together_sources(figures.definition)
        for result in figures.results.questions:
            for outcome in groups.outcome_keys(figures, result.id):
                if pairs._own(keys, outcome) or figures.definition.question(result.id).several:
                    continue
                from app.analysis.results.breaking import crossed

                if any(crossed(figures, key, outcome).grid.withheld for key in keys):
                    continue  # not shown for either group alone either (a gate)
                tables += 1
                cells = pairs.protected(figures, keys, outcome)
                if cells is None:
                    withheld += 1
                    continue
                offered = figures.offered
                of = [offered[key].category_of for key in (*keys, outcome)]
                truth = {}
                for tokens, n in figures.crossings.cube(*sources, offered[outcome].source).items():
                    key = tuple(
                        "unanswered" if t is None else f(t) for t, f in zip(tokens, of, strict=True)
                    )
                    truth[key] = truth.get(key, 0) + n
                inside = [k for k in cells if k[:2] in set(opened)]
                people = sum(truth.get(k, 0) for k in inside)
                hidden = sum(truth.get(k, 0) for k in inside if cells[k].hidden)
                # of which counts of k or more, hidden only to protect others
                protecting = sum(
                    truth.get(k, 0)
                    for k in inside
                    if cells[k].hidden and truth.get(k, 0) >= figures.k
                )
                if people:
                    shares.append((hidden / people, protecting / people))
    return shares, withheld, tables


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, nargs="+", default=[2000, 5000, 20000])
    args = parser.parse_args()
    for count in args.responses:
        f = measure(count)
        print(
            f"{count:6,} responses: {f['opened']}/{f['pairs']} pairs open; "
            f"three-way tables withheld {f['withheld']}/{f['tables']}; "
            f"people of the open pairs hidden per table: median {f['median hidden']:.1%}, "
            f"90th percentile {f['90th hidden']:.1%} (of which counts of k or more hidden to "
            f"protect others: median {f['median protecting']:.1%}, 90th percentile "
            f"{f['90th protecting']:.1%}); first pair's page "
            f"{f['first'] * 1000:.0f} ms, next ones (median) {f['next'] * 1000:.0f} ms; "
            f"weighted to the residents' age bands: {f['weighted'][0] * 1000:.0f} ms the first "
            f"time, {f['weighted'][1] * 1000:.0f} ms repeated"
        )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
