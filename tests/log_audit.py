"""The whole run's log audit (issue 16): no log record may name a person or hold a secret.

Every record any logger emits during the run is kept (a handler first on the root logger, and on
gunicorn's loggers, which do not propagate), formatted with its traceback. At the end of the run
each line is searched for an IPv4 or IPv6 address, a resume or deletion code, a results-API
token, a session token, a cookie value or the Flask session cookie's shape. Any hit fails the run
(exit status 1) and the lines are listed, with the test that logged them.

The records are read as the application's code wrote them: the audit's handler runs before any
other and takes no filter, so app/logging_filters.py, which scrubs what is written to the real
log, cannot hide a careless log call from it. Secrets are known twice over: by shape, and by value
(each session token, API token, start key, resume code and cookie value the run issues is
remembered), so a random token is caught without guessing at random-looking words.

Registered from tests/conftest.py (`pytest_plugins`); `-p no:tests.log_audit` turns it off.
"""

import logging
import re
import secrets

import pytest

KEPT_AT_MOST = 200_000  # lines; a run that logs more is audited on its first ones
IPV4 = re.compile(
    r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
    r"(?![\w]|\.\d)"
)
IPV6_RUN = re.compile(r"(?<![\w:.%])[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")
# app/respond/codes.py: 5 + 5 from 23456789ABCDEFGHJKMNPQRSTUVWXYZ. One digit at least, or an
# ordinary pair of capitalised words (CACHE-CHECK) would pass for one; issued codes are known
# by value anyway.
CODE = re.compile(r"(?<![\w-])(?=[A-Z-]{0,10}\d)[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}(?![\w-])")
API_TOKEN = re.compile(r"pisem_[\w-]{8,}")
# itsdangerous, as Flask signs its session cookie: payload.timestamp.signature, the payload
# JSON (« eyJ ») or zlib-compressed JSON (« .eJ »); Flask-Login's remember cookie: id|sha512.
SIGNED_COOKIE = re.compile(r"(?:\.eJ|\beyJ)[\w-]{4,}\.[\w-]{4,}\.[\w-]{16,}|\b\d+\|[0-9a-f]{128}\b")
COOKIE_HEADER = re.compile(r"(?i)\b(?:set-)?cookie\s*[:=]\s*\w+=[^;\s]{8,}")
WORD = re.compile(r"[\w.|-]{10,}")


def ipv6(run: str) -> bool:
    import ipaddress

    candidate = run
    while candidate.count(":") >= 2:
        try:
            ipaddress.IPv6Address(candidate)
            return True
        except ValueError:
            strip = (
                candidate[:-1]
                if candidate[-1] in ":."
                else candidate.rstrip("0123456789abcdefABCDEF")
            )
            candidate = strip
    return False


class Audit:
    def __init__(self):
        self.lines: list[tuple[str, str]] = []  # (test, line)
        self.secrets: set[str] = set()
        self.test = "(outside any test)"

    def offences(self, line: str) -> list[str]:
        """What the line gives away, by kind (empty: nothing)."""
        found = []
        if IPV4.search(line) or any(ipv6(m.group()) for m in IPV6_RUN.finditer(line)):
            found.append("IP address")
        if CODE.search(line):
            found.append("resume or deletion code")
        if API_TOKEN.search(line):
            found.append("API token")
        if SIGNED_COOKIE.search(line) or COOKIE_HEADER.search(line):
            found.append("cookie value")
        if self.secrets and any(
            part in self.secrets
            for word in WORD.findall(line)
            for part in {word, *re.split(r"[.|]", word)}
        ):
            found.append("token, code or cookie issued during the run")
        return found

    def findings(self) -> list[tuple[str, str, list[str]]]:
        return [(test, line, kinds) for test, line in self.lines if (kinds := self.offences(line))]


class AuditHandler(logging.Handler):
    """Keeps each record's text once (a record reaching it through two loggers counts once)."""

    def __init__(self, audit: Audit):
        super().__init__(logging.NOTSET)
        self.audit = audit
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def addFilter(self, _filter):
        """None: the audit reads what the code logged, not what a filter made of it."""

    def handle(self, record: logging.LogRecord) -> bool:
        if getattr(record, "audited", False) or len(self.audit.lines) >= KEPT_AT_MOST:
            return True
        record.audited = True
        try:
            text = self.format(record)
        except Exception as error:  # a broken format string is logging's to report, not ours
            text = f"{record.msg!r} (unformattable: {error})"
        # A record that already went through app/logging_filters.py (werkzeug's, gunicorn's)
        # has its exception text scrubbed; a fresh formatter re-reads what the code wrote.
        self.audit.lines.extend((self.audit.test, line) for line in text.splitlines() or [""])
        return True

    def emit(self, record):  # handle() does the work
        pass


def _remember_issued_secrets(audit: Audit, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every token and code the application issues, remembered as it is issued."""
    from werkzeug.sansio.response import Response

    from app.respond import codes

    def remember(value):
        if isinstance(value, str) and len(value) >= 10:
            audit.secrets.add(value)
        return value

    token_urlsafe, new_code, set_cookie = secrets.token_urlsafe, codes.new_code, Response.set_cookie

    def urlsafe(nbytes=None):
        value = token_urlsafe(nbytes)
        return remember(value) if nbytes is None or nbytes >= 20 else value  # not CSP nonces

    def cookie(self, key, value="", *args, **kwargs):
        remember(value if isinstance(value, str) else "")
        return set_cookie(self, key, value, *args, **kwargs)

    monkeypatch.setattr(secrets, "token_urlsafe", urlsafe)
    monkeypatch.setattr(codes, "new_code", lambda: remember(new_code()))
    monkeypatch.setattr(Response, "set_cookie", cookie)


AUDIT = pytest.StashKey[Audit]()
PATCHES = pytest.StashKey[pytest.MonkeyPatch]()
HANDLER = pytest.StashKey[AuditHandler]()
LOGGERS = ("", "gunicorn.error", "gunicorn.access")


def pytest_configure(config: pytest.Config) -> None:
    audit = Audit()
    handler = AuditHandler(audit)
    for name in LOGGERS:
        logging.getLogger(name).handlers.insert(0, handler)  # first: before any filter's rewrite
    patches = pytest.MonkeyPatch()
    _remember_issued_secrets(audit, patches)
    config.stash[AUDIT], config.stash[HANDLER], config.stash[PATCHES] = audit, handler, patches


def pytest_unconfigure(config: pytest.Config) -> None:
    if HANDLER in config.stash:
        for name in LOGGERS:
            logger = logging.getLogger(name)
            if config.stash[HANDLER] in logger.handlers:
                logger.removeHandler(config.stash[HANDLER])
        config.stash[PATCHES].undo()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem):
    audit = item.config.stash[AUDIT]
    audit.test = item.nodeid
    try:
        return (yield)
    finally:
        audit.test = "(between tests)"


def pytest_sessionfinish(session: pytest.Session, exitstatus) -> None:
    findings = session.config.stash[AUDIT].findings()
    session.config.stash[AUDIT].failed = findings
    if findings and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    findings = getattr(config.stash.get(AUDIT, None), "failed", None)
    if not findings:
        return
    terminalreporter.section("log audit: lines that give something away", sep="=", red=True)
    for test, line, kinds in findings[:50]:
        terminalreporter.write_line(f"{test}: [{', '.join(kinds)}] {line[:300]}")
    if len(findings) > 50:
        terminalreporter.write_line(f"… and {len(findings) - 50} more")
    terminalreporter.write_line(
        f"LOG AUDIT FAILED: {len(findings)} log line(s) hold an address, a code, a token or a "
        "cookie (tests/log_audit.py); the run fails.",
        red=True,
        bold=True,
    )
