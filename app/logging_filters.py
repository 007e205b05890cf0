"""Log lines that name nobody and cannot be forged (issue 16).

gunicorn writes « Invalid request from ip=… » to its error log, werkzeug's development server
starts each request line with the client's address, and a path is logged decoded: « %0d%0a » in a
URL would end the line and let the rest pose as a line of its own. One filter, on every logger
that writes such lines, rewrites each record's final message before any handler sees it:

- IPv4 and IPv6 addresses become « <address> »;
- resume and deletion codes (a path such as /s/<slug>/reprendre/<code>) and results-API tokens
  become « <code> » and « <token> »;
- CR, LF and every other control character (C0, C1, the Unicode line separators, and the lone
  surrogates a path may carry) are written as escapes (« \\r », « \\n », « \\x1b », « \\ud800 »),
  so one record is always one line.

A traceback keeps its line breaks (its lines are Python's; exception texts quote values with
repr), but its addresses are removed too. Installed by create_app on the Flask logger's handler
and on werkzeug's logger, and on gunicorn's error and access loggers by app/gunicorn_conf.py.
"""

import ipaddress
import logging
import re

ADDRESS = "<address>"
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
IPV4 = re.compile(rf"(?<![\w.]){_OCTET}(?:\.{_OCTET}){{3}}(?!\w|\.\d)")
# Runs of hex digits, colons and dots holding two colons at least: a clock (12:34:56) is one
# too, so each run keeps its text unless it begins with what ipaddress accepts as IPv6.
IPV6_RUN = re.compile(r"(?<![\w:.%])[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:%[\w.-]+)?")
# The alphabet of app/respond/codes.py, and the prefix of app/accounts/tokens.py (not imported:
# gunicorn's master loads this module and must not import the application).
CODE = re.compile(r"(?<![\w-])[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}(?![\w-])")
API_TOKEN = re.compile(r"pisem_[\w-]+")
CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_NAMED = {"\r": "\\r", "\n": "\\n"}


def _escape(match: re.Match) -> str:
    char = match.group()
    return _NAMED.get(char) or (
        f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    )


def _ipv6(match: re.Match) -> str:
    """The longest IPv6 address the run begins with (« ::1: » ends a sentence), or the run."""
    text = match.group()
    candidate = text
    while candidate.count(":") >= 2:
        try:
            ipaddress.IPv6Address(candidate.split("%", 1)[0])
        except ValueError:
            # shorter: drop a trailing separator, else the last group
            candidate = (
                candidate[:-1]
                if candidate[-1] in ":."
                else candidate.rstrip("0123456789ABCDEFabcdef%")
            )
            continue
        return ADDRESS + text[len(candidate) :]
    return text


def redact(text: str) -> str:
    """Addresses, codes and tokens out of any text (the line breaks stay)."""
    text = IPV6_RUN.sub(_ipv6, text)
    text = IPV4.sub(ADDRESS, text)
    text = CODE.sub("<code>", text)
    return API_TOKEN.sub("pisem_<token>", text)


def one_line(text: str) -> str:
    """Redacted, every control character escaped: one line that cannot pose as two."""
    return CONTROL.sub(_escape, redact(text))


class Scrubber(logging.Filter):
    """Rewrites the record in place (its message, traceback and stack) and always lets it pass."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "scrubbed", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a wrong format string: logging reports it; say what it was
            message = f"{record.msg!r} % {record.args!r}"
        record.msg, record.args = one_line(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = CONTROL.sub(_escape_but_newline, redact(record.exc_text))
        if record.stack_info:
            record.stack_info = CONTROL.sub(_escape_but_newline, redact(record.stack_info))
        record.scrubbed = True
        return True


def _escape_but_newline(match: re.Match) -> str:
    return "\n" if match.group() == "\n" else _escape(match)


def scrub(target: logging.Logger | logging.Handler) -> None:
    """Put the one Scrubber on a logger (its own records) or a handler (all it writes)."""
    if not any(isinstance(f, Scrubber) for f in target.filters):
        target.addFilter(Scrubber())


def install(app) -> None:
    """The Flask app's logger and werkzeug's: every line they write goes through the Scrubber."""
    from flask.logging import default_handler

    scrub(default_handler)  # what app.logger and every app.* logger write, as under gunicorn
    scrub(app.logger)  # the exceptions Flask logs, whatever handler writes them
    scrub(logging.getLogger("werkzeug"))  # the development server's request lines
