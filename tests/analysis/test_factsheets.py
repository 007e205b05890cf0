"""Commune fact sheets: the commune beside the whole territory, a method note, only what the
commune's filtered view shows, and clear refusals."""

import re
from html import unescape

import pytest

from app.analysis.disclosure.intervals import wilson
from app.territory.places import Place
from tests.analysis.helpers import add
from tests.analysis.helpers import cells as dashboard_cells

SIVRY = Place("commune", "56088")  # 4,794 inhabitants
CHIMAY = Place("commune", "56016")


@pytest.fixture
def committee(client, survey, make_user, login):
    login(make_user("committee"))
    return client


def rows(html: str, question: str) -> dict[str, list[str]]:
    title = re.escape(question)
    section = re.search(rf"<h2 id=\"b-\d+\">{title}</h2>(.*?)</section>", html, re.S).group(1)
    found = {}
    for label, cells in re.findall(r'<th scope="row">([^<]*)</th>(.*?)</tr>', section, re.S):
        values = re.findall(r'<td class="num(?: ci)?">(.*?)</td>', cells)
        found[label] = [unescape(v).replace("\xa0", " ") for v in values]
    return found


def test_a_commune_beside_the_whole_territory(committee):
    add(20, commune=SIVRY, has_car="yes")
    add(10, commune=SIVRY, has_car="no")
    add(15, has_car="yes")  # Barbençon (Beaumont)
    add(15, has_car="no")
    add(12, commune=CHIMAY, has_car="no")
    add(12, commune=CHIMAY, has_car="yes")
    html = committee.get("/analyse/every-type/profil/56088").get_data(as_text=True)
    assert "<h1>Sivry-Rance</h1>" in html
    car = rows(html, "Avez-vous une voiture à votre disposition ?")
    # people, share here, its interval, share in the whole territory (47 of 84 have a car)
    assert car["Oui"][:2] == ["20", "67 %"] and car["Oui"][3] == "56 %"
    assert car["Non"][:2] == ["10", "33 %"] and car["Non"][3] == "44 %"
    low, high = wilson(20, 30)
    assert car["Oui"][2] == f"{round(100 * low)} % – {round(100 * high)} %"
    text = unescape(html).replace("\xa0", " ")
    assert "30 personnes habitant Sivry-Rance" in text and "Statbel (2020)" in text
    assert "size:A4" in committee.get("/static/css/site.css").get_data(as_text=True)


def test_a_kept_sheet_is_renewed_by_a_new_response(committee):
    add(20, commune=SIVRY, has_car="yes")
    add(10, commune=SIVRY, has_car="no")
    add(15, has_car="yes")  # Barbençon (Beaumont)
    add(15, has_car="no")
    first = committee.get("/analyse/every-type/profil/56088").get_data(as_text=True)
    assert rows(first, "Avez-vous une voiture à votre disposition ?")["Non"][0] == "10"
    add(1, commune=SIVRY, has_car="no")
    again = committee.get("/analyse/every-type/profil/56088").get_data(as_text=True)
    assert rows(again, "Avez-vous une voiture à votre disposition ?")["Non"][0] == "11"
    assert "31 personnes habitant Sivry-Rance" in unescape(again).replace("\xa0", " ")


def test_a_theme_keeps_its_questions(committee):
    add(30, commune=SIVRY)
    add(30)
    assert committee.get("/analyse/every-type/profil/56088?theme=mobility").status_code == 200
    page = committee.get("/analyse/every-type/profil/56088?theme=nope")
    assert page.status_code == 400


@pytest.mark.parametrize(
    ("nis", "status", "message"),
    [
        ("99999", 404, "Aucune commune du territoire"),  # outside the territory
        ("elsewhere", 404, "Aucune commune du territoire"),
        ("56005", 400, "Trop peu de personnes"),  # Beaumont: 3 people, hidden on the dashboard
    ],
)
def test_bad_communes_are_refused(committee, nis, status, message):
    add(30, commune=SIVRY)
    add(3)  # Beaumont
    page = committee.get(f"/analyse/every-type/profil/{nis}")
    assert page.status_code == status
    assert message in unescape(page.get_data(as_text=True))


def test_partners_cannot_read_a_fact_sheet(client, survey, make_user, login):
    add(30, commune=SIVRY)
    login(make_user("partner"))
    assert client.get("/analyse/every-type/profil/56088").status_code == 403


# -- Issue 17, item 9: sheets that agree with each other, every kind of question, a method note,
# two A4 pages.

CAR = "Avez-vous une voiture à votre disposition ?"
BEAUMONT = "56005"  # LINKED answers live in Barbençon, a village of Beaumont


def dashboard_shares(html: str, question: str) -> dict[str, str]:
    """Answer label → the share column of one question's table on the dashboard."""
    section = re.search(
        rf'<section class="result" aria-labelledby="q-{question}">(.*?)</section>', html, re.S
    ).group(1)
    found = {}
    for label, cells in re.findall(r'<th scope="row">([^<]*)</th>(.*?)</tr>', section, re.S):
        values = re.findall(r'<td class="num(?: ci)?">([^<]*)', cells)
        found[label] = unescape(values[1]).replace("\xa0", " ").strip()
    return found


def uneven_car_answers() -> None:
    """Sivry-Rance: 15 do not say whether they have a car (shown: its shares are of those who
    answered); Chimay: 5 say « no » (hidden) and 3 do not answer; Beaumont: even."""
    add(20, commune=SIVRY, has_car="yes")
    add(10, commune=SIVRY, has_car="no")
    add(15, commune=SIVRY, has_car=None)
    add(12, commune=CHIMAY, has_car="yes")
    add(5, commune=CHIMAY, has_car="no")
    add(3, commune=CHIMAY, has_car=None)
    add(15, has_car="yes")  # Barbençon (Beaumont)
    add(15, has_car="no")


def test_every_sheet_gives_the_dashboards_whole_territory(committee):
    uneven_car_answers()
    board = dashboard_shares(committee.get("/analyse/every-type").get_data(as_text=True), "has_car")
    assert board == {"Oui": "61 %", "Non": "39 %"}  # 47 and 30 of the 77 who answered
    columns = {}
    for nis in ("56088", "56016", BEAUMONT):
        html = committee.get(f"/analyse/every-type/profil/{nis}").get_data(as_text=True)
        car = rows(html, CAR)
        columns[nis] = {label: values[3] for label, values in car.items() if label in board}
        assert columns[nis] == board, nis
    html = committee.get("/analyse/every-type/profil/56016").get_data(as_text=True)
    chimay = rows(html, CAR)
    # Chimay's « not answered » (3) is told by its own view (20 people, 17 answering), so it
    # is never hidden to protect its « no »: its « yes » is; the territory's column stays.
    assert chimay["Oui"][:2] == ["•", "•"] and chimay["Non"][:2] == ["< 10", "•"]
    assert chimay["Oui"][3] == "61 %"


def test_the_whole_territory_is_shared_by_all_the_communes_sheets_question_by_question(
    committee,
):
    """Every question the dashboard and a sheet both show: the same territory share."""
    uneven_car_answers()
    add(12, commune=CHIMAY, age_band="under_30", transport=["train"])
    board = committee.get("/analyse/every-type").get_data(as_text=True)
    for nis in ("56088", "56016", BEAUMONT):
        html = committee.get(f"/analyse/every-type/profil/{nis}").get_data(as_text=True)
        for question, label in (("has_car", CAR), ("age_band", "Quel âge avez-vous ?")):
            expected = dashboard_shares(board, question)
            found = {a: v[3] for a, v in rows(html, label).items() if a in expected}
            assert found and found == {a: expected[a] for a in found}, (nis, question)


def territory_rows(html: str, block: str) -> dict[str, list[str]]:
    """A block of the « several answers and rankings » section (« s-1 »: the first question
    with several answers, « r-1 »: the first ranking): label → its figures."""
    section = re.search(rf'<h3 id="{block}">[^<]*</h3>(.*?)</section>', html, re.S).group(1)
    found = {}
    for label, cells in re.findall(r'<th scope="row">([^<]*)</th>(.*?)</tr>', section, re.S):
        values = re.findall(r'<td class="num(?: ci)?">(.*?)</td>', cells)
        found[label] = [unescape(v).replace("\xa0", " ") for v in values]
    return found


def test_multiple_choice_and_rankings_give_the_whole_territory_and_say_why(committee):
    add(20, commune=SIVRY, transport=["bus", "walk"])
    add(12, commune=SIVRY, transport=["car"])
    add(30, transport=["bus"])  # Beaumont
    add(15, commune=CHIMAY, transport=["train"], needs=["evening_bus", "social_taxi"])
    board = committee.get("/analyse/every-type").get_data(as_text=True)
    html = committee.get("/analyse/every-type/profil/56088").get_data(as_text=True)
    text = unescape(html).replace("\xa0", " ")
    assert "Questions à plusieurs réponses et classements" in text
    assert "ne sont pas ventilées par commune" in text
    assert '<h3 id="s-1">Comment vous déplacez-vous ?</h3>' in html
    transport = territory_rows(html, "s-1")
    # The dashboard's own table: people and share of the 77 who answered.
    assert transport["En bus"] == ["50", "65 %"] and transport["En voiture"] == ["12", "16 %"]
    assert transport["En train"] == ["15", "19 %"] and transport["Autrement"] == ["0", "0 %"]
    assert {k: v[0] for k, v in transport.items()} == {
        k: v for k, v in dashboard_cells(board, "transport").items()
    }
    # No figure of Sivry-Rance for it: the commune's column is not there.
    section = re.search(r'<h3 id="s-\d+">Comment vous déplacez-vous.*?</section>', html, re.S)
    assert "Sivry-Rance" not in section.group(0)
    assert 'class="bar-here"' not in section.group(0) and 'class="bar-all"' in section.group(0)
    assert "Qu&#39;est-ce qui compte le plus ?</h3>" in html
    needs = territory_rows(html, "r-1")
    # 15 people put the evening bus first (2 points) and the social taxi second (1 point).
    assert needs["Des bus le soir"] == ["2"] and needs["Un taxi social"] == ["1"]
    assert needs["Des voitures partagées"] == ["0"]


def test_a_commune_partner_is_told_which_questions_are_not_broken_down(
    client, survey, make_user, login
):
    from app.accounts.scopes import set_partner_scope
    from app.extensions import db
    from tests.analysis.helpers import publish

    add(20, commune=SIVRY, transport=["bus", "walk"])
    add(30, transport=["bus"])
    publish()
    user = make_user("partner")
    set_partner_scope(user, [BEAUMONT], [])
    db.session.commit()
    login(user)
    html = unescape(client.get(f"/analyse/every-type/profil/{BEAUMONT}").get_data(as_text=True))
    text = html.replace("\xa0", " ")
    assert "Pas ventilées par commune" in text and "Comment vous déplacez-vous ?" in text
    assert "Tout le territoire" not in text and 'id="s-1"' not in html  # no territory figure


def test_the_method_note_says_n_period_release_weighting_and_protection(
    client, survey, make_user, login
):
    from app.accounts.scopes import set_partner_scope
    from app.extensions import db
    from tests.analysis.helpers import publish

    add(20, commune=SIVRY)
    add(30)  # Beaumont
    login(make_user("committee"))
    live = unescape(client.get("/analyse/every-type/profil/56088").get_data(as_text=True))
    live = live.replace("\xa0", " ")
    method = re.search(r'<section class="notice sheet-method".*?</section>', live, re.S).group(0)
    assert "20 personnes habitant Sivry-Rance" in method and "(50 sur tout le territoire)" in method
    assert re.search(r"entre \w+ \d{4} et \w+ \d{4}", method)  # the period
    assert "Chiffres en direct, pas encore publiés" in method
    assert "ne sont pas pondérés" in method
    assert "« < 10 »" in method and "(•)" in method and "Les zéros sont montrés" in method
    assert "les mêmes sur la fiche de chaque commune" in method
    publish()
    client.post("/deconnexion")
    user = make_user("partner")
    set_partner_scope(user, ["56088"], [])
    db.session.commit()
    login(user)
    read = unescape(client.get("/analyse/every-type/profil/56088").get_data(as_text=True))
    method = re.search(r'<section class="notice sheet-method".*?</section>', read, re.S).group(0)
    method = method.replace("\xa0", " ")
    assert "Publication n° 1 du comité de pilotage" in method and "en direct" not in method
    assert "20 personnes habitant Sivry-Rance" in method


def test_the_print_stylesheet_lays_the_sheet_out_on_a4_pages(committee):
    add(30, commune=SIVRY)
    add(30)
    html = committee.get("/analyse/every-type/profil/56088").get_data(as_text=True)
    assert '<link rel="stylesheet" href="/analyse/static/factsheet.css">' in html
    assert 'src="/analyse/static/factsheet.js"' in html and "data-print hidden" in html
    assert "Imprimer / PDF" in unescape(html)
    css = committee.get("/analyse/static/factsheet.css").get_data(as_text=True)
    printed = css[css.index("@media print") :]
    assert re.search(r"@page\{size:A4", printed)
    assert "column-count:2" in printed  # two columns of blocks
    assert re.search(r"\.sheet-block\{break-inside:avoid", printed)  # no block cut in two
    assert re.search(r"\.sheet-method\{break-inside:avoid", printed)
    js = committee.get("/analyse/static/factsheet.js").get_data(as_text=True)
    assert "window.print()" in js
    # Bars: inline SVG of the shown shares, no script and no inline style (the CSP).
    assert '<svg class="bars"' in html and "style=" not in html.split("<article", 1)[1]


def test_a_hidden_share_draws_no_bar(committee):
    uneven_car_answers()
    for nis, shown in (("56088", True), ("56016", False)):  # Sivry: 20 of 30; Chimay: hidden
        html = committee.get(f"/analyse/every-type/profil/{nis}").get_data(as_text=True)
        section = re.search(rf"<h2 id=\"b-\d+\">{re.escape(CAR)}</h2>(.*?)</section>", html, re.S)
        lines = dict(re.findall(r'<th scope="row">([^<]*)</th>(.*?)</tr>', section.group(1), re.S))
        here = 'class="bar-here" x="0" y="0.5" width="66.7"' in lines["Oui"]
        assert here == shown and "bar-all" in lines["Oui"]  # the territory's bar, always


def test_small_communes_render_or_are_refused_with_a_message(committee):
    """Uneven data: communes of 1 to 9 respondents are refused with a message (their count is
    hidden on the dashboard), never an error; one just at k renders, however much it hides."""
    add(10, commune=SIVRY, has_car="yes", transport=["walk"])  # at k: 10 answers, all « yes »
    add(4, commune=CHIMAY, has_car="no")
    add(1, commune=Place("commune", "56029"), has_car="no")  # Froidchapelle
    add(40, has_car="no")
    for nis in ("56016", "56029"):
        page = committee.get(f"/analyse/every-type/profil/{nis}")
        assert page.status_code == 400 and "Trop peu de personnes" in unescape(
            page.get_data(as_text=True)
        )
    sheet = committee.get("/analyse/every-type/profil/56088")
    assert sheet.status_code == 200
    assert "<h1>Sivry-Rance</h1>" in sheet.get_data(as_text=True)
