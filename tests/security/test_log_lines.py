"""Log lines name nobody and cannot be forged (issue 16): no IPv4 or IPv6 address, no resume code
or API token, and a CR/LF sent in a URL is written as an escape, never as a new line. Checked on
records, on the loggers create_app sets up, and on a real gunicorn fed raw bytes."""

import logging
import re
import socket
import sys

import pytest
from flask.logging import default_handler

from app.logging_filters import Scrubber, one_line
from tests.gunicorn_server import free_port, gunicorn, wait_until_up

IP = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)|::1\b|\b2001:db8:")
FORGED = "[2030-01-01 00:00:00 +0000] [1] [CRITICAL] forged"


def scrubbed(message: str, *args, exc_info=None) -> str:
    """The line a handler writes for this record (built, never emitted: nothing reaches the
    suite's log audit)."""
    record = logging.LogRecord("test", logging.WARNING, __file__, 1, message, args, exc_info)
    Scrubber().filter(record)
    return logging.Formatter("%(message)s").format(record)


@pytest.mark.parametrize(
    ("message", "args", "expected"),
    [
        ("Invalid request from ip=192.168.1.20: bad line", (), "ip=<address>: bad line"),
        ("Invalid request from ip=::1: bad line", (), "ip=<address>: bad line"),
        ("from %s port 80", ("2001:db8::7",), "from <address> port 80"),
        ("mapped ::ffff:10.0.0.1.", (), "mapped <address>."),
        ("peer [fe80::1%eth0]:8000", (), "peer [<address>]:8000"),
        ("GET %s", ("/a\r\n" + FORGED,), "GET /a\\r\\n[2030"),
        ("\x1b[31m\x00\u2028\x85\ud800", (), "\\x1b[31m\\x00\\u2028\\x85\\ud800"),
        ('"GET /s/x/reprendre/ABCDE-FGH23" 302', (), "reprendre/<code>"),
        ("Bearer pisem_Zx1-a_b", (), "Bearer pisem_<token>"),
    ],
)
def test_a_record_is_rewritten(message, args, expected):
    line = scrubbed(message, *args)
    assert expected in line
    assert "\n" not in line and "\r" not in line and not IP.search(line)


@pytest.mark.parametrize(
    "kept",
    [
        "gunicorn 23.0.0, Python 3.11.9, jsonschema-specifications 2025.9.1, v1.2.3.4",
        "[2026-10-10 12:34:56 +0000] took 12:34:56.789, 256.1.1.1 and 1.2.3.4.5",
        "HTTPS-ONLY Class::method",  # (a code-shaped word such as CACHE-CHECK goes too)
    ],
)
def test_versions_clocks_and_words_are_kept(kept):
    assert scrubbed(kept) == kept


def test_a_traceback_keeps_its_lines_but_loses_its_addresses():
    try:
        raise ValueError("cannot reach 10.1.2.3")
    except ValueError:
        line = scrubbed("failed", exc_info=sys.exc_info())
    assert "Traceback (most recent call last):\n" in line
    assert "cannot reach <address>" in line and "10.1.2.3" not in line


def test_a_record_is_rewritten_once_and_a_bad_format_is_kept():
    record = logging.LogRecord("test", logging.INFO, __file__, 1, "%d from %s", ("x",), None)
    Scrubber().filter(record)
    Scrubber().filter(record)
    assert record.getMessage() == "'%d from %s' % ('x',)"
    assert one_line("a\tb") == "a\tb"  # a tab cannot start a line


def test_create_app_scrubs_the_flask_and_werkzeug_loggers(app):
    for target in (default_handler, app.logger, logging.getLogger("werkzeug")):
        assert sum(isinstance(f, Scrubber) for f in target.filters) == 1, target


class Kept(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


def test_the_development_server_logs_no_address_and_no_forged_line(app):
    """werkzeug's server (`flask run`, the browser tests) starts each line with the address."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    kept = Kept()
    werkzeug = logging.getLogger("werkzeug")
    werkzeug.addHandler(kept)
    try:
        raw(
            server.server_port,
            b"GET /%0d%0a" + FORGED.replace(" ", "%20").encode() + b" HTTP/1.0\r\n\r\n",
        )
        raw(server.server_port, b"NOT A REQUEST\r\n\r\n")
    finally:
        server.shutdown()
        werkzeug.removeHandler(kept)
    assert len(kept.lines) >= 2
    assert all("\n" not in line and "\r" not in line for line in kept.lines), kept.lines
    assert [line for line in kept.lines if IP.search(line)] == []
    assert any(line.startswith("<address> - - [") for line in kept.lines), kept.lines


def raw(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    return answer


def test_gunicorn_logs_no_address_and_no_forged_line(database_url, tmp_path):
    port = free_port()
    server = gunicorn(database_url, tmp_path, port)
    try:
        wait_until_up(server, port)
        forged = FORGED.replace(" ", "%20").encode()
        # A request line gunicorn cannot parse: « Invalid request from ip=… » in its error log.
        assert raw(port, b"NOT A REQUEST\r\n\r\n").startswith(b"HTTP/1.1 400")
        # A header name with a space, and a request line with a raw escape character.
        assert b" 400 " in raw(port, b"GET / HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n")[:20]
        raw(port, b"GET /\x1b[2J HTTP/1.1\r\nHost: x\r\n\r\n")
        # CR/LF percent-encoded in the path: the access log writes the path decoded.
        for path in (b"/%0d%0a" + forged, b"/s/x%0a" + forged, b"/api/v1/places?q=%0d%0a" + forged):
            answer = raw(
                port, b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            )
            assert answer.startswith(b"HTTP/1.1 4"), answer[:100]
        # An address the client claims for itself (gunicorn trusts 127.0.0.1 as a proxy).
        claimed = b"GET /nope HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.9\r\n\r\n"
        assert raw(port, claimed).startswith(b"HTTP/1.1 4")
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    lines = output.splitlines()
    assert any("Invalid request from ip=<address>" in line for line in lines), output
    assert any("%0d%0a" not in line and "/\\r\\n[2030-01-01" in line for line in lines), output
    assert [line for line in lines if IP.search(line)] == []
    assert [line for line in lines if line.startswith(FORGED[:11]) or "\x1b" in line] == []
