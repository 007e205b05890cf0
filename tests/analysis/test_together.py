"""A commune and an age band looked at together (issue 17, item 10): the page, the API and a
release show one line of the three-way table commune × age band × answer, with the figures a
reader counts by hand, and every bad query gets a clear refusal."""

import pytest

from app.territory.places import Place
from tests.analysis.helpers import add, cells, publish

K = 10
SIVRY, CHIMAY = Place("commune", "56088"), Place("commune", "56016")


@pytest.fixture
def committee(client, app, survey, make_user, login):
    app.config["ANALYSIS_MIN_CELL"] = K
    login(make_user("committee"))
    return client


def seed() -> None:
    """Two large groups in Sivry, one in Chimay; every car count is 10 or more."""
    for commune, age, car, n in (
        (SIVRY, "65_plus", "yes", 14),
        (SIVRY, "65_plus", "no", 11),
        (SIVRY, "30_64", "yes", 20),
        (SIVRY, "30_64", "no", 12),
        (CHIMAY, "65_plus", "yes", 12),
        (CHIMAY, "65_plus", "no", 15),
        (CHIMAY, "30_64", "yes", 16),
        (CHIMAY, "30_64", "no", 10),
    ):
        add(n, commune=commune, age_band=age, has_car=car)


PAIR = "/analyse/every-type?filtre=commune:56088&et=age_band:65_plus"


def test_a_commune_and_an_age_band_together_show_their_own_figures(committee):
    seed()
    page = committee.get(PAIR)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Sivry-Rance – 65 ans ou plus (25 personnes)" in html
    assert cells(html, "has_car") == {"Oui": "14", "Non": "11"}
    # the same pair asked the other way round
    turned = committee.get("/analyse/every-type?filtre=age_band:65_plus&et=commune:56088")
    assert cells(turned.get_data(as_text=True), "has_car") == {"Oui": "14", "Non": "11"}
    # the questions that are the groups themselves are not repeated
    assert 'aria-labelledby="q-age_band"' not in html
    assert 'aria-labelledby="q-commune"' not in html
    # the form keeps both choices
    assert 'value="age_band:65_plus" selected' in html
    assert 'value="commune:56088" selected' in html


def test_the_api_gives_the_pair_and_the_same_figures(committee, make_user):
    from app.accounts import tokens
    from app.extensions import db

    seed()
    plain = tokens.issue(make_user("committee", email="api@example.org"), "test")[1]
    db.session.commit()
    found = committee.get(
        "/api/v1/surveys/every-type/results",
        query_string={"filter": "commune:56088", "and": "age_band:65_plus"},
        headers={"Authorization": f"Bearer {plain}"},
    )
    assert found.status_code == 200, found.get_data(as_text=True)
    body = found.get_json()
    assert body["filter"]["responses"] == 25
    assert body["filter"]["and"]["value"] == "age_band:65_plus"
    car = next(q for q in body["questions"] if q["id"] == "has_car")
    assert {a["key"]: a["count"] for a in car["tables"][0]["answers"]} == {"yes": 14, "no": 11}
    assert car["broken_down"] is True


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("et=age_band:65_plus", "Choisissez d’abord une commune"),
        ("filtre=commune:56088&et=commune:56016", "Seules une commune et une tranche d’âge"),
        ("filtre=has_car:yes&et=age_band:65_plus", "Seules une commune et une tranche d’âge"),
        ("filtre=commune:56088&et=age_band:centenaires", "Filtre inconnu"),
        ("filtre=commune:56088&et=has_car:yes", "Seules une commune et une tranche d’âge"),
        ("filtre=commune:56088&et=age_band:unanswered", "Seules une commune et une tranche d’âge"),
    ],
)
def test_bad_pairs_are_refused_with_a_clear_message(committee, query, message):
    seed()
    page = committee.get(f"/analyse/every-type?{query}")
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert message in html.replace("'", "’")
    # a way back to the results, not a dead end
    assert '<a href="/analyse/every-type">Retour aux résultats, sans ce choix</a>' in html


def test_a_pair_too_small_together_is_refused_though_each_group_is_not(committee):
    seed()
    add(4, commune=CHIMAY, age_band="under_30", has_car="no")
    add(10, commune=SIVRY, age_band="under_30", has_car="no")
    assert committee.get("/analyse/every-type?filtre=age_band:under_30").status_code == 200
    assert committee.get("/analyse/every-type?filtre=commune:56016").status_code == 200
    refused = committee.get("/analyse/every-type?filtre=commune:56016&et=age_band:under_30")
    assert refused.status_code == 400
    assert "Trop peu de personnes" in refused.get_data(as_text=True)


def test_a_partner_reads_the_pair_from_the_release(client, app, survey, make_user, login):
    from app.accounts.scopes import set_partner_scope
    from app.extensions import db

    app.config["ANALYSIS_MIN_CELL"] = K
    seed()
    publish()
    add(10, commune=SIVRY, age_band="65_plus", has_car="no")  # after the release
    partner = make_user("partner")
    set_partner_scope(partner, ["56088"], [])
    db.session.commit()
    login(partner)
    page = client.get(PAIR).get_data(as_text=True)
    assert "(25 personnes)" in page and "publication n° 1" in page
    assert cells(page, "has_car") == {"Oui": "14", "Non": "11"}
    # another commune's pair is out of this partner's rights
    assert (
        client.get("/analyse/every-type?filtre=commune:56016&et=age_band:65_plus").status_code
        == 403
    )


def test_a_release_published_before_pairs_says_so(client, app, survey, make_user, login):
    import json
    import zlib

    from sqlalchemy import select

    from app.accounts.scopes import set_partner_scope
    from app.analysis.releases.models import Release
    from app.extensions import db

    app.config["ANALYSIS_MIN_CELL"] = K
    seed()
    publish()
    release = db.session.scalar(select(Release))
    document = json.loads(zlib.decompress(release.counts))
    del document["crossings"]["together"], document["crossings"]["triples"]
    release.counts = zlib.compress(json.dumps(document).encode())
    partner = make_user("partner")
    set_partner_scope(partner, ["56088"], [])
    db.session.commit()
    login(partner)
    assert client.get("/analyse/every-type?filtre=commune:56088").status_code == 200
    page = client.get(PAIR)
    assert page.status_code == 400
    assert "publiés avant" in page.get_data(as_text=True)
