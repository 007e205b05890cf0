import re

from app.accounts.models import User
from app.extensions import db
from app.territory.places import Place, normalise
from app.territory.queries import find_places


def errors(html: str) -> list[str]:
    return [e.strip() for e in re.findall(r'class="error-message"[^>]*>.*?</span>([^<]*)', html)]


def test_normalise_ignores_accents_case_and_hyphens():
    assert normalise("  Sivry-Rancé ") == normalise("sivry rance") == "sivry rance"


def test_find_by_commune_village_or_postcode(app):
    assert [o.place for o in find_places("sivry rance")] == [Place("commune", "56088")]
    assert [o.place for o in find_places("Barbencon")] == [Place("section", "56005", "56005B")]
    assert [o.place for o in find_places("6511")] == [Place("section", "56005", "56005H")]
    couvin = find_places("5660")
    assert len(couvin) == 14 and {o.commune for o in couvin} == {"Couvin"}
    assert find_places("9999") == [] and find_places("xyzzy") == []


def test_a_commune_and_its_village_of_the_same_name_are_both_offered(app):
    kinds = {o.place.kind for o in find_places("Chimay")}
    assert kinds == {"commune", "section"}


def test_without_javascript_the_picker_is_a_grouped_select(client):
    html = client.get("/territoire/").get_data(as_text=True)
    assert html.count("<optgroup") == 18  # 17 communes + « other answers »
    assert 'value="s:56005B"' in html and 'value="c:93014"' in html
    assert 'value="elsewhere"' in html and 'value="undisclosed"' in html
    assert 'name="place-q"' in html


def test_a_unique_postcode_finds_the_village(client):
    response = client.get("/territoire/?place-q=6511")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/territoire/56005#56005H")


def test_a_shared_postcode_asks_which_village(client):
    html = client.get("/territoire/?place-q=5660").get_data(as_text=True)
    assert "5660" in errors(html)[0]
    radios = re.findall(r'type="radio" name="place" value="(s:93014[A-Z])"', html)
    assert len(radios) == 14
    chosen = client.get(f"/territoire/?place={radios[1]}&place-q=5660")
    assert chosen.headers["Location"].endswith(f"/territoire/93014#{radios[1][2:]}")


def test_an_unknown_postcode_gets_a_clear_message_and_keeps_what_was_typed(client):
    html = client.get("/territoire/?place-q=9999", headers={"Accept-Language": "fr"}).get_data(
        as_text=True
    )
    assert "9999" in errors(html)[0]
    assert 'value="9999"' in html


def test_a_forged_value_is_refused(client):
    html = client.get("/territoire/?place=s:99999Z").get_data(as_text=True)
    assert errors(html)


def test_elsewhere_and_prefer_not_to_say_are_answers(client):
    for value in ("elsewhere", "undisclosed"):
        response = client.get(f"/territoire/?place={value}")
        assert response.status_code == 200
        assert not errors(response.get_data(as_text=True))


def test_the_profile_stores_nis_and_section(client, make_user, login):
    user = make_user("partner")
    login(user)
    response = client.post(
        "/compte", data={"display_name": "Ana", "locale": "", "place": "s:56005B", "place-q": ""}
    )
    assert response.status_code == 302
    saved = db.session.get(User, user.id)
    assert (saved.place_kind, saved.place_nis, saved.place_section) == (
        "section",
        "56005",
        "56005B",
    )


def test_an_unknown_postcode_keeps_the_rest_of_the_form(client, make_user, login):
    user = make_user("partner")
    login(user)
    response = client.post(
        "/compte",
        data={"display_name": "Nouveau nom", "locale": "nl", "place": "", "place-q": "9999"},
        headers={"Accept-Language": "fr"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "9999" in errors(html)[0]
    assert 'value="Nouveau nom"' in html
    assert re.search(r'<option selected value="nl">|<option value="nl" selected', html)
    assert db.session.get(User, user.id).display_name == "Test Person"  # nothing saved
