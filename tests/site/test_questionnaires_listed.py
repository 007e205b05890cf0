"""Citizens find the questionnaires: the home page lists those open now with a large « Répondre »
(who asks, about how long, until when) and the published results; /questionnaires lists every
one, open, to come and closed. Nothing promises a feature that does not exist yet."""

import re
from datetime import date
from html import unescape

import yaml

from app.extensions import db
from app.surveys.services import load_paths
from tests.conftest import EVERY_TYPE

FR, NL = {"Accept-Language": "fr"}, {"Accept-Language": "nl"}


def text_of(response) -> str:
    html = response.get_data(as_text=True)
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main)))


def on(monkeypatch, day: date) -> None:
    monkeypatch.setattr("app.surveys.queries.today", lambda: day)


def test_the_home_page_leads_to_an_open_questionnaire(client, survey):
    response = client.get("/", headers=FR)
    html = response.get_data(as_text=True)
    answer = re.search(r'<a class="button answer" href="([^"]+)">Répondre', html)
    assert answer and answer.group(1) == "/s/every-type"
    shown = text_of(response)
    assert "Questionnaires ouverts maintenant" in shown
    assert "Toutes les sortes de questions" in shown
    assert "Proposé par la plateforme" in shown
    assert re.search(r"Environ \d+ minutes", shown)
    assert "Ouvert jusqu'au 31 mars 2027" in shown
    # the published results are listed too (every-type publishes them)
    assert '<a href="/resultats/every-type">' in html
    # the intro it leads to answers
    assert client.get(answer.group(1)).status_code == 200


def test_the_home_and_login_pages_promise_only_what_exists(client):
    for path in ("/", "/connexion"):
        shown = text_of(client.get(path, headers=FR)).lower()
        assert "vote" not in shown and "charte" not in shown, path


def test_a_questionnaire_to_come_and_a_closed_one(client, survey, monkeypatch):
    on(monkeypatch, date(2026, 11, 15))
    assert "Aucun questionnaire n'est ouvert pour le moment." in text_of(
        client.get("/", headers=FR)
    )
    listed = text_of(client.get("/questionnaires", headers=FR))
    coming = listed[listed.index("Bientôt") : listed.index("Clôturés")]
    assert "Toutes les sortes de questions" in coming and "Ouvre le 1 décembre 2026" in coming
    on(monkeypatch, date(2027, 4, 2))
    page = client.get("/questionnaires", headers=FR)
    listed = text_of(page)
    closed = listed[listed.index("Clôturés") :]
    assert "Toutes les sortes de questions" in closed and "Clôturé le 31 mars 2027" in closed
    assert 'class="button answer"' not in page.get_data(as_text=True)


def test_who_asks_is_said_and_the_list_speaks_dutch(client, survey, tmp_path):
    source = yaml.safe_load(EVERY_TYPE.read_text("utf-8"))
    source |= {
        "slug": "met-vraagsteller",
        "asked_by": {"fr": "Le CPAS de Couvin", "nl": "Het OCMW"},
    }
    path = tmp_path / "met-vraagsteller.yaml"
    path.write_text(yaml.safe_dump(source, allow_unicode=True), "utf-8")
    load_paths([path])
    db.session.commit()
    assert "Proposé par Le CPAS de Couvin" in text_of(client.get("/", headers=FR))
    intro = text_of(client.get("/s/met-vraagsteller", headers=FR))
    assert (
        "Le CPAS de Couvin" in intro
        and "Plateforme intersectorielle"
        not in intro.split("Qui pose les questions")[1].split("Combien de temps")[0]
    )  # the intro names who asks, as the list does
    dutch = text_of(client.get("/questionnaires", headers=NL))
    assert "Nu open" in dutch and "Gevraagd door Het OCMW" in dutch
    # every-type speaks Dutch, not German: said on its card, in German, before it is opened
    assert "Frans" not in dutch
    german = text_of(client.get("/questionnaires", headers={"Accept-Language": "de"}))
    assert "Diesen Fragebogen gibt es nicht in Ihrer Sprache" in german
    assert re.search(r"Ongeveer \d+ minuten", dutch)
