"""The population by age, supplied as data: Statbel's file as downloaded or a plain CSV, checked
in full before anything is written; every mistake named with its line."""

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.territory.ages import AgeDataError, load_ages
from app.territory.models import AgePopulation, Commune
from app.territory.queries import people_by_age


def territory() -> list[str]:
    return list(db.session.scalars(select(Commune.nis).order_by(Commune.nis)))


def plain_csv(tmp_path, extra: str = "", skip: str | None = None, name: str = "ages.csv"):
    lines = ["nis,age,population"]
    lines += [f"{nis},{age},10" for nis in territory() if nis != skip for age in (20, 70)]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def test_statbel_file_as_downloaded(app, tmp_path):
    """Pipes, Statbel's column names, a byte-order mark, rows split by sex and nationality
    (added up), and the rest of Belgium (passed over)."""
    rows = ["CD_REFNIS|TX_DESCR_FR|CD_SEX|CD_NATLTY|CD_AGE|MS_POPULATION"]
    for nis in territory():
        rows += [f"{nis}|X|F|BEL|30|7", f"{nis}|X|M|BEL|30|5", f"{nis}|X|M|ETR|81|2"]
    rows += ["21004|Bruxelles|F|BEL|30|9999", "11002|Antwerpen|M|BEL|40|8888"]
    path = tmp_path / "TF_SOC_POP_STRUCT_2024.txt"
    path.write_text("\ufeff" + "\n".join(rows) + "\n", encoding="utf-8")
    report = load_ages(path, 2024)
    db.session.commit()
    assert (report.communes, report.people, report.passed_over) == (17, 17 * 14, 2)
    stored = db.session.get(AgePopulation, ("56088", 30))
    assert (stored.people, stored.year) == (12, 2024)
    sud = people_by_age("sud-esem")  # the 12 communes only
    assert sud.year == 2024 and sud.people == {30: 12 * 12, 81: 12 * 2}
    assert people_by_age("anyone").people == {30: 17 * 12, 81: 17 * 2}


def test_a_new_file_replaces_the_old(app, tmp_path):
    load_ages(plain_csv(tmp_path), 2020)
    load_ages(plain_csv(tmp_path, name="b.csv"), 2021)
    db.session.commit()
    years = db.session.scalars(select(AgePopulation.year).distinct()).all()
    assert years == [2021]
    assert db.session.scalar(select(func.count()).select_from(AgePopulation)) == 17 * 2


@pytest.mark.parametrize(
    ("extra", "skip", "message"),
    [
        ("56088,abc,3\n", None, "line 36: the age « abc » is not a whole number"),
        ("56088,121,3\n", None, "line 36: age 121 is over 120"),
        ("56088,30,-3\n", None, "line 36: the population « -3 » is not a whole number"),
        ("56088,30,2.5\n", None, "population « 2.5 »"),
        ("56088,30,\n", None, "line 36: the population is missing"),
        ("56088,²,4\n", None, "age « ² »"),
        ("", "56088", "no inhabitants given for 1 commune(s) of the territory: 56088"),
    ],
)
def test_bad_rows_are_named_and_nothing_is_written(app, tmp_path, extra, skip, message):
    load_ages(plain_csv(tmp_path, name="good.csv"), 2020)
    db.session.commit()
    with pytest.raises(AgeDataError, match=re.escape(message)):
        load_ages(plain_csv(tmp_path, extra, skip), 2024)
    db.session.rollback()
    assert set(db.session.scalars(select(AgePopulation.year))) == {2020}  # the old table stays


def test_too_many_people_or_two_columns_for_one_field(app, tmp_path):
    many = plain_csv(tmp_path, "56088,20,9999999\n", name="many.csv")  # 10 + 9,999,999
    with pytest.raises(AgeDataError, match="line 36: more than 10,000,000 inhabitants"):
        load_ages(many, 2024)
    twice = tmp_path / "twice.csv"
    twice.write_text("nis,CD_AGE,age,population\n56088,30,31,4\n", encoding="utf-8")
    with pytest.raises(AgeDataError, match="several columns could give the age"):
        load_ages(twice, 2024)


def test_a_new_load_renews_the_figures_kept(app, tmp_path):
    """Kept dashboards depend on which table is loaded, even one of the same size and year."""
    from app.territory.queries import people_by_age_loaded

    load_ages(plain_csv(tmp_path), 2024)
    db.session.commit()
    first = people_by_age_loaded()
    load_ages(plain_csv(tmp_path), 2024)
    db.session.commit()
    assert people_by_age_loaded() != first and people_by_age_loaded()[0] == first[0]


def test_missing_columns_and_other_encodings_are_refused(app, tmp_path):
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("commune;âge;habitants\n56088;30;4\n", encoding="utf-8")
    with pytest.raises(AgeDataError, match="no column « nis »"):
        load_ages(wrong, 2024)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("nis;age;population;commune\n56088;30;4;Liège\n".encode("latin-1"))
    with pytest.raises(AgeDataError, match="not UTF-8"):
        load_ages(latin, 2024)


def test_the_command_says_what_it_loaded_or_why_not(app, runner, tmp_path):
    done = runner.invoke(args=["territory", "ages", str(plain_csv(tmp_path)), "--year", "2024"])
    assert done.exit_code == 0, done.output
    assert "340 inhabitants of 17 communes; 0 rows of other communes passed over" in done.output
    bad = plain_csv(tmp_path, "56088,x,1\n", name="bad.csv")
    refused = runner.invoke(args=["territory", "ages", str(bad), "--year", "2024"])
    assert refused.exit_code == 1 and "line 36: the age « x »" in refused.output
    no_year = runner.invoke(args=["territory", "ages", str(bad)])
    assert no_year.exit_code == 2 and "--year" in no_year.output
