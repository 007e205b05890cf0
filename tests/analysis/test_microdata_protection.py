"""The committee's response files are k-anonymous on the declared quasi-identifiers (every-type:
commune, age_band, has_car); the raw files are for administrators with two-factor, audited.

How an empty value is checked. The export treats an empty value, not answered or suppressed, as
a value of its own, matching only other empty values (export/anonymise.py says why: a wildcard
would count one row (A, empty) alike to nine (A, 30), yet whoever knows their neighbour of 50 in
A answered finds the only row that can be theirs). pycanon groups rows with pandas, which leaves
a row with an empty key out of every class: its empty cells would never be checked at all. So
each empty cell is replaced by one marker, « ∅ », before pycanon counts: a class is then exactly
the rows that show the same values, empties included, which is what the export guarantees, and
the stricter reading (a wildcard could only make classes larger).
"""

import csv
import io
import re
from html import unescape

import pandas as pd
import pyreadstat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pycanon import anonymity
from sqlalchemy import select

from app.accounts.models import AuditEntry
from app.analysis.export import anonymise, microdata
from app.extensions import db
from app.territory.places import Place
from tests.analysis.helpers import CHIMAY, add

K = 10  # ANALYSIS_MIN_CELL in the tests, as by default
QUASI = ["commune", "age_band", "has_car"]
EMPTY = "∅"
DOISCHE, COUVIN = Place("commune", "93018"), Place("commune", "93010")  # sud-esem, Namur
DINANT, ANHEE = Place("commune", "91034"), Place("commune", "91005")  # haute-meuse, Namur


@pytest.fixture
def committee(client, survey, make_user, login):
    login(make_user("committee", two_factor=True))
    return client


@pytest.fixture
def admin(client, survey, make_user, login):
    login(make_user("admin", two_factor=True))
    return client


def uneven(survey, count: int = 150, seed: int = 3) -> None:
    """Responses from the platform's generator: communes drawn by population, so that the
    smallest get a few respondents only (checked by the tests that use them)."""
    from app.surveys.demo import generate
    from app.surveys.services import store_response

    for answers in generate(survey.definition, count, seed):
        store_response(survey.version, answers, channel="web")
    db.session.commit()


def text_of(page) -> str:
    return unescape(page.get_data(as_text=True)).replace("\xa0", " ")


def read_csv(page) -> pd.DataFrame:
    text = page.get_data(as_text=True).lstrip("\ufeff")
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def read_sav(page, tmp_path) -> tuple[pd.DataFrame, object]:
    path = tmp_path / "x.sav"
    path.write_bytes(page.data)
    return pyreadstat.read_sav(str(path), user_missing=True)  # « I prefer not to say »: a value


def k_of(frame: pd.DataFrame) -> int:
    """pycanon's k, each empty cell a value of its own (see above)."""
    marked = frame[QUASI].astype(object).where(lambda f: f.notna() & (f != ""), EMPTY)
    return anonymity.k_anonymity(marked.astype(str), QUASI)


def test_the_declared_quasi_identifiers_are_those_checked(survey):
    made = microdata.layout(survey.definition, "fr", _words())
    assert [made.columns[i].name for i in made.quasi] == QUASI
    assert [made.columns[i].name for i in made.places] == ["commune"]


def test_the_files_are_k_anonymous(committee, admin_client, survey, tmp_path):
    """Fails on the export as it was (the rows as given): some communes have 1 to 9
    respondents, and many rows are alone with their commune, age band and car."""
    uneven(survey)
    raw = read_csv(admin_client.get("/analyse/every-type/reponses-brutes.csv"))
    small = raw["commune"].value_counts()
    assert ((small >= 1) & (small < K)).any()  # uneven indeed
    assert k_of(raw) < K  # what the committee's file was

    found = read_csv(committee.get("/analyse/every-type/reponses.csv"))
    assert len(found) == len(raw) == 150
    assert k_of(found) >= K
    sav, _meta = read_sav(committee.get("/analyse/every-type/reponses.sav"), tmp_path)
    assert len(sav) == 150 and k_of(sav) >= K
    book = load_workbook(io.BytesIO(committee.get("/analyse/every-type/reponses.xlsx").data))
    head, *rows = book["Réponses"].values
    assert len(rows) == 150 and k_of(pd.DataFrame(rows, columns=head)) >= K
    # Any commune still named is named in at least k rows (a class holds its value).
    assert (found["commune"][found["commune"] != ""].value_counts() >= K).all()
    # The rest of each row is untouched: the same answers as in the raw file.
    others = [c for c in raw.columns if c not in QUASI]
    pd.testing.assert_frame_equal(found[others], raw[others])
    # Still nothing that points at a person: no village, no free text, no id.
    text = committee.get("/analyse/every-type/reponses.csv").get_data(as_text=True)
    assert "why_no_car" not in text.splitlines()[0] and not re.search(r"\b\d{5}[A-Z]\b", text)


@pytest.fixture
def admin_client(app, survey, make_user):
    """A second browser, an administrator's with two-factor, beside the committee's."""
    from tests.conftest import FreshContextClient, totp_code

    app.test_client_class = FreshContextClient
    other = app.test_client()
    user = make_user("admin", two_factor=True)
    other.post("/connexion", data={"email": user.email, "password": "correct horse battery"})
    other.post("/connexion/code", data={"code": totp_code(user)})
    return other


def test_a_commune_of_three_appears_as_its_area(committee, tmp_path):
    add(12)  # Beaumont, 65 or more, a car: LINKED
    add(3, commune=DOISCHE)
    add(8, commune=CHIMAY)  # both sud-esem: 11 rows together
    found = read_csv(committee.get("/analyse/every-type/reponses.csv"))
    assert found["commune"].tolist() == ["56005"] * 12 + ["sud-esem"] * 11
    assert "93018" not in set(found["commune"]) and k_of(found) >= K
    sav, meta = read_sav(committee.get("/analyse/every-type/reponses.sav"), tmp_path)
    labels = meta.variable_value_labels["commune"]
    assert {labels[code] for code in sav["commune"][12:]} == {"Sud Entre-Sambre-et-Meuse"}
    note = " ".join(meta.notes).replace("\xa0", " ")
    assert "commune – valeurs remplacées par la zone : 11 ;" in note


def test_an_area_too_small_becomes_its_province(committee):
    """Haute-Meuse has 6 rows, the small communes of Sud-ESEM 4: each area under k, their
    Namur communes together 10, « Namur »."""
    add(12)
    add(4, commune=DINANT)
    add(2, commune=ANHEE)
    add(3, commune=DOISCHE)
    add(1, commune=COUVIN)
    found = read_csv(committee.get("/analyse/every-type/reponses.csv"))
    assert found["commune"].tolist() == ["56005"] * 12 + ["Namur"] * 10
    page = committee.get("/analyse/every-type/reponses")
    assert "Lignes modifiées : 10 sur 22 (45 %)." in text_of(page) and "&amp;" not in page.text


def test_the_report_counts_what_changed(admin, survey):
    """Per quasi-identifier, the values replaced by the area or the province and those left
    empty, and the rows touched: worked out again by comparing the raw file with the
    committee's, and read in the XLSX « Protection » sheet."""
    uneven(survey, 200, seed=8)
    raw = read_csv(admin.get("/analyse/every-type/reponses-brutes.csv"))
    found = read_csv(admin.get("/analyse/every-type/reponses.csv"))
    expected, touched = {}, pd.Series(False, index=raw.index)
    for name in QUASI:
        before, after = raw[name], found[name]
        changed = (before != "") & (before != after)
        touched |= changed
        expected[name] = [
            int((changed & after.isin(["sud-esem", "haute-meuse"])).sum()),
            int((changed & after.isin(["Namur", "Hainaut"])).sum()),
            int((changed & (after == "")).sum()),
        ]
    assert sum(sum(v) for v in expected.values()) > 0  # something to report
    book = load_workbook(io.BytesIO(admin.get("/analyse/every-type/reponses.xlsx").data))
    sheet = list(book["Protection"].values)
    assert sheet[0][:5] == ("Variable", "Question", *sheet[0][2:5])
    assert {row[0]: list(row[2:5]) for row in sheet[1:4]} == expected
    lines = [str(row[0]).replace("\xa0", " ") for row in sheet]
    assert f"Lignes modifiées : {int(touched.sum())} sur 200." in lines
    page = text_of(admin.get("/analyse/every-type/reponses"))
    assert f"Lignes modifiées : {int(touched.sum())} sur 200" in page


def test_fewer_than_k_responses_give_no_rows(committee):
    add(5)
    assert len(read_csv(committee.get("/analyse/every-type/reponses.csv"))) == 0
    assert "Moins de 10 réponses" in text_of(committee.get("/analyse/every-type/reponses"))


def test_the_raw_files_are_for_administrators_with_two_factor(client, survey, make_user, login):
    """Refused to the committee (even with two-factor) and to an administrator without it;
    served to one with it, one audit entry per download, none for a refused one."""
    add(3)
    login(make_user("committee", two_factor=True))
    for kind in ("csv", "xlsx", "sav"):
        assert client.get(f"/analyse/every-type/reponses-brutes.{kind}").status_code == 403
    page = client.get("/analyse/every-type/reponses").get_data(as_text=True)
    assert "reponses-brutes" not in page
    client.post("/deconnexion")
    login(make_user("admin"))  # without two-factor
    refused = client.get("/analyse/every-type/reponses-brutes.csv")
    assert refused.status_code == 403 and "/compte/double-authentification" in refused.text
    assert db.session.scalars(select(AuditEntry)).all() == []
    client.post("/deconnexion")
    admin = make_user("admin", two_factor=True)
    login(admin)
    page = text_of(client.get("/analyse/every-type/reponses"))
    assert "reponses-brutes.csv" in page and "journal d'audit" in page.replace("’", "'")
    for kind in ("csv", "xlsx", "sav"):
        got = client.get(f"/analyse/every-type/reponses-brutes.{kind}")
        assert got.status_code == 200 and len(got.data) > 0
    assert client.get("/analyse/every-type/reponses-brutes.csv?dialecte=x").status_code == 400
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.user_id, e.action) for e in entries] == [(admin.id, "raw_responses_export")] * 3
    assert [e.detail for e in entries] == [
        f"every-type-reponses-brutes.{kind}" for kind in ("csv", "xlsx", "sav")
    ]
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(  # the exact commune, the village never
                    "/analyse/every-type/reponses-brutes.csv"
                )
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    assert rows[1][3] == "56005"


def test_the_dashboard_links_the_page_and_the_page_needs_two_factor(
    client, survey, make_user, login
):
    login(make_user("committee"))
    board = client.get("/analyse/every-type").get_data(as_text=True)
    assert 'href="/analyse/every-type/reponses"' in board and "reponses.csv" not in board
    assert client.get("/analyse/every-type/reponses").status_code == 403


# -- decide() on its own: the steps, and a property test.

TERRITORY = {"56005": ("sud-esem", "Hainaut"), "93018": ("sud-esem", "Namur")}
TERRITORY |= {"91034": ("haute-meuse", "Namur"), "91005": ("haute-meuse", "Namur")}


def decided(rows, k=K, places=(0,), width=None):
    width = len(rows[0]) if width is None else width
    variables = [anonymise.Variable(f"v{j}", "") for j in range(width)]
    columns = [[r[j] for r in rows] for j in range(width)]
    return anonymise.decide(columns, len(rows), variables, list(places), TERRITORY, k)


def test_an_empty_value_is_no_wildcard():
    """(A, empty) beside nine (A, 30): ten alike for a wildcard, yet a neighbour who knows the
    person is 50 finds their row. Here the row is alone, so both values go, from all ten."""
    values, report = decided([["56005", None]] + [["56005", "30"]] * 9)
    assert values == [(None, None)] * 10
    assert report.touched == 10 and report.variables[1].suppressed == 9


def test_the_variable_with_most_values_goes_first():
    """Ten rows at risk, apart on v1 (3 values) and v2 (2 values): v1 goes, and they meet."""
    rows = [["x", "a", "p"]] * 4 + [["x", "b", "p"]] * 3 + [["x", "c", "p"]] * 3
    values, report = decided(rows + [["x", "a", "q"]] * 10, places=())
    assert values[:10] == [("x", None, "p")] * 10 and values[10:] == [("x", "a", "q")] * 10
    assert [v.suppressed for v in report.variables] == [0, 10, 0] and report.touched == 10


def test_rows_that_lost_everything_are_joined_by_others_up_to_k():
    rows = [["56005", "x"]] * 20 + [["56005", "y"]] * 3
    values, _report = decided(rows)
    assert values.count((None, None)) == 10 and values.count(("56005", "x")) == 13


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["56005", "93018", "91034", "91005", "elsewhere", None]),
            st.sampled_from(["a", "b", "c", None]),
            st.sampled_from([1, 2, None]),
        ),
        max_size=70,
    ),
    st.sampled_from([5, 10]),
)
def test_any_data_comes_out_k_anonymous_and_truthful(rows, k):
    values, report = decided([list(r) for r in rows], k, width=3)
    if len(rows) < k:
        assert values == [] and report.withheld
        return
    assert anonymity.k_anonymity(_marked(values), [0, 1, 2]) >= k
    touched = 0
    for old, new in zip(rows, values, strict=True):
        touched += old != new
        area, province = TERRITORY.get(old[0], (None, None))
        assert new[0] in (old[0], area, province, None) and new[1:] in _kept(old[1:])
    assert report.touched == touched == sum(r != v for r, v in zip(rows, values, strict=True))


def _kept(values):
    return {
        tuple(v if keep else None for v, keep in zip(values, mask, strict=True))
        for mask in ((a, b) for a in (True, False) for b in (True, False))
    }


def _marked(values) -> pd.DataFrame:
    return pd.DataFrame(values).astype(object).where(lambda f: f.notna(), EMPTY).astype(str)


def _words():
    from app.analysis.results.labels import labels

    return labels()


def test_reading_by_question_gives_the_cells_of_reading_by_response(survey):
    """The first pass reads the answers question by question: the same cells, for every type
    (a date too), as the rows the files are written from."""
    from app.analysis.counting.snapshot import snapshot

    uneven(survey, 60, seed=5)
    made = microdata.layout(survey.definition, "fr", _words())
    with snapshot() as connection:
        by_question = microdata.cells_by_question(survey.survey.id, made, connection)
        by_response = list(microdata.rows(survey.survey.id, made, connection))
    lead = microdata.LEADING
    assert [r[lead:] for r in by_question] == [r[lead:] for r in by_response]
    assert len(by_question) == 60 and any(r[lead:] != [None] * (len(r) - lead) for r in by_question)
