"""gunicorn with the project's configuration, as `make run` starts it."""

import socket
import urllib.request

from tests.gunicorn_server import free_port, gunicorn, wait_until_up


def test_gunicorn_serves_pages_with_gevent_and_logs_no_address(database_url, tmp_path):
    port = free_port()
    server = gunicorn(database_url, tmp_path, port)
    try:
        wait_until_up(server, port)
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
