"""The run's log audit (tests/log_audit.py) catches what it must and nothing else: a planted
address, code or token fails a run, version strings, clocks and test names do not."""

import os
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import project_root
from tests.log_audit import Audit

SESSION_COOKIE = "eyJfZnJlc2giOmZhbHNlfQ.ZxY1Aw.k3XwF0kGQ9fVvTq1mYc2nPbE8aA"


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("app WARNING request from 192.168.1.20", "IP address"),
        ("werkzeug INFO 127.0.0.1 - - [10/Oct/2026 12:00:00] GET /", "IP address"),
        ("gunicorn.error WARNING Invalid request from ip=::1: bad", "IP address"),
        ("peer [2001:db8::7]:443", "IP address"),
        ("GET /s/every-type/reprendre/ABCDE-FGH23 302", "resume or deletion code"),
        ("results read with pisem_Q2x0c3R0b2tlbg-abc", "API token"),
        (f"Set-Cookie: session={SESSION_COOKIE}; HttpOnly", "cookie value"),
        (f"restored {SESSION_COOKIE}", "cookie value"),
        ("remember 12|" + "ab" * 64, "cookie value"),
    ],
)
def test_a_planted_secret_is_caught(line, kind):
    assert kind in Audit().offences(line)


@pytest.mark.parametrize(
    "line",
    [
        "gunicorn.error INFO Starting gunicorn 23.0.0 on Python 3.11.9 (jsonschema 4.26.0)",
        "alembic.runtime.migration INFO Running upgrade 3f1c2a9b7e4d -> 9a8b7c6d5e4f, themes",
        "[2026-10-10 12:34:56 +0000] [4242] [INFO] took 12:34:56.789 (2025.9.1, v1.2.3.4)",
        "app.errors WARNING 403 forbidden: GET /admin/utilisateurs (user #17)",
        "tests/security/test_log_audit.py::test_a_planted_secret_is_caught[HTTPS-ONLY]",
        "CACHE-CHECK STALE-ENTRY <address> <code> pisem_<token> Class::method",
        "sha256 " + "0f" * 32,
    ],
)
def test_ordinary_lines_pass(line):
    assert Audit().offences(line) == []


def test_an_issued_secret_is_caught_by_its_value():
    audit = Audit()
    audit.secrets |= {"VWXYZ-ABCDE", "Zx8_-q0aLqH3nYyW2rX0tTz1vK7mN4cB5dE6fG7hJ8k"}
    assert audit.offences("resumed VWXYZ-ABCDE") != []  # no digit: only its value gives it away
    assert audit.offences("user Zx8_-q0aLqH3nYyW2rX0tTz1vK7mN4cB5dE6fG7hJ8k logged in") != []
    assert audit.offences("resumed VWXYZ-ABCDF") == []


def run_pytest(tmp_path, body: str) -> subprocess.CompletedProcess:
    (tmp_path / "test_inner.py").write_text(textwrap.dedent(body))
    env = os.environ | {"PYTHONPATH": str(project_root())}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.log_audit", "-p", "no:cacheprovider", "-q"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_run_that_logs_an_address_or_an_issued_code_fails(tmp_path):
    inner = run_pytest(
        tmp_path,
        """
        import logging

        from app.respond import codes

        def test_logs_an_address():
            logging.getLogger("app.inner").warning("from 192.168.1.20")

        def test_logs_an_issued_code():
            logging.getLogger("app.inner").error("code %s", codes.new_code())

        def test_logs_nothing_wrong():
            logging.getLogger("app.inner").warning("gunicorn 23.0.0 at 12:34:56")
        """,
    )
    assert inner.returncode == 1, inner.stdout
    assert "3 passed" in inner.stdout and "LOG AUDIT FAILED: 2 log line(s)" in inner.stdout
    assert "test_inner.py::test_logs_an_address: [IP address] app.inner WARNING" in inner.stdout
    assert "test_inner.py::test_logs_an_issued_code: [" in inner.stdout
    assert "test_logs_nothing_wrong:" not in inner.stdout


def test_a_clean_run_passes(tmp_path):
    inner = run_pytest(
        tmp_path,
        """
        import logging

        def test_logs_versions():
            logging.getLogger("app.inner").warning("Python 3.11.9, 2025.9.1, [12:34:56 +0000]")
        """,
    )
    assert inner.returncode == 0, inner.stdout
    assert "LOG AUDIT" not in inner.stdout
