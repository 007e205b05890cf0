"""Response-level exports: no id, no free text, no village, dates to the month, time to the
quarter, the same rows in CSV, XLSX and SPSS. Cell by cell on the raw files (administrators,
exact communes); the committee's k-anonymous files: test_microdata_protection.py."""

import csv
import io
from datetime import date

import pyreadstat
import pytest
from openpyxl import load_workbook

from app.analysis.export import microdata
from app.extensions import db
from app.surveys.types.base import ExportColumn
from app.territory.places import Place
from tests.analysis.helpers import BARBENCON, add


@pytest.fixture
def admin(client, survey, make_user, login):
    login(make_user("admin", two_factor=True))  # the raw files: administrators, two-factor
    return client


@pytest.fixture
def committee(client, survey, make_user, login):
    login(make_user("committee", two_factor=True))  # response-level data needs a second factor
    return client


def answered():
    add(
        3,
        has_car="no",
        why_no_car='=HYPERLINK("http://x") Jean Dupont, rue Haute 3',
        km_to_gp=12.5,
        last_trip=date(2026, 12, 3),
        access={"gp": "hard"},
        bus_satisfaction=4,
    )
    add(2, channel="paper", has_car="yes", transport=["walk"], bus_satisfaction="dont_know")


def test_csv_rows_have_no_id_village_or_free_text(admin):
    answered()
    page = admin.get("/analyse/every-type/reponses-brutes.csv")
    assert page.status_code == 200 and page.mimetype == "text/csv"
    text = page.get_data(as_text=True).lstrip("\ufeff")
    found = list(csv.DictReader(io.StringIO(text)))
    assert len(found) == 5 and [r["n"] for r in found] == ["1", "2", "3", "4", "5"]
    first = found[0]
    assert first["commune"] == BARBENCON.nis  # the commune, never the village (56005B)
    assert "56005B" not in text and "Dupont" not in text and "HYPERLINK" not in text
    assert first["has_car"] == "no" and first["transport:bus"] == "1"
    assert first["transport:walk"] == "0" and first["km_to_gp"] == "12.5"
    assert first["last_trip"] == "2026-12" and first["access:gp"] == "hard"
    assert first["quarter"].count("-") == 1 and first["channel"] == "web"
    assert found[4]["channel"] == "paper" and found[4]["bus_satisfaction"] == "dont_know"
    assert "why_no_car" not in first and "id" not in first


def test_csv_for_excel_rows(admin):
    answered()
    page = admin.get("/analyse/every-type/reponses-brutes.csv?dialecte=excel")
    text = page.get_data(as_text=True).lstrip("\ufeff")
    found = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(found) == 5 and found[0]["km_to_gp"] == "12,5" and found[0]["has_car"] == "no"


def test_xlsx_has_the_rows_and_a_codebook(admin):
    answered()
    page = admin.get("/analyse/every-type/reponses-brutes.xlsx")
    book = load_workbook(io.BytesIO(page.data), read_only=True)
    rows = list(book["Réponses"].values)
    assert len(rows) == 6 and rows[0][0] == "n"
    codebook = [r for r in book["Codebook"].values]
    assert ("has_car", "Avez-vous une voiture à votre disposition ?") in [r[:2] for r in codebook]
    assert (None, None, "yes", "Oui") in codebook or ("", "", "yes", "Oui") in codebook


def test_spss_has_value_labels(admin, tmp_path):
    answered()
    page = admin.get("/analyse/every-type/reponses-brutes.sav")
    path = tmp_path / "x.sav"
    path.write_bytes(page.data)
    frame, meta = pyreadstat.read_sav(str(path))
    assert len(frame) == 5
    assert meta.column_names_to_labels["has_car"] == "Avez-vous une voiture à votre disposition ?"
    labels = meta.variable_value_labels["has_car"]
    assert {labels[code] for code in frame["has_car"]} == {"Oui", "Non"}
    assert meta.variable_value_labels["bus_satisfaction"][99] == "Je ne sais pas"
    assert list(frame["km_to_gp"][:3]) == [12.5] * 3
    assert "transport_bus" in frame.columns  # SPSS names: letters, digits, _


def test_spss_declares_non_substantive_answers_user_missing(admin, tmp_path):
    """« I don't know » on a scale, « I prefer not to say » for the place, and every choice a
    definition marks `missing: true`: user-missing, so that a mean or a frequency in SPSS leaves
    them out while the codes stay in the file."""
    answered()
    add(1, commune=Place("undisclosed"), bus_satisfaction=2)
    path = tmp_path / "x.sav"
    path.write_bytes(admin.get("/analyse/every-type/reponses-brutes.sav").data)
    frame, _meta = pyreadstat.read_sav(str(path))  # as SPSS computes: user-missing left out
    assert frame["bus_satisfaction"].isna().tolist() == [False] * 3 + [True] * 2 + [False]
    assert frame["bus_satisfaction"].mean() == pytest.approx(14 / 4)  # without the 99s
    kept, meta = pyreadstat.read_sav(str(path), user_missing=True)
    assert meta.missing_ranges["bus_satisfaction"] == [{"lo": 99.0, "hi": 99.0}]
    assert list(kept["bus_satisfaction"][3:5]) == [99, 99]  # still in the file
    undisclosed = meta.variable_value_labels["commune"]
    code = next(c for c, label in undisclosed.items() if label == "Je préfère ne pas le dire")
    assert meta.missing_ranges["commune"] == [{"lo": code, "hi": code}] and code == 99
    assert kept["commune"].iloc[5] == 99 and frame["commune"].isna().iloc[5]


def test_a_choice_marked_missing_is_user_missing(tmp_path):
    from app.analysis.export.writers import _codes

    column = ExportColumn(
        "reach",
        "Aller chez le médecin",
        {"easy": "Facile", "hard": "Difficile", "no": "Je n'y vais pas"},
        missing=("no",),
    )
    assert _codes(column) == {"easy": 1, "hard": 2, "no": 99}


@pytest.mark.parametrize("role", ["partner", "facilitator"])
def test_only_the_committee_exports_responses(client, survey, make_user, login, role):
    login(make_user(role))
    for kind in ("csv", "xlsx", "sav"):
        assert client.get(f"/analyse/every-type/reponses.{kind}").status_code == 403
        assert client.get(f"/analyse/every-type/reponses-brutes.{kind}").status_code == 403
    assert client.get("/analyse/every-type/reponses").status_code == 403
    assert client.get("/analyse/every-type/reponses.json").status_code in (403, 404)


def test_spss_names_are_valid_and_distinct():
    taken: set[str] = set()
    assert microdata.spss_name("transport:bus", taken) == "transport_bus"
    assert microdata.spss_name("transport-bus", taken) == "transport_bus_2"
    assert microdata.spss_name("1st", taken) == "v_1st"


@pytest.mark.parametrize("kind", ["csv", "xlsx", "sav"])
@pytest.mark.parametrize("role,files", [("committee", "reponses"), ("admin", "reponses-brutes")])
def test_an_export_without_responses_has_its_columns(
    client, survey, make_user, login, kind, role, files
):
    login(make_user(role, two_factor=True))
    page = client.get(f"/analyse/every-type/{files}.{kind}")
    assert page.status_code == 200 and len(page.data) > 0


def expected_cells(definition, answers: dict) -> list[str]:
    """A response's cells worked out again from the answers as given (not from the stored
    rows the export reads), as CSV text."""
    cells = []
    for question in definition.questions():
        value = answers.get(question.id)
        kind = question.type
        if kind in ("note", "short_text", "long_text"):
            continue
        if kind == "place":
            cells.append(None if value is None else value.nis or value.kind)
        elif kind == "matrix":
            cells += [(value or {}).get(r.id) for r in question.rows]
        elif kind == "multiple_choice":
            cells += [None if not value else int(c.id in value) for c in question.choices]
        elif kind == "ranking":
            ranked = value or []
            cells += [ranked[i] if i < len(ranked) else None for i in range(question.positions())]
        elif kind == "date":
            cells.append(None if value is None else value.strftime("%Y-%m"))
        elif kind == "number":
            cells.append(None if value is None else format(float(value), "g"))
        else:
            cells.append(value)
    return ["" if c is None else str(c) for c in cells]


@pytest.mark.parametrize("seed,sent", [(1, "stored"), (2, "stored"), (5, "api")])
def test_every_cell_is_the_answer_given(admin, survey, seed, sent):
    """Rows read straight into cells (for speed) against the answers people gave, for every
    question type, on answers made by the platform's own generator (following the logic);
    stored as rows, or sent whole through the API by the people themselves (channel « web »)."""
    from app.surveys.demo import generate
    from app.surveys.services import store_response
    from tests.api.helpers import kiosk_body

    given = generate(survey.definition, 60, seed)
    for i, answers in enumerate(given):
        if sent == "stored":
            store_response(survey.version, answers, channel="kiosk")
        else:
            posted = admin.post(
                "/api/v1/surveys/every-type/responses",
                json={"answers": kiosk_body(survey.definition, answers)},
                headers={"Idempotency-Key": f"kiosk-{i:04d}"},
            )
            assert posted.status_code == 201, posted.get_json()
    db.session.commit()
    text = admin.get("/analyse/every-type/reponses-brutes.csv").get_data(as_text=True)
    found = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1:]
    assert len(found) == len(given)
    for row, answers in zip(found, given, strict=True):
        assert row[2] == ("kiosk" if sent == "stored" else "web")
        cells = [format(float(c), "g") if c and c[0].isdigit() and "." in c else c for c in row]
        assert cells[3:] == expected_cells(survey.definition, answers)


def test_columns_named_like_others_get_a_number():
    columns = [ExportColumn(n, n) for n in ("n", "quarter", "channel", "n", "n", "n_2")]
    assert [c.name for c in microdata._distinct(columns)] == [
        "n",
        "quarter",
        "channel",
        "n_2",
        "n_3",
        "n_2_2",
    ]


def test_spss_columns_grow_and_shrink_to_the_rows_read():
    """The SPSS arrays are made for the responses counted before reading: more may come in
    meanwhile (grown), or fewer (one deleted: cut), and a code no longer in the
    questionnaire is missing, not an error."""
    import math

    from app.analysis.export.writers import _arrays

    codes = [None, {"a": 1, "b": 2}]
    rows = [[i, "a" if i % 2 else "zz"] for i in range(5)]
    grown = _arrays(iter(rows), codes, [True, True], expected=2)
    assert list(grown[0]) == [0, 1, 2, 3, 4]
    assert [None if math.isnan(v) else v for v in grown[1]] == [None, 1, None, 1, None]
    cut = _arrays(iter(rows[:3]), codes, [True, True], expected=10)
    assert len(cut[0]) == 3 and list(cut[0]) == [0, 1, 2]
