"""Free-text answers: the committee searches them, narrows them to a group, codes them with the
questionnaire's codebook, and the codes count like a question on the dashboard and in the API."""

import re
from html import unescape

import pytest
from sqlalchemy import select

from app.accounts.tokens import issue
from app.analysis.codebook.models import Code
from app.extensions import db
from app.surveys.models import Answer, Response, Survey
from app.surveys.queries import newest_version
from app.surveys.services import answer_values, insert_rows
from app.territory.places import Place
from tests.analysis.helpers import BASE, answer, cells

LIST = "/analyse/every-type/textes?question=why_no_car"


@pytest.fixture
def texts(survey):
    answer(12, age_band="65_plus", why_no_car="Un médecin plus proche")
    answer(12, age_band="30_64", why_no_car="Plus de bus le soir")
    answer(12, age_band="under_30", why_no_car="Un taxi social")
    answer(3, age_band="65_plus", why_no_car="Rien", commune=Place("commune", "56016"))  # Chimay
    # drivers are not asked why they have no car: enough of them for the question to be shown
    answer(12, age_band="30_64", has_car="yes")


@pytest.fixture
def committee(client, make_user, login):
    login(make_user("committee", two_factor=True))  # texts: response-level data
    return client


def shown(client, path: str) -> tuple[int, list[str]]:
    html = unescape(client.get(path).get_data(as_text=True))
    total = re.search(r'<p role="status">(\d+) réponses?', html)
    return int(total.group(1)), re.findall(r"<blockquote>([^<]*)</blockquote>", html)


def test_the_committee_searches_and_narrows_the_answers(committee, texts):
    total, quotes = shown(committee, LIST)
    assert total == 39 and set(quotes) == {
        "Un médecin plus proche",
        "Plus de bus le soir",
        "Un taxi social",
        "Rien",
    }
    assert shown(committee, LIST + "&q=MEDECIN")[0] == 12  # case and accents aside
    total, quotes = shown(committee, LIST + "&filtre=age_band:30_64")
    assert total == 12 and set(quotes) == {"Plus de bus le soir"}
    assert shown(committee, LIST + "&q=taxi&filtre=age_band:65_plus")[0] == 0


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("&filtre=commune:56016", "Trop peu de personnes"),  # 3 people: not a group
        ("&filtre=nope:x", "Filtre inconnu"),
        ("&code=999", "Code inconnu"),
        ("&page=0", "Page inconnue"),
        ("&page=9", "Page inconnue"),
        ("&page=²", "Page inconnue"),  # a digit to str.isdigit, not to int()
        ("&page=" + "9" * 5000, "Page inconnue"),  # longer than int() reads
        ("&code=" + "9" * 5000, "Code inconnu"),
        ("&q=" + "x" * 101, "100 caractères"),
    ],
)
def test_bad_queries_get_a_message(committee, texts, query, message):
    r = committee.get(LIST + query)
    assert r.status_code == 400 and message in unescape(r.get_data(as_text=True))


def test_an_unknown_question_gets_a_message(committee, texts):
    r = committee.get("/analyse/every-type/textes?question=age_band")  # not free text
    assert r.status_code == 400 and "question" in r.get_data(as_text=True)


@pytest.mark.parametrize(("role", "status"), [("partner", 403), ("facilitator", 403)])
def test_free_text_stays_with_the_committee(client, texts, make_user, login, role, status):
    assert client.get(LIST).status_code == 302  # to the login page
    login(make_user(role))
    assert client.get(LIST).status_code == status
    assert client.post("/analyse/every-type/codes", data={"label": "x"}).status_code == status


def test_reading_texts_needs_two_factor_in_this_session(client, texts, make_user, login):
    """Each person's own words are response-level data, as the exports are: a committee member
    without two-factor gets the page that says how to turn it on."""
    login(make_user("committee"))
    page = client.get(LIST, headers={"Accept-Language": "fr"})
    assert page.status_code == 403 and "double authentification" in page.get_data(as_text=True)
    answer_id = 1
    assert client.post(f"/analyse/every-type/textes/{answer_id}").status_code == 403


def add(client, label: str):
    return client.post("/analyse/every-type/codes", data={"label": label})


def test_the_codebook_refuses_empty_long_and_twice_given_names(committee, texts):
    nul = add(committee, "Santé \x00")  # refused for every form (app/input_guard.py)
    assert nul.status_code == 400 and "caractère nul" in unescape(nul.get_data(as_text=True))
    assert add(committee, "  Santé  ").status_code == 302
    assert [c.label for c in db.session.scalars(select(Code))] == ["Santé"]
    too_long_folded = "ß" * 80  # 80 characters, 160 once folded (« ss »)
    for label, message in (
        ("santé", "déjà"),
        ("   ", "nom"),
        ("x" * 81, "80 caractères"),
        (too_long_folded, "80 caractères"),
    ):
        r = add(committee, label)
        assert r.status_code == 400 and message in unescape(r.get_data(as_text=True))
    assert db.session.scalar(select(db.func.count(Code.id))) == 1


def ids_of(text: str) -> list[int]:
    return list(db.session.scalars(select(Answer.id).where(Answer.text == text)))


def test_codes_count_like_a_question(client, committee, texts, make_user):
    add(committee, "Santé")
    add(committee, "Transport")
    health, transport = (c.id for c in db.session.scalars(select(Code).order_by(Code.label_key)))
    for answer_id in ids_of("Un médecin plus proche"):
        r = committee.post(f"/analyse/every-type/textes/{answer_id}", data={"code": [health]})
        assert r.status_code == 302
    for answer_id in ids_of("Plus de bus le soir")[:11]:
        committee.post(
            f"/analyse/every-type/textes/{answer_id}", data={"code": [health, transport]}
        )
    codes = cells(committee.get("/analyse/every-type").get_data(as_text=True), "why_no_car")
    assert codes["Santé"] == "23" and codes["Transport"] == "11"
    # the list narrowed to a code, or to the answers without any
    assert shown(committee, f"{LIST}&code={transport}")[0] == 11
    assert shown(committee, f"{LIST}&code=aucun")[0] == 16  # a bus, the taxis, « rien »
    _token, plain = issue(make_user("committee"), "test")
    db.session.commit()
    body = client.get(
        "/api/v1/surveys/every-type/results", headers={"Authorization": f"Bearer {plain}"}
    ).get_json()
    question = next(q for q in body["questions"] if q["id"] == "why_no_car")
    table = next(t for t in question["tables"] if t["title"] == "Codes donnés par le comité")
    assert {a["label"]: a["count"] for a in table["answers"]} == {"Santé": 23, "Transport": 11}
    # removing a code takes it off every answer, and off the dashboard at once
    assert committee.post(f"/analyse/every-type/codes/{transport}/supprimer").status_code == 302
    codes = cells(committee.get("/analyse/every-type").get_data(as_text=True), "why_no_car")
    assert "Transport" not in codes and codes["Santé"] == "23"


def test_a_small_code_count_is_hidden(committee, texts):
    add(committee, "Taxi")
    taxi = db.session.scalar(select(Code.id))
    for answer_id in ids_of("Rien"):
        committee.post(f"/analyse/every-type/textes/{answer_id}", data={"code": [taxi]})
    codes = cells(committee.get("/analyse/every-type").get_data(as_text=True), "why_no_car")
    assert codes["Taxi"] == "< 10"


def test_only_free_text_answers_of_sent_responses_are_coded(committee, texts):
    add(committee, "Santé")
    health = db.session.scalar(select(Code.id))
    choice = db.session.scalar(select(Answer.id).where(Answer.question_id == "age_band"))
    version = newest_version(db.session.scalar(select(Survey).where(Survey.slug == "every-type")))
    begun = Response(version_id=version.id, channel="web")  # begun, never sent
    db.session.add(begun)
    db.session.flush()
    insert_rows(begun.id, answer_values(version.model, BASE | {"why_no_car": "Pas encore envoyé"}))
    db.session.commit()
    unsent = db.session.scalar(
        select(Answer.id).where(Answer.response_id == begun.id, Answer.text.is_not(None))
    )
    text = ids_of("Un taxi social")[0]
    for answer_id, data in (
        (choice, {"code": [health]}),
        (unsent, {"code": [health]}),
        (text, {"code": ["999"]}),
        (text, {"code": ["santé"]}),
        (text, {"code": ["²"]}),
        (text, {"code": ["9" * 5000]}),
    ):
        r = committee.post(f"/analyse/every-type/textes/{answer_id}", data=data)
        assert r.status_code == 400, (answer_id, data)
    assert db.session.scalar(select(db.func.count()).select_from(Response)) == 52
    assert committee.post("/analyse/every-type/codes/999/supprimer").status_code == 404
