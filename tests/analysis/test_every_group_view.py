"""Every « Regarder un groupe » view of every real questionnaire renders, on realistic data
(answers drawn by the platform's generator, communes weighted by their population, so some
have a handful of people): a group either shows or is refused with a message, never a 500."""

import pytest

from app.analysis.results import groups
from app.analysis.results.figures import figures_for
from app.extensions import db
from app.surveys.demo import generate
from app.surveys.queries import current
from app.surveys.services import load_paths, store_response
from tests.conftest import project_root

SLUGS = ("mobilite", "freins-emploi", "logement", "sante-lien-social")
PEOPLE = 400


@pytest.fixture
def realistic(app, monkeypatch):
    load_paths([project_root() / "surveys"])
    db.session.commit()
    found = {slug: current(slug) for slug in SLUGS}
    for seed, one in enumerate(found.values(), start=11):
        for answers in generate(one.definition, PEOPLE, seed):
            store_response(one.version, answers, channel="web")
    db.session.commit()
    return found


@pytest.mark.parametrize("slug", SLUGS)
def test_every_group_view_renders(client, realistic, make_user, login, slug):
    login(make_user("committee"))
    offered = groups.choices(figures_for(realistic[slug]))
    values = [f.value for kept in offered.values() for f in kept]
    assert len(values) > 10, values  # the test looks at many groups, communes among them
    failed = {}
    for value in values:
        try:
            page = client.get(f"/analyse/{slug}", query_string={"filtre": value})
        except Exception as error:  # TESTING lets the view's exception through
            failed[value] = repr(error)
            continue
        if page.status_code not in (200, 400):
            failed[value] = page.status_code
    assert failed == {}, failed
