"""The words of the analysis pages and exports, in the reader's language, and the material a
reading of one questionnaire starts from (shared by the pages and the results API)."""

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _

from app.analysis.crosstab import NOT_ANSWERED
from app.analysis.material import Material, gather
from app.surveys.types.scale import DONT_KNOW
from app.territory.places import ELSEWHERE, UNDISCLOSED


def words() -> dict:
    return {
        "web": _("On the web"),
        "kiosk": _("Shared tablet or kiosk"),
        "paper": _("Paper, typed in"),
        ELSEWHERE: _("Elsewhere (outside these communes)"),
        UNDISCLOSED: _("I prefer not to say"),
        NOT_ANSWERED: _("Not answered"),
        DONT_KNOW: _("I don't know"),
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
        "month": _("month"),
        "yes": _("Yes"),
        "no": _("No"),
    }


def reading_language(definition) -> str:
    wanted = str(get_locale())
    return wanted if wanted in definition.languages else "fr"


def material_for(found) -> Material:
    k = current_app.config["ANALYSIS_MIN_CELL"]
    return gather(found, k, reading_language(found.definition), words())
