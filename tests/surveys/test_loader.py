"""Loading definitions: versions, unchanged reloads, edits that would break answers."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.analysis.counting import counts
from app.extensions import db
from app.surveys.models import Answer, Response, Survey, SurveyVersion
from app.surveys.services import load_paths, read_answers, store_response
from app.territory.places import Place

VALID = Path(__file__).parent / "definitions" / "valid" / "every-type.yaml"
ANSWERS = {
    "commune": Place("section", "56005", "56005B"),
    "age_band": "65_plus",
    "has_car": "no",
    "transport": ["bus", "other"],
    "transport:other": "Le vélo",
    "main_transport": "bus",
    "bus_satisfaction": 2,
}


@pytest.fixture
def survey_file(tmp_path) -> Path:
    path = tmp_path / "every-type.yaml"
    shutil.copy(VALID, path)
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def versions() -> int:
    return db.session.scalar(select(func.count()).select_from(SurveyVersion))


def latest():
    return db.session.scalars(select(SurveyVersion).order_by(SurveyVersion.id.desc())).first()


def test_load_then_reload_unchanged(app, survey_file):
    first = load_paths([survey_file])
    assert first.outcomes == [("every-type", "version 1 (new)")]
    # Comments and formatting are not meaning: still version 1.
    survey_file.write_text("# a comment\n" + survey_file.read_text("utf-8"), "utf-8")
    second = load_paths([survey_file])
    assert second.outcomes == [("every-type", "unchanged (version 1)")] and versions() == 1


def test_an_edited_file_becomes_a_new_version_and_answers_keep_theirs(app, survey_file):
    load_paths([survey_file])
    v1 = latest()
    response = store_response(v1, ANSWERS)
    edit(survey_file, "Quel âge avez-vous ?", "Quel est votre âge ?")
    assert load_paths([survey_file]).outcomes == [("every-type", "version 2 (edited)")]
    db.session.commit()
    assert response.version_id == v1.id and latest().number == 2
    store_response(latest(), ANSWERS | {"age_band": "under_30"})
    db.session.commit()
    # Question ids are stable: one count across both versions.
    counted = counts(latest().survey_id)
    age = counted.summary(latest().model.question("age_band"))
    assert dict(age.counts) == {"under_30": 1, "65_plus": 1} and age.answered == 2


def test_stored_answers_read_back(app, survey_file):
    load_paths([survey_file])
    response = store_response(latest(), ANSWERS)
    db.session.commit()
    db.session.expire_all()
    assert read_answers(db.session.get(Response, response.id)) == ANSWERS


def test_dropping_a_question_with_answers_is_refused(app, survey_file):
    load_paths([survey_file])
    store_response(latest(), ANSWERS)
    edit(
        survey_file,
        "      - id: has_car\n        type: yes_no\n",
        "      - id: has_bike\n        type: yes_no\n",
    )
    edit(survey_file, "show_if: has_car == 'no'", "show_if: has_bike == 'no'")
    report = load_paths([survey_file])
    assert report.outcomes == [] and versions() == 1
    assert "question « has_car » has answers: it cannot be removed" in report.refused[0]


def test_reusing_a_choice_id_for_another_meaning_is_refused(app, survey_file):
    load_paths([survey_file])
    store_response(latest(), ANSWERS)
    edit(survey_file, "{id: bus, label: En bus}", "{id: bus, label: En trottinette électrique}")
    report = load_paths([survey_file])
    assert "choice « bus » of « transport » has answers and its label changed" in report.refused[0]
    assert versions() == 1


def test_a_negation_is_another_meaning(app, survey_file):
    load_paths([survey_file])
    store_response(latest(), ANSWERS)
    edit(survey_file, "{id: easy, label: Facile}", "{id: easy, label: Difficile}")
    store_response(latest(), ANSWERS | {"access": {"gp": "easy"}})
    report = load_paths([survey_file])
    assert "choice « easy » of « access » has answers and its label changed" in report.refused[0]


def test_a_wording_fix_of_an_answered_choice_is_accepted(app, survey_file):
    load_paths([survey_file])
    store_response(latest(), ANSWERS)
    edit(survey_file, "{id: bus, label: En bus}", "{id: bus, label: « En Bus »}")  # case, marks
    assert load_paths([survey_file]).outcomes == [("every-type", "version 2 (edited)")]
    edit(
        survey_file,
        "{id: bus, label: « En Bus »}",
        "{id: bus, label: En bus (TEC), reworded: true}",
    )
    assert load_paths([survey_file]).outcomes == [("every-type", "version 3 (edited)")]


def test_a_scale_range_with_answers_cannot_change(app, survey_file):
    load_paths([survey_file])
    store_response(latest(), ANSWERS)
    edit(survey_file, "        min: 1\n        max: 5\n", "        min: 0\n        max: 10\n")
    assert "its range cannot change" in load_paths([survey_file]).refused[0]


def test_every_version_with_answers_is_compared(app, survey_file):
    load_paths([survey_file])
    v1 = latest()
    edit(survey_file, "Quel âge avez-vous ?", "Quel est votre âge ?")
    load_paths([survey_file])
    store_response(v1, ANSWERS)  # a response still arriving on version 1
    edit(survey_file, "{id: bus, label: En bus}", "{id: bus, label: En avion}")
    assert "choice « bus » of « transport »" in load_paths([survey_file]).refused[0]


def test_changes_without_answers_are_free(app, survey_file):
    load_paths([survey_file])
    edit(survey_file, "{id: bus, label: En bus}", "{id: bus, label: En trottinette électrique}")
    assert load_paths([survey_file]).outcomes == [("every-type", "version 2 (edited)")]


def test_synthetic_answers_do_not_block_edits(app, survey_file):
    load_paths([survey_file])
    store_response(latest(), ANSWERS, channel="synthetic", synthetic=True)
    edit(survey_file, "{id: bus, label: En bus}", "{id: bus, label: En trottinette électrique}")
    assert load_paths([survey_file]).refused == []


def test_a_bad_file_loads_nothing_and_the_others_still_load(app, tmp_path, survey_file):
    broken = Path(__file__).parent / "definitions" / "broken" / "show-if-later.yaml"
    shutil.copy(broken, tmp_path / "broken.yaml")
    report = load_paths([tmp_path])
    assert report.outcomes == [("every-type", "version 1 (new)")]
    assert report.refused and "broken.yaml:21" in report.refused[0]
    assert db.session.scalar(select(Survey.slug).where(Survey.slug == "show-if-later")) is None


def test_load_command_reports_and_exits_nonzero_only_when_strict(app, tmp_path, survey_file):
    shutil.copy(Path(__file__).parent / "definitions" / "broken" / "unknown-type.yaml", tmp_path)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["surveys", "load", str(tmp_path)])
    assert result.exit_code == 0 and "every-type: version 1 (new)" in result.output
    assert "refused:" in result.output and "unknown question type" in result.output
    strict = runner.invoke(args=["surveys", "load", "--strict", str(tmp_path)])
    assert strict.exit_code == 1


def test_an_answer_row_must_hold_a_value(app, survey_file):
    load_paths([survey_file])
    response = store_response(latest(), {})
    db.session.add(Answer(response_id=response.id, question_id="remarks"))
    with pytest.raises(Exception, match=r"has_a_value|CHECK"):
        db.session.flush()
    db.session.rollback()


def test_a_file_that_fails_leaves_the_others_stored_and_says_which(app, tmp_path, monkeypatch):
    """Each file is stored in a savepoint of its own: one that fails halfway (here its first
    write already made) undoes only itself, and the report names exactly the files stored."""
    from app.surveys import services

    first, second, third = (tmp_path / f"{name}.yaml" for name in ("a", "b", "c"))
    for path, slug in ((first, "premier"), (second, "deuxieme"), (third, "troisieme")):
        path.write_text(VALID.read_text("utf-8").replace("slug: every-type", f"slug: {slug}"))
    real = services.newest_version

    def failing(survey):  # the survey row of « deuxieme » is written, then the store fails
        if survey.slug == "deuxieme":
            raise RuntimeError("the database went away")
        return real(survey)

    monkeypatch.setattr(services, "newest_version", failing)
    result = app.test_cli_runner().invoke(args=["surveys", "load", str(tmp_path)])
    assert "premier: version 1 (new)" in result.output
    assert "troisieme: version 1 (new)" in result.output
    assert "deuxieme" not in result.output.replace("b.yaml", "")
    assert "b.yaml: could not be stored (RuntimeError)" in result.output
    db.session.remove()
    slugs = set(db.session.scalars(select(Survey.slug)))
    assert slugs == {"premier", "troisieme"} and versions() == 2
