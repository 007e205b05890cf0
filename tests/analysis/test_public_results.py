"""The public results page: only where the questionnaire says so, small cells protected,
words never published."""

from pathlib import Path

import pytest

from app.analysis.releases.services import NotPublished
from app.config import ConfigError
from app.extensions import db
from app.surveys.services import load_paths
from tests.analysis.helpers import answer, cells, publish
from tests.conftest import EVERY_TYPE


def test_results_wait_for_the_committee_and_enough_people(client, survey):
    answer(9, age_band="65_plus")
    html = client.get("/resultats/every-type").get_data(as_text=True)
    assert "pas encore publié" in html and 'class="result"' not in html
    with pytest.raises(NotPublished, match="au moins 10"):
        publish()
    answer(1, age_band="65_plus")
    publish()
    html = client.get("/resultats/every-type").get_data(as_text=True)
    assert "10 personnes ont répondu" in html and "publication n° 1" in html


def test_counts_are_shown_with_small_cells_protected(client, survey):
    answer(30, age_band="65_plus", why_no_car="<script>alert(1)</script> Jean Dupont, rue Haute 3")
    answer(14, age_band="30_64")
    answer(3, age_band="under_30")
    answer(50, synthetic=True, age_band="under_30")  # demo data never counts
    publish()
    html = client.get("/resultats/every-type").get_data(as_text=True)
    assert "47" in html  # responses
    age = cells(html, "age_band")
    assert age == {"Moins de 30 ans": "< 10", "De 30 à 64 ans": "•", "65 ans ou plus": "30"}
    assert "47 personnes ont répondu" in html
    # words typed by people are never published, escaped or not
    assert "Jean Dupont" not in html and "<script>alert" not in html


def test_several_answers_per_person_are_said_so(client, survey):
    answer(12, age_band="65_plus", transport=["bus", "walk"])
    publish()
    html = client.get("/resultats/every-type").get_data(as_text=True)
    transport = cells(html, "transport")
    assert transport["En bus"] == "12" and transport["À pied"] == "12"
    assert transport["En train"] == "0" and "ne totalisent pas 100" in html


def test_no_results_page_unless_the_questionnaire_makes_them_public(client, app, tmp_path):
    private = tmp_path / "private.yaml"
    text = Path(EVERY_TYPE).read_text("utf-8").replace("slug: every-type", "slug: private")
    private.write_text(text.replace("public_results: true", "public_results: false"), "utf-8")
    load_paths([private])
    db.session.commit()
    assert client.get("/resultats/private").status_code == 404
    assert client.get("/resultats/nope").status_code == 404


@pytest.mark.parametrize("value", [4, "ten"])
def test_the_smallest_cell_cannot_be_set_below_five(value):
    from app import create_app

    with pytest.raises(ConfigError, match="ANALYSIS_MIN_CELL"):
        create_app({"TESTING": True, "ANALYSIS_MIN_CELL": value, "DATABASE_URL": "sqlite://"})
