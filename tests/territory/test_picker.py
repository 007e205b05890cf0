import re

import pytest
from werkzeug.datastructures import MultiDict

from app.accounts.models import User
from app.extensions import db
from app.surveys.types.base import AnswerError
from app.surveys.types.place import PlaceQuestion
from app.territory.picker import Unresolved, resolve
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


# -- The picker forgives (issue 16): typos, postcode and name, namesakes, the other answers.


def typed(text: str):
    """The place the picker settles on for a typed text, or the Unresolved it raises."""
    try:
        return resolve("", text)
    except Unresolved as problem:
        return problem


def test_a_typo_finds_the_place(client):
    response = client.get("/territoire/?place-q=Philipeville")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/territoire/93056")
    assert typed("St-Remy") == Place("section", "56016", "56016K")
    assert typed("Olloy s/ Viroin") == Place("section", "93090", "93090A")


def test_a_commune_that_is_also_one_of_its_villages_is_taken_as_the_commune(client):
    response = client.get("/territoire/?place-q=Couvin")
    assert response.status_code == 302  # no « Erreur », no choice forced
    assert response.headers["Location"].endswith("/territoire/93014")
    assert typed("chimay") == Place("commune", "56016")


def test_the_commune_is_stored_from_the_profile_without_a_choice(client, make_user, login):
    user = make_user("partner")
    login(user)
    response = client.post(
        "/compte", data={"display_name": "Ana", "locale": "", "place": "", "place-q": "Yvoir"}
    )
    assert response.status_code == 302
    saved = db.session.get(User, user.id)
    assert (saved.place_kind, saved.place_nis, saved.place_section) == ("commune", "91141", None)


def test_a_postcode_and_a_name_together(app):
    assert typed("5530 Yvoir") == Place("commune", "91141")
    assert typed("Mariembourg 5660") == Place("section", "93014", "93014P")
    assert typed("B-6511 Strée") == Place("section", "56005", "56005H")


def test_a_postcode_keeps_only_its_places(app):
    assert isinstance(typed("Boussu"), Unresolved)  # Boussu-en-Fagne and Boussu-lez-Walcourt
    assert typed("Boussu 5660") == Place("section", "93014", "93014M")
    villers = typed("Villers 5600")
    assert {o.place.value for o in villers.candidates} == {"s:93056C", "s:93056K"}


def test_a_name_and_a_postcode_that_disagree_are_asked_about(app):
    problem = typed("5680 Vodecée")  # Vodecée is at 5600; at 5680 is Vodelée
    assert isinstance(problem, Unresolved)
    assert {o.place.value for o in problem.candidates} == {"s:93018H", "s:93056B"}
    assert "code postal" in str(problem)  # French, the default
    problem = typed("Mariembourg 5600")
    assert [o.place.value for o in problem.candidates] == ["s:93014P"]


def test_two_places_as_close_are_offered_never_guessed(app):
    problem = typed("Vodeée")  # Vodelée (Doische) or Vodecée (Philippeville)
    assert isinstance(problem, Unresolved)
    assert {"s:93018H", "s:93056B"} <= {o.place.value for o in problem.candidates}
    assert "Vouliez-vous dire" in str(problem)


def test_a_close_spelling_is_offered_on_the_page(client):
    html = client.get("/territoire/?place-q=Vodeée").get_data(as_text=True)
    assert "Vodeée" in errors(html)[0]
    radios = re.findall(r'type="radio" name="place" value="(s:[0-9A-Z]+)"', html)
    assert {"s:93018H", "s:93056B"} <= set(radios)


def test_elsewhere_and_prefer_not_to_say_are_always_in_view(client):
    for url in ("/territoire/", "/territoire/?place-q=5660", "/territoire/?place-q=9999"):
        html = client.get(url).get_data(as_text=True)
        for value in ("elsewhere", "undisclosed"):
            assert f'type="radio" name="place" value="{value}"' in html, (url, value)
    html = client.get("/territoire/?place=undisclosed").get_data(as_text=True)
    assert 'value="undisclosed" checked' in html


def test_a_radio_beside_the_empty_list_is_the_answer(app):
    question = PlaceQuestion(id="commune", type="place", label="Où ?", required=True)
    sent = MultiDict([("commune", ""), ("commune", "elsewhere"), ("commune-q", "")])
    assert question.sent(sent, {}) == {"commune": Place("elsewhere")}


def test_two_different_answers_are_refused(client, app):
    html = client.get("/territoire/?place=c:93014&place=elsewhere").get_data(as_text=True)
    assert "deux réponses différentes" in errors(html)[0]
    assert 'value="elsewhere" checked' in html  # both still shown, to keep one
    assert re.search(r'value="c:93014"\s+selected', html)
    question = PlaceQuestion(id="commune", type="place", label="Où ?", required=True)
    with pytest.raises(AnswerError):
        question.sent(MultiDict([("commune", "c:93014"), ("commune", "undisclosed")]), {})
