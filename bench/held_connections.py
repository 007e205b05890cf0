"""Does gunicorn (the project's gevent configuration) keep serving pages while 1,000 connections
are held open, as live-poll streams will be? Median latency of GET / with N held connections,
as a ratio to the same server with none, in the same run.

    .venv/bin/python bench/held_connections.py [--held 1000] [--requests 200]

Loopback only; bounded in count and time; stops by itself.
"""

import argparse
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(port: int, instance: str, database_url: str) -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": instance,
        "SECRET_KEY": "bench",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "APP_ENV": "development",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:app.gunicorn_conf", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("gunicorn did not start")


def latencies(port: int, count: int) -> list[float]:
    out = []
    for _ in range(count):
        t = time.perf_counter()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:
            r.read()
        out.append((time.perf_counter() - t) * 1000)
    return out


def hold(port: int, n: int) -> list[socket.socket]:
    held = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        # A request that never ends: the worker keeps a greenlet waiting on it, as for a stream.
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        held.append(s)
    return held


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--held", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, args.held * 2 + 256)), hard))

    with tempfile.TemporaryDirectory() as instance:
        url = f"sqlite:///{instance}/bench.db"
        env = os.environ | {"DATABASE_URL": url, "INSTANCE_PATH": instance, "SECRET_KEY": "bench"}
        for cmd in (["db", "upgrade"], ["territory", "load"]):
            subprocess.run(
                [sys.executable, "-m", "flask", "--app", "wsgi", *cmd],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
            )
        port = free_port()
        server = start(port, instance, url)
        try:
            latencies(port, 20)  # warm up
            base = statistics.median(latencies(port, args.requests))
            held = hold(port, args.held)
            loaded = statistics.median(latencies(port, args.requests))
            alive = sum(1 for s in held if s.fileno() != -1)
            for s in held:
                s.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"GET / median, no held connections:   {base:.2f} ms")
    print(f"GET / median, {alive} held connections: {loaded:.2f} ms")
    print(f"ratio (held / none): {loaded / base:.2f}")


if __name__ == "__main__":
    main()
