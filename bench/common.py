"""Shared by the answering benchmarks: a scratch database, a gunicorn server, a respondent's walk.

Not a benchmark itself. The scripts beside it are run as `.venv/bin/python bench/<name>.py`.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
SLUGS = ("mobilite", "freins-emploi", "logement", "sante-lien-social")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
START_KEY = re.compile(r'name="start_key" value="([^"]+)"')


def check_scratch(url: str) -> None:
    """Never run against the shared test database."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql" and parsed.database in (None, "", "test"):
        raise SystemExit(f"refusing to use {parsed.database!r}: give a scratch database")


def environment(database_url: str, instance: str, **extra: str) -> dict:
    return os.environ | {
        "FLASK_APP": "wsgi",
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": instance,
        "SECRET_KEY": "bench",
        "APP_ENV": "development",
        **extra,
    }


def prepare(database_url: str, instance: str) -> None:
    """Migrate, load the territory and the four questionnaires (all idempotent)."""
    check_scratch(database_url)
    env = environment(database_url, instance)
    for cmd in (["db", "upgrade"], ["territory", "load"], ["surveys", "load"]):
        done = subprocess.run(
            [sys.executable, "-m", "flask", *cmd], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise SystemExit(f"flask {' '.join(cmd)} failed:\n{done.stderr}")


def make_app(database_url: str, instance: str):
    """The real application, in this process, with the same settings as under gunicorn."""
    os.environ.update(environment(database_url, instance))
    from app import create_app

    return create_app()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVERS: dict[int, int] = {}  # port → gunicorn master pid, while it runs


def workers(port: int) -> list[int]:
    return children(SERVERS[port])


@contextmanager
def gunicorn(target: str, database_url: str, instance: str, count: int, log: Path | None = None):
    """The project's gunicorn configuration serving `target` with `count` workers; yields the
    port; always stopped."""
    port = free_port()
    env = environment(database_url, instance, PORT=str(port), WEB_CONCURRENCY=str(count))
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:app.gunicorn_conf", target],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=out,
    )
    SERVERS[port] = server.pid
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise SystemExit(f"gunicorn {target} exited with {server.returncode}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn {target} did not start") from None
                time.sleep(0.3)
        yield port
    finally:
        SERVERS.pop(port, None)
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        if log:
            out.close()


def as_text(value) -> str:
    """A form value as a browser sends it (numbers, decimals and dates as text)."""
    return value.isoformat() if isinstance(value, date) else str(value)


def page_fields(page, answers: dict) -> list[tuple[str, str]]:
    """What a person's browser sends for one page, for these (generated) answers."""
    pairs = []
    for question in page.questions:
        for name, value in question.form_data(answers).items():
            for item in value if isinstance(value, list) else [value]:
                pairs.append((name, as_text(item)))
    return pairs


def api_answers(definition, answers: dict) -> dict:
    """The JSON a kiosk sends for these answers: answered fields only."""
    body = {}
    for question in definition.questions():
        for name, value in question.form_data(answers).items():
            if value in ("", [], None):
                continue
            body[name] = [as_text(v) for v in value] if isinstance(value, list) else as_text(value)
    return body


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


TICK = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 2
BUSY = 0.10  # share of the machine used by others above which a measure is repeated


def pid_ticks(pid: int) -> int:
    """CPU jiffies (user + system) used so far by one process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def named_ticks(command: str) -> int:
    """CPU jiffies used so far by every process of that name (the database server's)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, _, rest = stat.read_text().rpartition(")")
        except OSError:
            continue
        if head.split("(", 1)[1] == command:
            fields = rest.split()
            total += int(fields[11]) + int(fields[12])
    return total


def machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def wait_quiet(limit: float = 300.0, quiet_for: int = 5) -> float:
    """Wait (bounded) until the machine has been mostly idle for a few seconds in a row;
    the busy share seen last."""
    deadline = time.monotonic() + limit
    quiet = 0
    while True:
        b0, t0 = machine_ticks()
        time.sleep(1.0)
        b1, t1 = machine_ticks()
        busy = (b1 - b0) / max(1, t1 - t0)
        quiet = quiet + 1 if busy < BUSY else 0
        if quiet >= quiet_for or time.monotonic() > deadline:
            return busy


class Outside:
    """CPU used meanwhile by the rest of the machine: not this process, not the given ones
    (the server's workers, the load generator), not the database server."""

    def __init__(self, pids=()):
        self.pids = list(pids)

    def _ours(self) -> int:
        own = sum(pid_ticks(p) for p in [os.getpid(), *self.pids])
        return own + named_ticks("postgres")

    def __enter__(self):
        self.start = time.monotonic()
        self.machine, self.ours = machine_ticks(), self._ours()
        return self

    def __exit__(self, *exc):
        elapsed = time.monotonic() - self.start
        (b0, t0), (b1, t1) = self.machine, machine_ticks()
        busy = (b1 - b0) / max(1, t1 - t0) * CORES * elapsed  # core-seconds
        self.seconds = max(0.0, busy - (self._ours() - self.ours) / TICK)
        self.share = self.seconds / (CORES * elapsed)
        self.busy = self.share > BUSY


class InProcess:
    """The Flask test client: the time measured is the application's own, no HTTP, no socket."""

    def __init__(self, app):
        self.client = app.test_client()

    def request(self, method: str, path: str, pairs=None) -> tuple[int, dict, bytes]:
        from werkzeug.datastructures import MultiDict

        data = MultiDict(pairs) if pairs is not None else None
        r = self.client.open(path, method=method, data=data)
        return r.status_code, dict(r.headers), r.get_data()


class OverHttp:
    """One keep-alive HTTP/1.1 connection with its cookies, as one phone's browser."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = None

    def request(self, method: str, path: str, pairs=None) -> tuple[int, dict, bytes]:
        import http.client
        from urllib.parse import urlencode

        headers = {"Host": f"127.0.0.1:{self.port}", "Accept-Language": "fr"}
        body = None
        if pairs is not None:
            body = urlencode(pairs)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                r = self.connection.getresponse()
                data = r.read()
                break
            except (ConnectionError, http.client.HTTPException):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        for header in r.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return r.status, dict(r.headers), data

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def walk(client, slug: str, definition, answers: dict):
    """One person answering one questionnaire start to finish, a request at a time.

    Yields (kind, path, status, elapsed seconds, body) for every request; kind is one of
    intro, start, page_get, page_post, submit (the last page sent, whose reply is the thanks).
    The pages are those the server redirects to.
    """
    from time import perf_counter

    def timed(method, path, pairs=None):
        t = perf_counter()
        status, headers, body = client.request(method, path, pairs)
        return status, headers, body, perf_counter() - t

    path = f"/s/{slug}"
    status, _, body, elapsed = timed("GET", path)
    yield "intro", path, status, elapsed, body
    csrf = CSRF.search(body.decode()).group(1)
    pairs = [("csrf_token", csrf), ("start_key", START_KEY.search(body.decode()).group(1))]
    if definition.consent_required:
        pairs.append(("consent", "yes"))
    status, headers, body, elapsed = timed("POST", f"/s/{slug}/commencer", pairs)
    yield "start", f"/s/{slug}/commencer", status, elapsed, body
    location = headers.get("Location", "")
    pages = {p.id: p for p in definition.pages}
    for _ in range(len(pages) + 1):
        path = "/" + location.split("/", 3)[3] if location.startswith("http") else location
        if not path.startswith(f"/s/{slug}/p/"):
            break
        status, _, body, elapsed = timed("GET", path)
        yield "page_get", path, status, elapsed, body
        page = pages[path.rsplit("/", 1)[1]]
        pairs = [("csrf_token", CSRF.search(body.decode()).group(1))]
        pairs += [*page_fields(page, answers), ("action", "next")]
        status, headers, body, elapsed = timed("POST", path, pairs)
        if status == 200 and f'data-address="/s/{slug}/merci"'.encode() in body:
            # The last page sent: the thanks, with the deletion code, come in its reply.
            yield "submit", path, status, elapsed, body
            return
        yield "page_post", path, status, elapsed, body
        if status != 302:
            raise SystemExit(f"{path}: {status} instead of a redirect\n{body.decode()[:2000]}")
        location = headers.get("Location", "")
    raise SystemExit(f"{slug}: ended on {location!r} instead of the thanks")
