"""The four questionnaires of the platform: valid, with the profile questions results break down by,
and what each working group asked for."""

from pathlib import Path

import pytest

from app.surveys.validator import check_file
from tests.conftest import project_root

SURVEYS = project_root() / "surveys"
SLUGS = ["mobilite", "freins-emploi", "logement", "sante-lien-social"]


def load(slug: str):
    result = check_file(SURVEYS / f"{slug}.yaml")
    assert result.ok, [str(p) for p in result.problems]
    return result.definition


@pytest.mark.parametrize("slug", SLUGS)
def test_each_questionnaire_breaks_down_by_place_age_and_household(app, slug):
    survey = load(slug)
    assert survey.slug == slug
    kinds = {q.id: q.type for q in survey.questions()}
    assert "place" in kinds.values()
    assert kinds.get("age_band") == "single_choice"
    assert kinds.get("household") == "single_choice"
    assert survey.notice["fr"] and survey.retention_months and survey.anonymity == "anonymous"
    assert len(survey.questions()) >= 12


def test_housing_reaches_the_haute_meuse_and_asks_about_permanent_residence(app):
    survey = load("logement")
    assert survey.territory == "sud-esem+haute-meuse"
    text = " ".join(q.label["fr"].lower() for q in survey.questions())
    assert "camping" in text or "parc résidentiel" in text


def test_health_asks_spirals_three_open_questions(app):
    survey = load("sante-lien-social")
    open_questions = [q.label["fr"].lower() for q in survey.questions() if q.type == "long_text"]
    for words in ("bien-être", "mal-être", "pour le bien-être de tous"):
        assert any(words in label for label in open_questions), words


def test_at_least_one_questionnaire_is_fully_in_dutch_and_english(app):
    def every_text(survey):
        texts = [survey.title, survey.notice, *(p.title for p in survey.pages if p.title)]
        for q in survey.questions():
            texts += [q.label, q.help] + [
                c.label for c in getattr(q, "choices", []) if q.type != "yes_no"
            ]
        return [t for t in texts if t]

    translated = [
        slug
        for slug in SLUGS
        if all({"nl", "en"} <= set(t) for t in every_text(load(slug)))
        and {"nl", "en"} <= set(load(slug).languages)
    ]
    assert translated, "one questionnaire must have Dutch and English for every text"


def test_surveys_folder_holds_only_the_questionnaires_and_their_schema():
    names = sorted(p.name for p in Path(SURVEYS).iterdir())
    assert names == ["README.md", *sorted(f"{s}.yaml" for s in SLUGS), "schema.json"]
