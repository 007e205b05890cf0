"""gunicorn with the project's configuration, as `make run` starts it."""

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


def gunicorn(database_url, tmp_path, port):
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


def test_gunicorn_serves_pages_with_gevent_and_logs_no_address(database_url, tmp_path):
    port = free_port()
    server = gunicorn(database_url, tmp_path, port)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("gunicorn did not start")
                time.sleep(0.3)
        # Hold many idle connections open, as SSE streams will, and still get a page.
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(200)]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
            assert r.status == 200 and b"<html" in r.read()
        for s in idle:
            s.close()
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "gevent" in output.lower()
    assert '"GET /healthz" 200' in output
    assert "127.0.0.1 " not in output.replace(f"127.0.0.1:{port}", "")


def test_gunicorn_refuses_to_start_with_a_wrong_database_url(tmp_path):
    server = gunicorn("postgresql://nobody@127.0.0.1:1/none", tmp_path, free_port())
    output = server.communicate(timeout=60)[0]
    assert server.returncode != 0
    assert "DATABASE_URL: cannot reach the database" in output
    assert "Traceback" not in output
