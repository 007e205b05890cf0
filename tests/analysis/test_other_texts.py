"""The texts typed for « Other, please specify » are read by the committee on the free-text
page, with the same protection as free text: committee only, groups of k or more."""

import re
from html import unescape

import pytest
from sqlalchemy import select

from app.extensions import db
from app.surveys.models import Answer
from app.territory.places import Place
from tests.analysis.helpers import answer

LIST = "/analyse/every-type/textes?question=transport"


@pytest.fixture
def others(survey):
    answer(12, age_band="65_plus", transport=["bus", "other"], **{"transport:other": "À vélo"})
    answer(12, age_band="30_64", transport=["other"], **{"transport:other": "En stop"})
    answer(
        3, transport=["other"], commune=Place("commune", "56016"), **{"transport:other": "Cheval"}
    )
    answer(12, age_band="30_64", transport=["car"])
    answer(12, age_band="under_30", transport=["walk"])


@pytest.fixture
def committee(client, make_user, login):
    login(make_user("committee", two_factor=True))  # texts: response-level data
    return client


def quotes(html: str) -> list[str]:
    return re.findall(r"<blockquote>([^<]*)</blockquote>", unescape(html))


def test_the_committee_reads_the_other_texts(committee, others):
    html = unescape(committee.get("/analyse/every-type/textes").get_data(as_text=True))
    assert '<option value="transport">Comment vous déplacez-vous ? – « Autrement », précisé' in html
    r = committee.get(LIST)
    html = unescape(r.get_data(as_text=True))
    assert r.status_code == 200 and "27 réponses" in html
    assert set(quotes(html)) == {"À vélo", "En stop", "Cheval"}
    assert 'name="code"' not in html.split('<h2 id="codebook">')[0]  # read, not coded
    narrowed = unescape(committee.get(LIST + "&filtre=age_band:30_64").get_data(as_text=True))
    assert set(quotes(narrowed)) == {"En stop"}


def test_a_small_group_is_refused_as_for_free_text(committee, others):
    r = committee.get(LIST + "&filtre=commune:56016")  # 3 people in Chimay
    assert r.status_code == 400 and "Trop peu de personnes" in unescape(r.get_data(as_text=True))


@pytest.mark.parametrize(("role", "status"), [("partner", 403), ("facilitator", 403)])
def test_other_texts_stay_with_the_committee(client, others, make_user, login, role, status):
    login(make_user(role))
    assert client.get(LIST).status_code == status


def test_an_other_text_cannot_be_coded(committee, others):
    committee.post("/analyse/every-type/codes", data={"label": "Vélo"})
    answer_id = db.session.scalar(
        select(Answer.id).where(Answer.question_id == "transport", Answer.text.is_not(None))
    )
    r = committee.post(f"/analyse/every-type/textes/{answer_id}", data={"code": ["1"]})
    assert r.status_code == 400
