"""The labels of the analysis pages and exports, in the reader's language."""

from flask_babel import get_locale
from flask_babel import gettext as _

from app.territory.places import ELSEWHERE, UNDISCLOSED

NOT_ANSWERED = "unanswered"  # the category of the people who did not answer, in every breakdown


def labels() -> dict:
    return {
        "web": _("On the web"),
        "kiosk": _("Shared tablet or kiosk"),
        "paper": _("Paper, typed in"),
        ELSEWHERE: _("Elsewhere (outside these communes)"),
        UNDISCLOSED: _("I prefer not to say"),
        NOT_ANSWERED: _("Not answered"),
        "commune": _("Commune of residence"),
        "area": _("Area of residence"),
        "province": _("Province of residence"),
        "channel": _("Channel"),
        "period": _("Period (quarter of the response)"),
        "sud-esem": _("Sud Entre-Sambre-et-Meuse"),
        "haute-meuse": _("Haute-Meuse"),
        "question": _("Question"),
        "table": _("Line"),
        "answer": _("Answer"),
        "people": _("People"),
        "share": _("Share"),
        "low": _("Interval, lower bound"),
        "high": _("Interval, upper bound"),
        "row": _("Row"),
        "variable": _("Variable"),
        "code": _("Code"),
    }


def reading_language(definition) -> str:
    """The questionnaire's texts in the reader's language when it has them, else in French."""
    wanted = str(get_locale())
    return wanted if wanted in definition.languages else "fr"
