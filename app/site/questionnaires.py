"""What a citizen can answer or read: the questionnaires as the home page and /questionnaires
list them (open ones first, with who asks, how long and until when)."""

from dataclasses import dataclass
from datetime import date

from app.i18n import language_notice
from app.respond.queries import minutes
from app.surveys.queries import all_surveys
from app.surveys.text import localize


@dataclass(frozen=True)
class Listed:
    slug: str
    title: str
    asked_by: str | None  # None: the platform itself
    minutes: int
    opens: date | None
    closes: date | None
    state: str  # open, not_yet, closed
    public_results: bool
    notice: dict | None = None  # {"lang", "text"}: not in the reader's language (i18n)


def listed(lang: str) -> list[Listed]:
    """Every questionnaire in `lang` (French where it has no translation), in _order."""
    found = []
    for current in all_surveys():
        d = current.definition
        found.append(
            Listed(
                slug=d.slug,
                title=localize(d.title, lang),
                asked_by=localize(d.asked_by, lang) or None,
                minutes=minutes(d),
                opens=d.opens,
                closes=d.closes,
                state=current.state,
                public_results=d.public_results,
                notice=language_notice(d),
            )
        )
    return sorted(found, key=_order)


def _order(q: Listed) -> tuple:
    """Open ones closing soonest first, then those opening soonest, then the last closed."""
    if q.state == "open":
        return (0, q.closes or date.max, q.title)
    if q.state == "not_yet":
        return (1, q.opens or date.min, q.title)
    return (2, -(q.closes or date.min).toordinal(), q.title)
