"""Where a form may send the person next: only paths on this site, never an open redirect."""

from urllib.parse import urlsplit

MAX_LENGTH = 2000


def local_path(target: str | None) -> str | None:
    """The target if it is a path on this site, as a browser would read it; None otherwise.

    Browsers drop tabs and line breaks from a URL and read a backslash as a slash (WHATWG URL
    standard), so « /\\t/evil.example » and « /\\\\evil.example » lead off-site: a target with any
    control character is refused, and the rest is judged with backslashes read as slashes."""
    if not target or len(target) > MAX_LENGTH:
        return None
    if any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in target):
        return None
    read = target.replace("\\", "/")
    parts = urlsplit(read)
    if not read.startswith("/") or read.startswith("//") or parts.scheme or parts.netloc:
        return None
    return read
