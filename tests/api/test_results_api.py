"""GET /api/v1/surveys/<slug>/results: the dashboard's protected figures as JSON, to tokens,
checked against the OpenAPI document and against the dashboard itself."""

import re
from html import unescape

import pytest

from app.accounts import tokens
from app.accounts.scopes import set_partner_scope
from app.analysis.disclosure.intervals import wilson
from app.extensions import db
from app.territory.places import Place
from tests.analysis.helpers import answer, cells, publish
from tests.api.test_surveys_api import conforms

RESULTS = "/api/v1/surveys/{slug}/results"
URL = "/api/v1/surveys/every-type/results"


@pytest.fixture
def answered(survey):
    answer(20, age_band="65_plus", commune=Place("commune", "56088"))  # Sivry-Rance
    answer(25, age_band="30_64")  # Beaumont
    answer(3, age_band="under_30", commune=Place("commune", "56016"))  # Chimay
    publish()  # partners read what the committee published


def token_for(user, label="observatory") -> str:
    _token, plain = tokens.issue(user, label)
    db.session.commit()
    return plain


def get(client, plain, url=URL, **params):
    return client.get(url, query_string=params, headers={"Authorization": f"Bearer {plain}"})


def test_without_a_valid_token_nothing_is_read(client, answered, make_user):
    assert client.get(URL).status_code == 401
    assert client.get(URL).headers["WWW-Authenticate"].startswith("Bearer")
    conforms(client.get(URL), RESULTS)
    assert get(client, "pisem_not-a-token").status_code == 401
    assert client.get(URL, headers={"Authorization": "Basic abc"}).status_code == 401
    user = make_user("committee")
    plain = token_for(user)
    revoked = tokens.tokens_of(user)[0]
    assert tokens.revoke(user, revoked.id)
    db.session.commit()
    assert get(client, plain).status_code == 401
    # A facilitator's token sends paper answers (tests/api/test_surveys_api.py); it reads no
    # results.
    assert get(client, token_for(make_user("facilitator"))).status_code == 403


def test_a_committee_token_reads_the_dashboards_figures(client, answered, make_user, login):
    committee = make_user("committee")
    body = conforms(get(client, token_for(committee)), RESULTS)
    assert body["k"] == 10 and body["responses"] == 48 and body["filter"] is None
    age = next(q for q in body["questions"] if q["id"] == "age_band")
    table = age["tables"][0]
    assert table["total"] == 48
    by_key = {a["key"]: a for a in table["answers"]}
    # The 3 under 30 are protected by the smallest other cell (20), the 25 stay shown.
    assert by_key["30_64"]["count"] == 25 and by_key["30_64"]["hidden"] is None
    assert by_key["30_64"]["share"] == round(25 / 48, 4)
    assert by_key["30_64"]["ci95"] == [round(v, 4) for v in wilson(25, 48)]
    assert by_key["65_plus"] | {"count": None, "hidden": "complement"} == by_key["65_plus"]
    assert by_key["under_30"] == by_key["under_30"] | {"count": None, "hidden": "small"}
    # The very same cells as the dashboard's table.
    login(committee)
    html = client.get("/analyse/every-type").get_data(as_text=True)
    shown = cells(html, "age_band")
    for answer_ in table["answers"]:
        expected = str(answer_["count"]) if answer_["count"] is not None else None
        assert shown[answer_["label"]] == expected or (
            expected is None and shown[answer_["label"]] in ("< 10", "•")
        )
    # Free-text answers are never given: only how many answered (and words k people used).
    text = [q for q in body["questions"] if q["id"] in ("why_no_car", "remarks")]
    assert text and all(q["tables"] == [] for q in text)
    # The token's use is recorded.
    assert tokens.tokens_of(committee)[0].last_used_at is not None


def test_filters_themes_and_weighting(client, answered, make_user):
    plain = token_for(make_user("committee"))
    one = conforms(get(client, plain, filter="commune:56005"), RESULTS)
    assert one["filter"]["responses"] == 25 and one["filter"]["group"] == "Beaumont"
    assert "responses" not in one and "coverage" not in one
    themed = conforms(get(client, plain, theme="mobility"), RESULTS)
    assert themed["theme"] == "mobility"
    weighted = conforms(get(client, plain, weighting="communes"), RESULTS)
    assert weighted["weighting"] == "communes"


@pytest.mark.parametrize(
    ("params", "status", "fragment"),
    [
        ({"sort": "count"}, 400, "sort"),
        ({"filtre": "commune:56005"}, 400, "filtre"),
        ({"filter": "commune:99999"}, 400, "filter"),
        ({"filter": "age_band:65_plus", "weighting": "communes"}, 400, "eigh"),
        ({"filter": "commune:56016"}, 400, "Chimay"),  # 3 people: too few to look at alone
        ({"theme": "housing"}, 400, "theme"),
        ({"weighting": "age"}, 400, "eigh"),
    ],
)
def test_bad_queries_get_a_message(client, answered, make_user, params, status, fragment):
    plain = token_for(make_user("committee"))
    r = get(client, plain, **params)
    assert r.status_code == status
    body = conforms(r, RESULTS)
    assert fragment in unescape(body["error"]["message"]) or fragment in str(params)


def test_unknown_questionnaire(client, answered, make_user):
    r = get(client, token_for(make_user("admin")), url="/api/v1/surveys/nope/results")
    assert r.status_code == 404
    conforms(r, RESULTS)


def test_a_partner_token_reads_its_communes_only(client, answered, make_user):
    organisation = make_user("partner")
    set_partner_scope(organisation, ["56005"], [])
    plain = token_for(organisation)
    mine = conforms(get(client, plain), RESULTS)
    assert mine["filter"]["value"] == "commune:56005" and mine["filter"]["responses"] == 25
    for params in ({"filter": "commune:56088"}, {"filter": "age_band:30_64"}):
        r = get(client, plain, **params)
        assert r.status_code == 403
        conforms(r, RESULTS)
    unscoped = token_for(make_user("partner"))
    assert get(client, unscoped).status_code == 403


def test_the_account_page_issues_shows_once_and_revokes(client, app, make_user, login):
    user = make_user("committee")
    login(user)
    made = client.post("/compte/jetons", data={"label": "Observatoire"})
    assert made.status_code == 201 and made.headers["Cache-Control"] == "no-store"
    plain = re.search(r'<code class="token">([^<]+)</code>', made.get_data(as_text=True)).group(1)
    assert tokens.holder(plain).id == user.id
    page = client.get("/compte").get_data(as_text=True)
    assert "Observatoire" in page and plain not in page  # never shown again
    assert client.post("/compte/jetons", data={"label": ""}).status_code == 400
    # Control characters (a NUL that PostgreSQL refuses) are dropped, not stored.
    assert client.post("/compte/jetons", data={"label": "Tableur\x00"}).status_code == 400
    assert client.post("/compte/jetons", data={"label": "Tableur\x07\u200b"}).status_code == 201
    assert tokens.tokens_of(user)[-1].label == "Tableur"
    token_id = tokens.tokens_of(user)[0].id
    assert client.post(f"/compte/jetons/{token_id}/revoquer").status_code == 302
    assert tokens.holder(plain) is None
    assert client.post(f"/compte/jetons/{token_id}/revoquer").status_code == 404
    other = make_user("committee")
    theirs = tokens.issue(other, "theirs")[0]
    db.session.commit()
    assert client.post(f"/compte/jetons/{theirs.id}/revoquer").status_code == 404


def test_a_facilitator_gets_a_token_for_paper_answers(client, app, make_user, login):
    login(make_user("facilitator"))
    page = client.get("/compte").get_data(as_text=True)
    assert "Jetons d'API" in page and "recueillies sur papier" in page
    # the address is shown whole (an « <slug> » would vanish as an unknown HTML tag)
    assert "POST /api/v1/surveys/{slug}/responses" in page and "<slug>" not in page
    assert client.post("/compte/jetons", data={"label": "Saisie papier"}).status_code == 201
