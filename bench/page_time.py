"""Server time per respondent page: p50 and p95 of GET and POST of the survey pages, over people
answering all four questionnaires start to finish (each page read, filled with plausible
generated answers, sent with « next »). Budget (issue 4): p95 ≤ 20 ms per page.

    .venv/bin/python bench/page_time.py [--people 15] [--warmup 3] [--no-http]
                                        [--gc-freeze] [--database-url URL]

1. In-process: the Flask test client and the real app in this one process, time.perf_counter()
   around each request: the application's own time (routing, session, database, templates)
   plus the test client's small cost of building the WSGI environ; no HTTP, no socket.
2. Through gunicorn (the project's configuration, gevent workers): the same walk by one
   sequential keep-alive HTTP client, timed at the client: server time plus loopback HTTP.

Each measure starts once the machine has been quiet for 5 s, and is taken again (3 times at
most) if other processes used more than 10 % of the machine meanwhile. Full garbage-collector
passes are counted, since they make most of the slow requests.
Loopback only; a temporary SQLite database unless --database-url names a scratch one.
"""

import argparse
import gc
import re
import tempfile
import time
from pathlib import Path

import common

BUDGET_MS = 20.0
ATTEMPTS = 3  # a run disturbed by other processes on the machine is measured again
KINDS = (
    ("page_get", "GET survey page"),
    ("page_post", "POST survey page (next, 302)"),
    ("intro", "GET introduction"),
    ("start", "POST start"),
    ("submit", "POST last page (the thanks in the reply, 200)"),
)


def people(app, count: int, seed: int) -> list[tuple[str, object, dict]]:
    """(slug, definition, answers), the questionnaires taking turns."""
    from app.surveys import queries
    from app.surveys.demo import generate

    with app.app_context():
        found = {slug: queries.current(slug).definition for slug in common.SLUGS}
        answers = {slug: generate(found[slug], count, seed=seed) for slug in common.SLUGS}
    return [(slug, found[slug], answers[slug][i]) for i in range(count) for slug in common.SLUGS]


def run(make_client, walkers: list) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {kind: [] for kind, _ in KINDS}
    for slug, definition, answers in walkers:
        client = make_client()
        for kind, path, status, elapsed, _ in common.walk(client, slug, definition, answers):
            if status >= 400:
                raise SystemExit(f"{path}: {status}")
            times[kind].append(elapsed * 1000)
        if hasattr(client, "close"):
            client.close()
    return times


class FullCollections:
    """Counts the garbage collector's full (generation 2) passes and their pauses."""

    def __init__(self):
        self.pauses: list[float] = []
        self._start = 0.0

    def __call__(self, phase, info):
        if info["generation"] != 2:
            return
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.pauses.append((time.perf_counter() - self._start) * 1000)

    def __enter__(self):
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc):
        gc.callbacks.remove(self)


def report(title: str, times: dict[str, list[float]]) -> None:
    pages = times["page_get"] + times["page_post"]
    total = sum(len(v) for v in times.values())
    print(f"\n{title}: {total} requests")
    print("| request | n | p50 | p95 | max | p95 ≤ 20 ms |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    rows = [(label, times[kind]) for kind, label in KINDS] + [("**all survey pages**", pages)]
    for label, values in rows:
        p50, p95 = common.percentile(values, 50), common.percentile(values, 95)
        verdict = "met" if p95 <= BUDGET_MS else "**not met**"
        print(
            f"| {label} | {len(values)} | {p50:.1f} ms | {p95:.1f} ms "
            f"| {max(values):.1f} ms | {verdict} |"
        )


def server_side(log: Path, offset: int) -> dict[str, list[float]]:
    """Request times of the survey pages as gunicorn logged them (%(M)s: whole milliseconds)."""
    with open(log, "rb") as handle:
        handle.seek(offset)
        text = handle.read().decode(errors="replace")
    found: dict[str, list[float]] = {"GET": [], "POST": []}
    for method, ms in re.findall(r'"(GET|POST) /s/[^/ ]+/p/[^ "]+" \d+ \S+ (\d+)ms', text):
        found[method].append(float(ms))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=15, help="per questionnaire, measured")
    parser.add_argument("--warmup", type=int, default=3, help="per questionnaire, not measured")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--no-http", action="store_true", help="in-process only")
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="diagnostic: gc.freeze() after the warm-up (what a worker hook could do)",
    )
    parser.add_argument("--database-url", help="a scratch database (default: temporary SQLite)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as instance:
        url = args.database_url or f"sqlite:///{instance}/bench.db"
        common.prepare(url, instance)
        app = common.make_app(url, instance)
        warm = people(app, args.warmup, seed=101)
        measured = people(app, args.people, seed=202)
        print(f"database: {url.split('://')[0]}; {args.people} people per questionnaire measured")

        run(lambda: common.InProcess(app), warm)
        if args.gc_freeze:
            gc.collect()
            gc.freeze()  # the long-lived heap is no longer scanned by full collections
        for attempt in range(1, ATTEMPTS + 1):
            gc.collect()
            common.wait_quiet()
            with common.Outside() as outside, FullCollections() as full:
                times = run(lambda: common.InProcess(app), measured)
            if not outside.busy or attempt == ATTEMPTS:
                break
            print(f"(other processes used {outside.share:.0%} of the machine: measured again)")
        frozen = ", gc.freeze() after warm-up" if args.gc_freeze else ""
        report(f"In-process (Flask test client{frozen}; other load {outside.share:.0%})", times)
        if full.pauses:
            print(
                f"Full garbage collections during the run: {len(full.pauses)}, "
                f"{sum(full.pauses) / len(full.pauses):.0f} ms each on average "
                f"(max {max(full.pauses):.0f} ms), {len(gc.get_objects())} tracked objects"
            )

        if not args.no_http:
            log = Path(instance) / "gunicorn.log"
            with common.gunicorn("wsgi:app", url, instance, args.workers, log=log) as port:
                run(lambda: common.OverHttp(port), warm)
                for attempt in range(1, ATTEMPTS + 1):
                    common.wait_quiet()
                    offset = log.stat().st_size
                    with common.Outside(common.workers(port)) as outside:
                        times = run(lambda: common.OverHttp(port), measured)
                    if not outside.busy or attempt == ATTEMPTS:
                        break
                    print(f"(other processes used {outside.share:.0%}: measured again)")
                title = (
                    f"Through gunicorn ({args.workers} gevent workers, client-side time; "
                    f"other load {outside.share:.0%})"
                )
                report(title, times)
            logged = server_side(log, offset)
            print(
                f"gunicorn's own request time (access log, whole ms) for the same survey pages: "
                f"GET p50 {common.percentile(logged['GET'], 50):.0f} ms, "
                f"p95 {common.percentile(logged['GET'], 95):.0f} ms; "
                f"POST p50 {common.percentile(logged['POST'], 50):.0f} ms, "
                f"p95 {common.percentile(logged['POST'], 95):.0f} ms"
            )


if __name__ == "__main__":
    main()
