"""Synthetic data for the analysis benchmarks: a 30-question questionnaire (« mobilite » and five
more questions: a number, a short text, a date, a choice and several choices) and N submitted,
real responses to it, written straight into a scratch database.

Not a benchmark itself; used by bench/analysis_time.py.

The answers come from the platform's own generator (app.surveys.demo), which follows the
questionnaire's logic. 2,000 distinct people are generated and repeated with other channels and
dates up to N: the tables are as large as N different people would make them, and generating
100,000 people one by one would take longer than the benchmarks themselves.
"""

import random
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import common
import yaml

SLUG = "banc-trente"
DISTINCT = 2_000
EXTRA_PAGE = {
    "id": "more",
    "title": "Encore quelques questions",
    "questions": [
        {
            "id": "trips_per_week",
            "type": "number",
            "label": "Combien de trajets faites-vous par semaine ?",
            "min": 0,
            "max": 60,
        },
        {"id": "village", "type": "short_text", "label": "Dans quel village habitez-vous ?"},
        {
            "id": "last_trip",
            "type": "date",
            "label": "Quand avez-vous pris le bus la dernière fois ?",
        },
        {
            "id": "licence",
            "type": "single_choice",
            "label": "Avez-vous le permis de conduire ?",
            "choices": [
                {"id": "yes", "label": "Oui"},
                {"id": "no", "label": "Non"},
                {"id": "lost", "label": "Je l'ai perdu"},
            ],
        },
        {
            "id": "helpers",
            "type": "multiple_choice",
            "label": "Qui vous conduit parfois ?",
            "choices": [
                {"id": "family", "label": "Ma famille"},
                {"id": "neighbours", "label": "Des voisins"},
                {"id": "volunteers", "label": "Des bénévoles"},
                {"id": "taxi", "label": "Un taxi social"},
            ],
        },
    ],
}


def questionnaire(folder: Path) -> Path:
    source = yaml.safe_load((common.ROOT / "surveys" / "mobilite.yaml").read_text())
    source |= {"slug": SLUG, "title": "Banc d'essai : trente questions"}
    source["pages"].append(EXTRA_PAGE)
    path = folder / f"{SLUG}.yaml"
    path.write_text(yaml.safe_dump(source, allow_unicode=True, sort_keys=False))
    return path


def populate(database_url: str, instance: str, count: int, seed: int = 2026):
    """Migrate, load, and write `count` responses; returns the app (with its 30 questions)."""
    common.prepare(database_url, instance)
    app = common.make_app(database_url, instance)
    with app.app_context():
        from sqlalchemy import delete, select

        from app.extensions import db
        from app.surveys import queries
        from app.surveys.demo import generate
        from app.surveys.models import (
            AnswerTally,
            QuestionTally,
            Response,
            ResponseTally,
            SurveyVersion,
            WordTally,
        )
        from app.surveys.services import answer_values, load_paths

        with tempfile.TemporaryDirectory() as folder:
            report = load_paths([questionnaire(Path(folder))])
        db.session.commit()
        found = queries.current(SLUG)
        assert found is not None, report
        definition = found.definition
        asked = [q for q in definition.questions() if q.asks]
        assert len(asked) == 30, len(asked)
        versions = select(SurveyVersion.id).where(SurveyVersion.survey_id == found.survey.id)
        db.session.execute(delete(Response).where(Response.version_id.in_(versions)))
        for tally in (AnswerTally, QuestionTally, WordTally, ResponseTally):  # and their counts
            db.session.execute(delete(tally).where(tally.survey_id == found.survey.id))
        db.session.commit()
        people = [answer_values(definition, a) for a in generate(definition, DISTINCT, seed)]
        version_id = found.version.id
        start = db.session.scalar(select(db.func.coalesce(db.func.max(Response.id), 0))) + 1
        _write(db, version_id, people, start, count, seed)
    return app, definition


def _write(db, version_id: int, people: list, start: int, count: int, seed: int) -> None:
    rng = random.Random(seed)
    opened = datetime(2026, 11, 16, 9, tzinfo=UTC)
    channels = ("web", "web", "web", "kiosk", "paper")
    responses, answers = [], []
    for i in range(count):
        rid = start + i
        at = opened + timedelta(minutes=rng.randrange(0, 60 * 24 * 160))
        responses.append((rid, version_id, channels[i % 5], False, at, at))
        for row in people[i % len(people)]:
            answers.append(row | {"response_id": rid})
    from sqlalchemy import insert, text

    from app.surveys.models import Answer, Response

    names = ("id", "version_id", "channel", "synthetic", "created_at", "submitted_at")
    connection = db.session.connection()
    connection.execute(insert(Response), [dict(zip(names, r, strict=True)) for r in responses])
    connection.execute(insert(Answer), answers)
    # Their counts, as the submissions would have made them one by one (surveys.tallies).
    from app.surveys import tallies
    from app.surveys.models import SurveyVersion

    version = db.session.get(SurveyVersion, version_id)
    by_response: dict[int, list] = {}
    for row in answers:
        by_response.setdefault(row["response_id"], []).append(row)
    counted = tallies.responses_counted(
        (version.model, by_response.get(rid, []), channel, at)
        for rid, _version, channel, _synthetic, _created, at in responses
    )
    tallies.write(version.survey_id, counted, +1)
    if connection.dialect.name == "postgresql":  # ids were given: the sequence moves past them
        connection.execute(
            text("SELECT setval(pg_get_serial_sequence('responses', 'id'), max(id)) FROM responses")
        )
    db.session.commit()
    if connection.dialect.name == "postgresql":
        # What autovacuum does after a bulk load, done now: without statistics the planner reads
        # the 3.5 million answers in full for each chunk of an export (0.3 s against 0.04 s),
        # and without the visibility map it reads the table beside the index of answers.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as autocommit:
            autocommit.execute(text("VACUUM ANALYZE responses, answers"))
