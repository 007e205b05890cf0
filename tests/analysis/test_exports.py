"""The dashboard's tables exported: the same protected figures, safe to open in a spreadsheet."""

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.analysis.export.writers import neutralise
from app.extensions import db
from app.surveys.models import Survey
from app.surveys.queries import newest_version
from app.surveys.services import load_paths, store_response
from tests.analysis.helpers import BASE, SIVRY, answer
from tests.conftest import EVERY_TYPE


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+32 471", "'+32 471"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Couvin", "Couvin"),
        (-2, -2),
        (None, None),
    ],
)
def test_formulas_are_neutralised(value, safe):
    assert neutralise(value) == safe


def rows_of(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_csv_has_the_dashboard_figures_and_hides_what_it_hides(
    client, survey, make_user, login
):
    answer(20, age_band="65_plus", commune=SIVRY)
    answer(12, age_band="30_64")
    login(make_user("committee"))
    response = client.get("/analyse/every-type/tableaux.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = rows_of(response)
    assert rows[0] == [
        "Question",
        "Ligne",
        "Réponse",
        "Personnes",
        "Part",
        "Intervalle, borne basse",
        "Intervalle, borne haute",
    ]
    age = {r[2]: r[3:] for r in rows if r[0] == "Quel âge avez-vous ?"}
    assert age["65 ans ou plus"][0] == "20" and age["De 30 à 64 ans"][0] == "12"
    assert age["Moins de 30 ans"][0] == "0"  # nobody: a zero names no one
    assert float(age["65 ans ou plus"][1]) == round(20 / 32, 4)
    xlsx = client.get("/analyse/every-type/tableaux.xlsx")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.get_data()), read_only=True)
    sheet = book.active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    found = values[[v[2] for v in values].index("65 ans ou plus")]
    assert found[:4] == ["Quel âge avez-vous ?", None, "65 ans ou plus", 20]


def test_the_csv_for_excel_has_semicolons_and_decimal_commas(client, survey, make_user, login):
    """Excel in Belgium splits a CSV on semicolons and reads « 0,625 » as a number: the
    standard file (commas, points) opens there as one column, so both are offered, named."""
    answer(20, age_band="65_plus", commune=SIVRY)
    answer(12, age_band="30_64")
    login(make_user("committee"))
    dashboard = client.get("/analyse/every-type").get_data(as_text=True)
    assert "CSV pour Excel (points-virgules, virgules décimales)" in dashboard
    response = client.get("/analyse/every-type/tableaux.csv?dialecte=excel")
    assert response.status_code == 200
    assert 'filename="every-type-tableaux-excel.csv"' in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][:4] == ["Question", "Ligne", "Réponse", "Personnes"]
    age = {r[2]: r[3:] for r in rows if r[0] == "Quel âge avez-vous ?"}
    assert age["65 ans ou plus"][:2] == ["20", "0,625"]
    standard = rows_of(client.get("/analyse/every-type/tableaux.csv"))
    assert {r[2]: r[3:] for r in standard if r[0] == "Quel âge avez-vous ?"}["65 ans ou plus"][
        :2
    ] == ["20", "0.625"]
    wrong = client.get("/analyse/every-type/tableaux.csv?dialecte=tsv")
    assert wrong.status_code == 400 and "dialecte=excel" in wrong.get_data(as_text=True)


def test_a_label_that_looks_like_a_formula_is_neutralised(client, app, tmp_path, make_user, login):
    path = tmp_path / "formula.yaml"
    text = Path(EVERY_TYPE).read_text("utf-8").replace("slug: every-type", "slug: formula")
    path.write_text(text.replace("label: 65 ans ou plus", "label: '=HYPERLINK(\"x\")'"), "utf-8")
    load_paths([path])
    version = newest_version(db.session.scalar(select(Survey).where(Survey.slug == "formula")))
    for _ in range(12):
        store_response(version, BASE | {"age_band": "65_plus"}, channel="web")
    db.session.commit()
    login(make_user("admin"))
    rows = rows_of(client.get("/analyse/formula/tableaux.csv"))
    assert '\'=HYPERLINK("x")' in [r[2] for r in rows]
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_only_the_committee_exports(client, survey, make_user, login):
    login(make_user("partner"))
    assert client.get("/analyse/every-type/tableaux.csv").status_code == 403
    assert client.get("/analyse/every-type/tableaux.pdf").status_code == 404


def test_response_level_exports_need_two_factor_in_this_session(client, survey, make_user, login):
    """The tables stay open to the committee; the rows of responses need two-factor
    authentication on the account and a code given in this session."""
    from app.accounts import totp

    member = make_user("committee")
    login(member)
    assert client.get("/analyse/every-type/tableaux.csv").status_code == 200
    for kind in ("csv", "xlsx", "sav"):
        page = client.get(f"/analyse/every-type/reponses.{kind}", headers={"Accept-Language": "fr"})
        assert page.status_code == 403 and page.mimetype == "text/html", kind
        text = page.get_data(as_text=True)
        assert "Double authentification requise" in text
        # one button sets it up (the same words as on the account page); the tables are linked
        assert 'action="/compte/double-authentification"' in text
        assert 'href="/analyse/every-type">Voir les tableaux' in text
    # Turned on from another browser: this session gave no code yet, so still refused.
    totp.start_enrolment(member)
    member.totp_enabled_at = member.created_at
    db.session.commit()
    assert client.get("/analyse/every-type/reponses.csv").status_code == 403
    client.post("/deconnexion")
    login(member)  # with its code now
    assert client.get("/analyse/every-type/reponses.csv").status_code == 200
