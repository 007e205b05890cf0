"""One duration on each questionnaire's introduction: the one worked out from its questions
(the descriptions said « environ 10 minutes » beside a computed 5 to 7)."""

import re
from datetime import date
from html import unescape

import pytest

from app.extensions import db
from app.surveys.services import load_paths
from tests.conftest import project_root

SLUGS = ("mobilite", "freins-emploi", "logement", "sante-lien-social")
DURATION = re.compile(r"\b\d+\s*(?:minutes?|minuten|minuut)\b", re.IGNORECASE)


@pytest.fixture
def real_questionnaires(app, monkeypatch):
    load_paths([project_root() / "surveys"])
    db.session.commit()
    monkeypatch.setattr("app.surveys.queries.today", lambda: date(2027, 1, 10))


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_the_introduction_says_how_long_once(client, real_questionnaires, slug, lang):
    page = client.get(f"/s/{slug}", headers={"Accept-Language": lang})
    assert page.status_code == 200
    html = unescape(page.get_data(as_text=True))
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.index("<main") :]))
    assert len(DURATION.findall(shown)) == 1, DURATION.findall(shown)
