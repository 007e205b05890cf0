"""Where a form may send the person next: only paths on this site, never an open redirect."""


def local_path(target: str | None) -> str | None:
    """The target if it is a path on this site; None for absolute or scheme-relative URLs."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return None
