"""Texts of a definition: one string (French) or one per language, with a small safe markup.

Markup: *emphasis*, **strong**, [a link](https://…). Everything else is escaped, so a definition
can never inject HTML. A space before a colon becomes a no-break space (French typography).
Piping: ${question_id} is replaced by an earlier answer's label.
"""

import functools
import re
from typing import Annotated

from markupsafe import Markup, escape
from pydantic import AfterValidator, BeforeValidator, Field

LANGUAGES = ("fr", "nl", "de", "en")
PIPE = re.compile(r"\$\{([a-z][a-z0-9_]*)\}")
_LINK = re.compile(r"\[([^\]\n]+)\]\(((?:https?://|mailto:)[^)\s\"'<>]+)\)")
_STRONG = re.compile(r"\*\*([^*\n]+)\*\*")
_EM = re.compile(r"\*([^*\n]+)\*")


def _as_mapping(value):
    return {"fr": value} if isinstance(value, str) else value


def _french_and_known_languages(value: dict) -> dict:
    unknown = sorted(set(value) - set(LANGUAGES))
    if unknown:
        raise ValueError(f"unknown language {', '.join(unknown)} (use fr, nl, de, en)")
    if "fr" not in value:
        raise ValueError("the French text (fr) is missing")
    return value


LocalizedText = Annotated[
    dict[str, Annotated[str, Field(min_length=1, max_length=4000)]],
    BeforeValidator(_as_mapping),
    AfterValidator(_french_and_known_languages),
    Field(description="A text: a string (French), or a mapping from fr/nl/de/en to strings."),
]


def localize(text: dict[str, str] | None, lang: str) -> str:
    if not text:
        return ""
    return text.get(lang) or text["fr"]


def render(text: str, piped: dict[str, str] | None = None) -> Markup:
    """Escape, then allow the small markup; ${id} becomes the (escaped) piped answer."""
    html = _markup(text)
    if piped is not None and "${" in html:
        html = PIPE.sub(lambda m: str(escape(piped.get(m.group(1), "…"))), html)
    return Markup(html)  # noqa: S704 - built from escaped text and fixed tags only


@functools.lru_cache(maxsize=8192)
def _markup(text: str) -> str:
    """The same label is shown again and again: its markup is worked out once per process."""
    html = str(escape(text))
    # Links are set aside while emphasis is applied, so a « * » in an address cannot open a tag
    # that never closes.
    links: list[str] = []

    def keep(match):
        links.append(f'<a href="{match.group(2)}">{match.group(1)}</a>')
        return f"\x00{len(links) - 1}\x00"

    html = _LINK.sub(keep, html)
    html = _STRONG.sub(r"<strong>\1</strong>", html)
    html = _EM.sub(r"<em>\1</em>", html)
    # French typography: the space before a colon does not break (« Précisez : … »). No
    # language means a breakable space there, so every text gets it.
    html = html.replace(" :", "\u00a0:")
    return re.sub(r"\x00(\d+)\x00", lambda m: links[int(m.group(1))], html)


def plain(text: str) -> str:
    """A label where answers are not known (the analysis): an answer piped in is « … », and the
    space before a colon does not break, as render() gives it."""
    return PIPE.sub("…", text).replace(" :", "\u00a0:")


def piped_ids(text: dict[str, str] | None) -> set[str]:
    return {m for value in (text or {}).values() for m in PIPE.findall(value)}
