import shutil

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import create_app
from app.extensions import db
from app.territory.models import Commune, Section, SectionPostcode, Theme
from app.territory.services import DATA_DIR, ReferenceDataError, load_reference_data
from tests.conftest import make_config


@pytest.fixture
def empty_app(fresh_database, tmp_path):
    app = create_app(make_config(fresh_database, INSTANCE_PATH=str(tmp_path / "i")))
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_loads_the_real_territory(app):
    assert count(Commune) == 17
    assert count(Section) == 153
    sud = db.session.scalars(select(Commune).where(Commune.area == "sud-esem")).all()
    assert len(sud) == 12
    assert sum(c.population_2020 for c in sud) == 97_338
    chimay = db.session.get(Commune, "56016")
    assert (chimay.name, chimay.province, chimay.arrondissement) == ("Chimay", "Hainaut", "Thuin")
    assert chimay.boundary.startswith('{"type":')
    assert {s.name for s in db.session.get(Commune, "93014").sections} >= {"Couvin", "Petigny"}


def test_themes_are_one_taxonomy_of_working_groups_and_pcs_axes(app):
    themes = db.session.scalars(select(Theme).order_by(Theme.family, Theme.position)).all()
    groups = [t.slug for t in themes if t.family == "working-group"]
    axes = [t for t in themes if t.family == "pcs-axis"]
    assert groups[:1] == ["mobility"] and len(groups) == 5 and "steering-committee" in groups
    assert [a.position for a in axes] == [1, 2, 3, 4, 5, 6, 7]
    assert axes[3].name("fr") == "Alimentation" and axes[3].name("nl") == "Voeding"


def test_loading_twice_changes_nothing(empty_app):
    first = empty_app.test_cli_runner().invoke(args=["territory", "load"])
    assert first.exit_code == 0 and "17 communes" in first.output
    second = empty_app.test_cli_runner().invoke(args=["territory", "load"])
    assert second.exit_code == 0
    assert "already up to date" in second.output
    assert count(Commune) == 17 and count(SectionPostcode) >= 153


def test_a_bad_file_is_reported_with_its_line_and_writes_nothing(empty_app, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    lines = (data / "sections.csv").read_text(encoding="utf-8").splitlines()
    lines[40] = lines[40].replace(lines[40].split(",")[-1], "56OO")  # letters in a postcode
    (data / "sections.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = empty_app.test_cli_runner().invoke(args=["territory", "load", "--data-dir", str(data)])
    assert result.exit_code != 0
    assert "sections.csv, line 41" in result.output and "postcodes" in result.output
    assert count(Commune) == 0  # communes.csv was fine, but nothing is half-written


def test_an_edited_file_updates_the_database(empty_app, tmp_path):
    load_reference_data()
    db.session.commit()
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "communes.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",7165,", ",7200,"), encoding="utf-8")
    report = load_reference_data(data)
    assert report.updated == {"communes": 1}
    assert db.session.get(Commune, "56005").population_2020 == 7200


def test_unknown_commune_in_sections_is_refused(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "sections.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("56005,", "99999,", 1), "utf-8")
    with pytest.raises(ReferenceDataError, match=r"sections.csv, line 2: unknown commune 99999"):
        load_reference_data(data)


def test_the_database_refuses_a_section_outside_its_commune(app):
    db.session.add(Section(code="93014Z", commune_nis="56005", letter="Z", name="Nowhere"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
