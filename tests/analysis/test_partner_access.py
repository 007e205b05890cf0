"""Partner organisations read the aggregates of their communes and sectors only; the committee
and administrators read everything; a partner without a scope reads nothing."""

import re
from html import unescape

import pytest

from app.accounts.scopes import ScopeError, scope_of, set_partner_scope
from app.extensions import db
from app.territory.places import Place
from tests.analysis.helpers import answer, publish

SIVRY = Place("commune", "56088")
BEAUMONT = "56005"  # BASE answers live in Barbençon, a section of Beaumont


@pytest.fixture
def answered(survey):
    answer(20, age_band="65_plus", commune=SIVRY)
    answer(25, age_band="30_64")  # Beaumont
    answer(3, age_band="30_64", commune=Place("commune", "56016"))  # Chimay: « < 10 »
    publish()  # partners read what the committee published


def partner(make_user, communes=(), themes=()):
    user = make_user("partner")
    set_partner_scope(user, list(communes), list(themes))
    db.session.commit()
    return user


def test_a_partner_without_scope_reads_nothing(client, answered, make_user, login):
    login(make_user("partner"))
    r = client.get("/analyse/", headers={"Accept-Language": "fr"})
    assert r.status_code == 403
    assert "administrateur" in unescape(r.get_data(as_text=True))
    assert client.get("/analyse/every-type").status_code == 403


def test_a_commune_partner_sees_its_commune_only(client, answered, make_user, login):
    login(partner(make_user, communes=[BEAUMONT]))
    r = client.get("/analyse/every-type")
    assert r.status_code == 200
    html = unescape(r.get_data(as_text=True))
    # Its own commune, as a filtered view: 25 people, and no figure of the whole territory.
    assert re.search(r"<dt>Réponses dans ce groupe</dt><dd>25</dd>", html)
    assert "Couverture du territoire" not in html and "Sivry-Rance" not in html
    assert 'value="">Tout le monde' not in html  # « everyone » is not offered
    assert "croiser" not in html and "reponses.csv" not in html  # committee tools hidden
    # Another commune, another breakdown, the committee's tools: refused with a message.
    other = client.get("/analyse/every-type?filtre=commune:56088")
    assert other.status_code == 403 and "propres communes" in unescape(other.get_data(as_text=True))
    assert client.get("/analyse/every-type?filtre=age_band:30_64").status_code == 403
    assert client.get("/analyse/every-type?ponderation=communes").status_code == 403
    assert client.get("/analyse/every-type/croiser").status_code == 403
    assert client.get("/analyse/every-type/tableaux.csv").status_code == 403
    assert client.get("/analyse/every-type/reponses.csv").status_code == 403
    assert client.get("/analyse/themes/mobility").status_code == 403


def test_a_commune_partner_prints_its_own_local_profile(client, answered, make_user, login):
    login(partner(make_user, communes=[BEAUMONT]))
    sheet = client.get(f"/analyse/every-type/profil/{BEAUMONT}")
    assert sheet.status_code == 200
    html = unescape(sheet.get_data(as_text=True))
    assert "<h1>Beaumont</h1>" in html and "Tout le territoire" not in html
    assert client.get("/analyse/every-type/profil/56088").status_code == 403
    assert client.get("/analyse/every-type/profil/99999").status_code == 404


def test_a_sector_partner_reads_its_themes_across_communes(client, answered, make_user, login):
    login(partner(make_user, themes=["mobility"]))
    r = client.get("/analyse/every-type")
    assert r.status_code == 200
    html = unescape(r.get_data(as_text=True))
    assert 'value="mobility" selected' in html and "Tous les thèmes" not in html
    assert "Sivry-Rance" in html  # every commune, on its sector
    assert client.get("/analyse/every-type?theme=pcs-mobility").status_code == 403
    assert client.get("/analyse/themes/mobility").status_code == 200
    assert client.get("/analyse/themes/pcs-health").status_code == 403
    assert client.get("/analyse/every-type/profil/56088").status_code == 200


def test_a_partner_of_another_sector_sees_no_questionnaire(client, answered, make_user, login):
    login(partner(make_user, themes=["housing"]))
    index = unescape(client.get("/analyse/").get_data(as_text=True))
    assert "every-type" not in index
    r = client.get("/analyse/every-type")
    assert r.status_code == 403 and "secteurs" in unescape(r.get_data(as_text=True))


def test_the_committee_still_reads_everything(client, answered, make_user, login):
    login(make_user("committee"))
    html = unescape(client.get("/analyse/every-type").get_data(as_text=True))
    assert "Couverture du territoire" in html and "Tout le monde" in html
    assert client.get("/analyse/every-type?filtre=commune:56088").status_code == 200


def test_scopes_are_checked_when_set(app, make_user):
    with pytest.raises(ScopeError, match="unknown-commune"):
        set_partner_scope(make_user("partner"), ["99999"], [])
    with pytest.raises(ScopeError, match="unknown-theme"):
        set_partner_scope(make_user("partner"), [], ["astrology"])
    with pytest.raises(ScopeError, match="not-a-partner"):
        set_partner_scope(make_user("committee"), [BEAUMONT], [])
    user = make_user("partner")
    set_partner_scope(user, [BEAUMONT, BEAUMONT], ["mobility"])
    rights = scope_of(user)
    assert rights.communes == {BEAUMONT} and rights.themes == {"mobility"}


def test_an_administrator_sets_a_partner_scope(client, app, make_user, login):
    organisation = make_user("partner", email="cpas@example.be")
    login(make_user("admin"))
    page = client.get(f"/admin/utilisateurs/{organisation.id}/perimetre")
    assert page.status_code == 200 and 'value="56088"' in page.get_data(as_text=True)
    saved = client.post(
        f"/admin/utilisateurs/{organisation.id}/perimetre",
        data={"communes": ["56088", BEAUMONT], "themes": ["mobility"]},
    )
    assert saved.status_code == 302
    assert scope_of(organisation).communes == {"56088", BEAUMONT}
    forged = client.post(
        f"/admin/utilisateurs/{organisation.id}/perimetre", data={"communes": ["99999"]}
    )
    assert forged.status_code == 400
    assert scope_of(organisation).communes == {"56088", BEAUMONT}  # nothing half-written
    committee = make_user("committee")
    assert client.get(f"/admin/utilisateurs/{committee.id}/perimetre").status_code == 400
    assert client.get("/admin/utilisateurs/999999/perimetre").status_code == 404


def test_the_cli_sets_scopes_and_issues_tokens(app, runner, make_user):
    user = make_user("partner", email="asbl@example.be")
    done = runner.invoke(
        args=["users", "scope", "--email", "asbl@example.be", "--commune", BEAUMONT]
    )
    assert done.exit_code == 0, done.output
    assert scope_of(user).communes == {BEAUMONT}
    bad = runner.invoke(args=["users", "scope", "--email", "asbl@example.be", "--commune", "1"])
    assert bad.exit_code != 0 and "unknown commune" in bad.output
    issued = runner.invoke(args=["users", "token", "--email", "asbl@example.be", "--label", "x"])
    assert issued.exit_code == 0 and issued.output.startswith("pisem_")


def test_a_sector_partner_learns_nothing_of_other_sectors_groups(
    client, survey, make_user, login, tmp_path
):
    """A review's case: « too few people » against « unknown filter » told a mobility partner
    whether a group of a health question was small. Both are now the same refusal."""
    from app.surveys.services import load_paths
    from tests.conftest import EVERY_TYPE

    themed = EVERY_TYPE.read_text(encoding="utf-8").replace(
        "        type: single_choice\n",
        "        type: single_choice\n        themes: [pcs-health]\n",
        1,
    )
    path = tmp_path / "every-type.yaml"
    path.write_text(themed, encoding="utf-8")
    load_paths([path])
    db.session.commit()
    answer(20, age_band="65_plus", commune=SIVRY)
    answer(25, age_band="30_64")
    answer(3, age_band="under_30", commune=Place("commune", "56016"))
    publish()
    login(partner(make_user, themes=["mobility"]))
    small = client.get("/analyse/every-type?filtre=age_band:under_30")
    large = client.get("/analyse/every-type?filtre=age_band:65_plus")
    assert small.status_code == large.status_code == 403

    def message(r):
        return r.get_data(as_text=True).split("<main")[1].split("</main>")[0]

    assert message(small) == message(large) and "secteurs" in unescape(message(small))


def test_a_commune_partner_starts_on_a_commune_that_can_be_shown(
    client, answered, make_user, login
):
    login(partner(make_user, communes=["56016", "56088"]))  # Chimay: 3 people, too few
    r = client.get("/analyse/every-type")
    assert r.status_code == 200
    assert re.search(
        r"<dt>Réponses dans ce groupe</dt><dd>20</dd>", unescape(r.get_data(as_text=True))
    )
