"""What the analysis tests share: responses to every-type, sent as they would be, and the
figures a page shows."""

import re
from html import unescape

from sqlalchemy import delete, select

from app.extensions import db
from app.surveys.models import (
    AnswerTally,
    DeletedResponse,
    QuestionTally,
    Response,
    ResponseTally,
    Survey,
    WordTally,
)
from app.surveys.queries import newest_version
from app.surveys.services import store_response
from app.territory.places import Place

SIVRY = Place("commune", "56088")  # 4,794 inhabitants (Statbel 2020)
CHIMAY = Place("commune", "56016")
BARBENCON = Place("section", "56005", "56005B")  # a village of Beaumont
BASE = {"commune": BARBENCON, "has_car": "no", "transport": ["bus"]}
LINKED = {"commune": BARBENCON, "has_car": "yes", "transport": ["bus"], "age_band": "65_plus"}


def answer(count: int, synthetic: bool = False, **answers) -> None:
    """`count` people sending BASE and these answers (synthetic ones are never counted)."""
    version = newest_version(db.session.scalar(select(Survey).where(Survey.slug == "every-type")))
    channel = "synthetic" if synthetic else "web"
    for _ in range(count):
        store_response(version, BASE | answers, channel=channel, synthetic=synthetic)
    db.session.commit()


def add(count: int, channel: str = "web", **answers) -> None:
    """`count` people sending LINKED and these answers, by a channel."""
    version = newest_version(db.session.scalar(select(Survey).where(Survey.slug == "every-type")))
    for _ in range(count):
        store_response(version, LINKED | answers, channel=channel)
    db.session.commit()


def forget_responses() -> None:
    """Every response gone, with its counts (between the examples of a property test)."""
    for model in (Response, AnswerTally, QuestionTally, WordTally, ResponseTally, DeletedResponse):
        db.session.execute(delete(model))
    db.session.commit()


def cells(html: str, question: str) -> dict[str, str]:
    """Answer label → the people column, in the table of one question."""
    section = re.search(
        rf'<section class="result" aria-labelledby="q-{question}">(.*?)</section>', html, re.S
    )
    rows = re.findall(r'<th scope="row">([^<]*)</th><td class="num">([^<]*)</td>', section.group(1))
    return {label: unescape(value).replace("\xa0", " ") for label, value in rows}


def grid(html: str) -> list[list[str]]:
    """The figures of a cross-tabulation, row by row."""
    body = re.search(r'<table class="cross">(.*?)</table>', html, re.S).group(1)
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        figures = re.findall(r'<td class="num(?: ci)?">([^<]*)', tr)
        if figures:
            rows.append([unescape(f).replace("\xa0", " ") for f in figures])
    return rows


def publish(slug: str = "every-type") -> int:
    """The committee publishes the questionnaire's current figures (what partners and the
    public read): the release's number."""
    from app.analysis.releases.services import publish as publishing
    from app.surveys.queries import current

    release = publishing(current(slug))
    db.session.commit()
    return release.number
