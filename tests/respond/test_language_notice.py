"""A visitor whose language a questionnaire does not speak is told so, in their language, on
the introduction, before starting."""

import re
from pathlib import Path

import pytest

from app.extensions import db
from tests.conftest import IN_CAMPAIGN, project_root


@pytest.fixture
def french_only(app, monkeypatch):
    """mobilite: offered in French only (languages: [fr])."""
    from app.surveys.services import load_paths

    load_paths([Path(project_root(), "surveys", "mobilite.yaml")])
    db.session.commit()
    monkeypatch.setattr("app.surveys.queries.today", lambda: IN_CAMPAIGN)


def notice(html: str) -> tuple[str, str] | None:
    found = re.search(r'<p class="notice language-notice" lang="(\w+)">([^<]*)</p>', html)
    return (found.group(1), found.group(2)) if found else None


def test_a_dutch_browser_is_told_the_questionnaire_is_french_only(client, french_only):
    html = client.get("/s/mobilite", headers={"Accept-Language": "nl-BE,nl"}).get_data(as_text=True)
    assert notice(html) == ("nl", "Deze vragenlijst bestaat alleen in het Frans.")
    assert '<html lang="fr">' in html  # the rest of the page is in the questionnaire's language


def test_the_language_switcher_choice_counts_too(client, french_only):
    client.post("/langue", data={"lang": "de", "next": "/s/mobilite"})
    html = client.get("/s/mobilite", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert notice(html) == ("de", "Diesen Fragebogen gibt es nur auf Französisch.")


def test_nothing_is_said_to_a_french_speaker(client, french_only):
    html = client.get("/s/mobilite", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert notice(html) is None and "language-notice" not in html


def test_a_language_the_questionnaire_offers_needs_no_notice(client, survey):
    html = client.get("/s/every-type", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert notice(html) is None and "Alle soorten vragen" in html


def test_a_language_it_lacks_is_named_when_it_has_others(client, survey):
    html = client.get("/s/every-type", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert notice(html) == (
        "de",
        "Diesen Fragebogen gibt es nicht in Ihrer Sprache: Er wird auf Französisch angezeigt.",
    )
