"""What a citizen can answer or read: the questionnaires as the home page and /questionnaires
list them (open ones first, with who asks, how long and until when)."""

from dataclasses import dataclass
from datetime import date

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


def listed(lang: str) -> list[Listed]:
    """Every questionnaire in `lang` (French where it has no translation): open ones closing
    soonest first, then those to come, then closed ones, most recently closed first."""
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
            )
        )
    order = {"open": 0, "not_yet": 1, "closed": 2}
    far = date.max.toordinal()
    return sorted(
        found,
        key=lambda q: (
            order[q.state],
            (q.closes.toordinal() if q.closes else far)
            if q.state == "open"
            else (q.opens.toordinal() if q.opens else 0)
            if q.state == "not_yet"
            else -(q.closes.toordinal() if q.closes else 0),
            q.title,
        ),
    )
