"""What a questionnaire page says around its questions: a progress that does not jump, piped
answers in page titles and notes, the « Other, please specify » box, and plurals."""

import re

import pytest

from app.extensions import db
from app.surveys.services import load_paths, read_answers
from tests.conftest import EVERY_TYPE
from tests.respond.conftest import PRIORITIES, PROFILE, TRAVEL, errors, send, start
from tests.respond.test_path import submitted


def progress(html: str) -> tuple[str, str, str]:
    """(label, bar maximum, bar value)."""
    label = re.search(r'<p id="progress-label">([^<]*)</p>', html).group(1)
    bar = re.search(r'<progress max="(\d+)" value="(\d+)"', html)
    return label, bar.group(1), bar.group(2)


def test_the_progress_does_not_jump_when_an_answer_shows_a_later_page(client, survey):
    # Under 30 and before « transport » is answered, the last page (priorities) is hidden; the
    # answer on the second page shows it. The label and the bar's total stay as they were.
    page = start(client)
    assert progress(client.get(page).get_data(as_text=True)) == ("Page 1", "3", "1")
    page = send(client, page, PROFILE | {"age_band": "under_30"}).headers["Location"]
    travel = client.get(page).get_data(as_text=True)
    assert progress(travel) == ("Page 2", "3", "2")
    assert "sur 2" not in travel and "sur 3" not in travel
    page = send(client, page, TRAVEL).headers["Location"]
    assert page.endswith("/p/priorities")
    assert progress(client.get(page).get_data(as_text=True)) == ("Page 3", "3", "3")


def test_the_bar_is_the_place_of_the_page_whatever_the_answers(client, survey):
    """The second page is the last one shown while « transport » is unanswered: its bar still
    says two thirds, and the page that an answer adds is the third."""
    page = start(client)
    page = send(client, page, PROFILE | {"age_band": "under_30"}).headers["Location"]
    html = client.get(page).get_data(as_text=True)
    assert "Envoyer mes réponses" in html and progress(html)[1:] == ("3", "2")
    page = send(client, page, TRAVEL).headers["Location"]
    assert progress(client.get(page).get_data(as_text=True))[1:] == ("3", "3")


@pytest.fixture
def piping(app, survey, tmp_path):
    text = EVERY_TYPE.read_text(encoding="utf-8")
    text = text.replace(
        "    title: Vos déplacements\n", "    title: Vos déplacements (${has_car})\n"
    )
    text = text.replace(
        "label: Quelques questions sur vos déplacements de tous les jours.",
        "label: Vous avez répondu « ${age_band} ». Quelques questions sur vos déplacements.",
    )
    path = tmp_path / "every-type.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_paths([path]).outcomes == [("every-type", "version 2 (edited)")]
    db.session.commit()


def test_page_titles_and_notes_pipe_earlier_answers(client, piping):
    page = start(client)
    page = send(client, page, PROFILE).headers["Location"]
    html = client.get(page).get_data(as_text=True)
    assert "<h1>Vos déplacements (Non)</h1>" in html
    assert "Vous avez répondu « 65 ans ou plus ». Quelques questions" in html
    assert "${" not in html


def test_a_page_title_cannot_pipe_an_answer_of_its_own_page(app, tmp_path):
    from app.surveys.validator import check_file

    text = EVERY_TYPE.read_text(encoding="utf-8")
    text = text.replace("    title: Vous\n", "    title: Vous (${age_band})\n")
    path = tmp_path / "every-type.yaml"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    title: Vous (${age_band})") + 1
    problems = [(p.line, p.message) for p in check_file(path).problems]
    assert problems == [(line, "${age_band} pipes an answer that is not asked on an earlier page")]


def other_box(html: str) -> str:
    return re.search(r'<div class="field other"[^>]*>.*?</div>', html, re.S).group(0)


def test_the_other_box_says_it_is_for_other_only_and_follows_its_choice(client, survey):
    page = start(client)
    page = send(client, page, PROFILE).headers["Location"]
    html = client.get(page).get_data(as_text=True)
    box = other_box(html)
    assert "Si « Autrement »\u00a0: précisez" in box
    assert 'data-other-for="transport" data-other-choice="other"' in box
    # Right after « Autrement », before « Je ne me déplace pas ».
    assert html.index('value="other"') < html.index(box) < html.index('value="none"')


def test_a_text_sent_without_other_is_refused_clearly(client, survey):
    page = start(client)
    page = send(client, page, PROFILE).headers["Location"]
    refused = send(client, page, TRAVEL | {"transport-other": "À vélo"})
    assert refused.status_code == 400
    assert errors(refused.get_data(as_text=True)) == [
        "Vous avez écrit une précision pour « Autrement » sans choisir cette réponse\u00a0: "
        "choisissez-la, ou effacez le texte."
    ]


def test_a_text_sent_with_other_is_kept(client, survey):
    page = start(client)
    page = send(client, page, PROFILE).headers["Location"]
    sent = TRAVEL | {"transport": ["bus", "other"], "transport-other": "À vélo"}
    page = send(client, page, sent).headers["Location"]
    send(client, page, PRIORITIES)
    [response] = submitted()
    assert read_answers(response)["transport:other"] == "À vélo"


def test_intro_counts_in_the_singular_and_the_plural(client, survey, app):
    html = client.get("/s/every-type", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Environ 3 minutes" in html or "Environ 2 minutes" in html
    assert "Nous gardons vos réponses pendant 36 mois." in html


def test_one_choice_is_said_in_the_singular(app):
    from flask_babel import force_locale

    from app.surveys.types import AnswerError
    from app.surveys.types.choice import MultipleChoice

    q = MultipleChoice.model_validate(
        {
            "id": "q",
            "type": "multiple_choice",
            "label": "Q",
            "max_choices": 1,
            "choices": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
        }
    )
    with force_locale("fr"), pytest.raises(AnswerError, match=r"^Choisissez au plus 1 réponse\.$"):
        q.read({"q": ["a", "b"]})
