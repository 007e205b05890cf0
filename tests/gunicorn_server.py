"""gunicorn with the project's configuration, as `make run` starts it, for the tests that need
the real server (its workers, its logs)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import project_root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn(database_url, tmp_path, port) -> subprocess.Popen:
    """The server, its standard error joined to its output (read with communicate())."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(tmp_path),
        "SECRET_KEY": "x",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "APP_ENV": "development",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:app.gunicorn_conf", "wsgi:app"],
        cwd=project_root(),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until_up(server: subprocess.Popen, port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                assert r.status == 200
                return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail("gunicorn did not start")
            time.sleep(0.3)
