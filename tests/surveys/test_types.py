"""What each question type accepts and refuses, as a person answering meets it (in French)."""

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from pydantic import TypeAdapter

from app.surveys.types import AnswerError, AnyQuestion

Q = TypeAdapter(AnyQuestion)
CHOICES = [
    {"id": "car", "label": "Voiture"},
    {"id": "bus", "label": "Bus"},
    {"id": "other", "label": "Autre", "other": True},
    {"id": "none", "label": "Aucun", "exclusive": True},
]


def question(**spec):
    return Q.validate_python({"id": "q", "label": "Question ?", **spec})


def refused(q, data, message, answers=None):
    with pytest.raises(AnswerError, match=message):
        q.read(data, answers or {})


def test_single_choice(app):
    q = question(type="single_choice", choices=CHOICES, required=True)
    assert q.read({"q": "bus"}) == {"q": "bus"}
    assert q.read({"q": "other", "q-other": " Vélo "}) == {"q": "other", "q:other": "Vélo"}
    refused(q, {"q": "other", "q-other": ""}, "Précisez")
    refused(q, {"q": "plane"}, "parmi les réponses proposées")
    refused(q, {}, "répondre à cette question")


def test_multiple_choice_exclusive_and_limits(app):
    q = question(type="multiple_choice", choices=CHOICES, max_choices=2)
    assert q.read({"q": ["bus", "car"]}) == {"q": ["car", "bus"]}  # in the definition's order
    assert q.read({"q": ["none"]}) == {"q": ["none"]}
    refused(q, {"q": ["none", "bus"]}, "ne peut pas être combiné")
    refused(q, {"q": ["car", "bus", "other"], "q-other": "x"}, "au plus 2")
    assert q.read({"q": []}) == {}
    # Stored one value per choice picked; exported as one column per choice, 1 or 0.
    assert [r["item"] for r in q.to_rows({"q": ["car", "bus"]})] == ["car", "bus"]
    columns, place = q.export("fr", 3)
    assert [c.name for c in columns] == ["q:car", "q:bus", "q:other", "q:none"]
    cells = [None] * 7
    place((1, "q", None, "bus", None, None, None, None), cells)
    assert cells[3:] == [0, 1, 0, 0]


def test_choices_filtered_by_an_earlier_answer(app):
    q = question(type="single_choice", choices=CHOICES, choices_from="modes")
    assert [c.id for c in q.offered({"modes": ["bus", "other"]})] == ["bus", "other"]
    refused(q, {"q": "car"}, "parmi les réponses proposées", {"modes": ["bus"]})


def test_a_filtered_list_shows_the_other_text_typed_earlier(app):
    from app.surveys.runtime import Context

    q = question(type="single_choice", choices=CHOICES, choices_from="modes")
    answers = {"modes": ["bus", "other"], "modes:other": "Le vélo"}
    labels = [str(c.label) for c in q.pairs(Context("fr", answers))]
    assert labels == ["Bus", "Le vélo"]
    assert q.read({"q": "other"}, answers) == {"q": "other"}
    assert q.display(answers | {"q": "other"}, "fr") == "Le vélo"


def test_yes_no(app):
    q = question(type="yes_no", dont_know=True)
    assert [c.id for c in q.choices] == ["yes", "no", "dont_know"]
    assert q.read({"q": "dont_know"}) == {"q": "dont_know"}


def test_scale(app):
    q = question(type="scale", min=0, max=10, dont_know=True)
    assert q.read({"q": "0"}) == {"q": 0} and q.read({"q": "dont_know"}) == {"q": "dont_know"}
    refused(q, {"q": "11"}, "point sur l'échelle")
    refused(q, {"q": "²"}, "point sur l'échelle")  # isdigit() but not a number: was a 500
    # Its counts read back from the tallies' keys: points, and « I don't know » apart.
    tallied = {
        ("", "", 0, "1.0", ""): 4,
        ("", "", 0, "3.0", ""): 2,
        ("", "dont_know", 0, "", ""): 1,
    }
    summary = q.summarise(tallied, 7, Counter())
    assert summary.counts == {"1": 4, "3": 2, "dont_know": 1}
    assert summary.numbers == {1: 4, 3: 2} and summary.answered == 7
    assert list(q.tables("fr")[0].labels)[-2:] == ["10", "dont_know"]


def test_matrix(app):
    q = question(
        type="matrix",
        required=True,
        rows=[{"id": "gp", "label": "Médecin"}, {"id": "shop", "label": "Magasin"}],
        scale=[{"id": "easy", "label": "Facile"}, {"id": "hard", "label": "Difficile"}],
    )
    assert q.read({"q-gp": "easy", "q-shop": "hard"}) == {"q": {"gp": "easy", "shop": "hard"}}
    refused(q, {"q-gp": "easy"}, "chaque ligne")
    refused(q, {"q-gp": "easy", "q-shop": "so-so"}, "parmi les réponses proposées")


def test_ranking_and_minimum_follow_a_filtered_list(app):
    ranking = question(type="ranking", choices=CHOICES[:3], top=3, required=True, choices_from="t")
    answers = {"t": ["car", "bus"]}
    assert ranking.positions(answers) == 2
    assert ranking.read({"q-1": "bus", "q-2": "car"}, answers) == {"q": ["bus", "car"]}
    several = question(type="multiple_choice", choices=CHOICES[:3], min_choices=3, choices_from="t")
    assert several.read({"q": ["car", "bus"]}, answers) == {"q": ["car", "bus"]}


def test_a_stale_other_text_is_not_stored_with_a_normal_choice(app):
    q = question(type="single_choice", choices=CHOICES)
    assert q.to_rows({"q": "bus", "q:other": "Vélo"})[0]["text"] is None


def test_ranking(app):
    q = question(type="ranking", choices=CHOICES[:3], top=2)
    assert q.read({"q-1": "bus", "q-2": "car"}) == {"q": ["bus", "car"]}
    refused(q, {"q-1": "bus", "q-2": "bus"}, "qu'une fois")
    refused(q, {"q-1": "", "q-2": "bus"}, "sans en sauter")
    assert [(r["item"], r["choice_id"]) for r in q.to_rows({"q": ["bus", "car"]})] == [
        ("1", "bus"),
        ("2", "car"),
    ]
    tallied = {("", "bus", 1, "", ""): 2, ("", "car", 2, "", ""): 1, ("", "bus", 2, "", ""): 1}
    summary = q.summarise(tallied, 3, Counter())
    assert summary.counts == {"bus": 3, "car": 1}
    assert summary.grid == {("bus", 0): 2, ("car", 1): 1, ("bus", 1): 1}


@pytest.mark.parametrize(
    ("raw", "expected"), [("3,5", Decimal("3.5")), (" 12 ", Decimal(12)), ("1 200", Decimal(1200))]
)
def test_number_accepts_belgian_writing(app, raw, expected):
    q = question(type="number", decimal=True, min=0, max=5000)
    assert q.read({"q": raw}) == {"q": expected}


def test_huge_or_too_precise_numbers_are_refused_quickly(app):
    import time

    q = question(type="number", decimal=True)
    for raw in ("1e400", "1e1000000", "12345678901234567", "0,1234567890123456"):
        started = time.perf_counter()
        refused(q, {"q": raw}, "Écrivez un nombre")
        assert time.perf_counter() - started < 0.1


def test_decimals_read_back_and_show_the_belgian_way(app):
    q = question(type="number", decimal=True)
    value = q.read({"q": "100"})["q"]
    assert q.display({"q": value}, "fr") == "100" and q.form_data({"q": Decimal("3.50")}) == {
        "q": "3,5"
    }
    assert q.from_rows([{"number": 100.0}]) == {"q": Decimal(100)}
    assert str(q.from_rows([{"number": 100.0}])["q"]) == "100"


def test_number_refusals(app):
    q = question(type="number", min=0, max=100)
    refused(q, {"q": "abc"}, "Écrivez un nombre")
    refused(q, {"q": "2,5"}, "nombre entier")
    refused(q, {"q": "101"}, "au plus 100")
    refused(q, {"q": "-1"}, "au moins 0")
    refused(q, {"q": "NaN"}, "Écrivez un nombre")


def test_texts_are_bounded_and_cleaned(app):
    q = question(type="short_text", max_length=10)
    assert q.read({"q": "  bonjour\x00 "}) == {"q": "bonjour"}
    refused(q, {"q": "x" * 11}, "sous les 10 caractères")
    assert question(type="long_text").max_length == 2000


def test_date(app):
    q = question(type="date", min="2026-01-01")
    assert q.read({"q": date(2026, 5, 1)}) == {"q": date(2026, 5, 1)}
    refused(q, {"q": date(2025, 5, 1)}, "période demandée")
    refused(q, {"q": "hier"}, "par exemple 2026-03-15")


def test_note_asks_nothing(app):
    q = question(type="note")
    assert not q.asks and q.read({}) == {} and q.to_rows({}) == []
