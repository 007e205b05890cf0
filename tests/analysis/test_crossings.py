"""The crossings that groups, weighting, maps by answer and fact sheets are made of
(analysis.counting.crossings) equal a cross-tabulation made again response by response from the
stored answers, read by the question types themselves: whatever was sent or deleted between two
readings, when a later version of the questionnaire adds a question, and while other requests
send and delete responses during a reading."""

import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.analysis.results.crosstab import counted
from app.analysis.results.figures import figures_for
from app.analysis.results.labels import NOT_ANSWERED
from app.extensions import db
from app.respond import codes
from app.respond.services import DELETED, delete_submitted
from app.surveys.demo import generate
from app.surveys.models import Answer, Response, SurveyVersion
from app.surveys.queries import current, newest_version
from app.surveys.services import load_paths, store_response, stored_rows
from app.territory.queries import communes
from tests.analysis.helpers import forget_responses
from tests.conftest import EVERY_TYPE

CHANNELS = ("web", "kiosk", "paper")
OPENED = datetime(2026, 3, 20, 9, tzinfo=UTC)


def send(found, count: int, seed: int) -> list[str]:
    """`count` people answering (the platform's generator), on several days and channels; their
    deletion codes."""
    version = newest_version(found.survey)
    sent = []
    for i, answers in enumerate(generate(found.definition, count, seed)):
        moment = OPENED + timedelta(days=(seed * 7 + i * 41) % 200)
        response = store_response(
            version, answers, channel=CHANNELS[(seed + i) % 3], submitted_at=moment
        )
        sent.append(codes.new_code())
        response.deletion_hash = codes.code_hash("delete", codes.normalise(sent[-1]))
    db.session.commit()
    return sent


def category(found, key: str, response: Response, given: dict) -> str:
    """The response's category for a breakdown, as the views read it before the pairs."""
    if key == "channel":
        return response.channel
    if key == "period":  # the quarter in UTC (SQLite gives the time back without its zone)
        at = response.submitted_at
        at = at.astimezone(UTC) if at.tzinfo else at
        return f"{at.year}-{(at.month + 2) // 3}"
    definition = found.definition
    if key == "commune":
        place = next(q for q in definition.questions() if q.type == "place")
        value = place.from_rows(given.get(place.id, [])).get(place.id)
        if value is None:
            return NOT_ANSWERED
        return value.nis if value.nis in {c.nis for c in communes()} else value.kind
    question_id, _dot, row = key.partition(".")
    question = definition.question(question_id)
    value = question.from_rows(given.get(question_id, [])).get(question_id)
    if question.type == "matrix":
        value = (value or {}).get(row)
    return NOT_ANSWERED if value is None else str(value)


def made_again(found, offered: dict) -> list[dict]:
    """Each real response's category for every breakdown, in the order of their ids."""
    real = db.session.scalars(
        select(Response)
        .join(SurveyVersion, SurveyVersion.id == Response.version_id)
        .where(
            SurveyVersion.survey_id == found.survey.id,
            Response.submitted_at.is_not(None),
            Response.synthetic.is_(False),
        )
        .order_by(Response.id)
    )
    made = []
    for response in real:
        given: dict[str, list] = {}
        for row in stored_rows(response.id):
            given.setdefault(row["question_id"], []).append(row)
        made.append({key: category(found, key, response, given) for key in offered})
    return made


def crossed(offered: dict, made: list[dict], rows: str, columns: str) -> dict:
    counts = {r: dict.fromkeys(offered[columns].categories, 0) for r in offered[rows].categories}
    for categories in made:
        counts[categories[rows]][categories[columns]] += 1
    return counts


def every_crossing(app, found) -> list[tuple]:
    """Each pair of breakdowns (areas and provinces are sums of communes), with the counts the
    views read and the counts made again."""
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        figures = figures_for(found, crossings=True)
        offered = {k: b for k, b in figures.offered.items() if b.members is None}
        made = made_again(found, offered)
        alone = figures.crossings.alone()
        for breakdown in offered.values():  # the groups' members are found from the counts
            assert figures.counted.tokens(breakdown.source) == set(alone.get(breakdown.source, {}))
        return [
            (
                (rows, columns),
                counted(offered[rows], offered[columns], figures.crossings),
                crossed(offered, made, rows, columns),
            )
            for rows in offered
            for columns in offered
            if rows != columns
        ]


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10_000),
    count=st.integers(0, 30),
    more=st.integers(0, 10),
    deleted=st.lists(st.integers(0, 1000), max_size=4),
)
def test_every_crossing_counts_each_response_once_as_it_answered(
    app, survey, seed, count, more, deleted
):
    forget_responses()
    sent = send(survey, count, seed) + send(survey, more, seed + 1)
    for pick in deleted:
        if sent:  # deleted with the deletion code, as people do
            assert delete_submitted(survey.survey.id, sent.pop(pick % len(sent))) == DELETED
    db.session.commit()
    ids = list(db.session.scalars(select(Response.id).order_by(Response.id)))
    crossings = every_crossing(app, survey)
    assert len(crossings) == 90  # commune, channel, period, 4 questions, 3 matrix rows
    for pair, read, expected in crossings:
        assert read == expected, pair
    total = sum(sum(row.values()) for row in crossings[0][1].values())
    assert total == len(ids)


def test_a_question_added_by_a_later_version_is_crossed_too(app, survey, tmp_path):
    send(survey, 25, seed=3)  # the first 25 answered without the new question
    source = yaml.safe_load(EVERY_TYPE.read_text())
    source["pages"][0]["questions"].append(
        {
            "id": "tenure",
            "type": "single_choice",
            "label": "Êtes-vous propriétaire ?",
            "choices": [{"id": "owner", "label": "Oui"}, {"id": "tenant", "label": "Non"}],
        }
    )
    edited = tmp_path / "every-type.yaml"
    edited.write_text(yaml.safe_dump(source, allow_unicode=True, sort_keys=False))
    assert not load_paths([edited]).refused
    db.session.commit()
    found = current("every-type")
    assert found.definition.question("tenure") is not None
    send(found, 15, seed=4)
    crossings = every_crossing(app, found)
    tenure = [(pair, read, expected) for pair, read, expected in crossings if "tenure" in pair]
    assert tenure
    for pair, read, expected in tenure:
        assert read == expected, pair
    by_age = next(read for pair, read, _ in tenure if pair == ("tenure", "age_band"))
    assert sum(by_age[NOT_ANSWERED].values()) >= 25  # the earlier responses: not answered
    assert Counter(c for c in by_age if sum(by_age[c].values())) - Counter([NOT_ANSWERED])


def test_the_free_text_answers_of_each_group_are_those_of_its_people(
    app, survey, client, make_user, login
):
    from html import unescape

    from app.analysis.results.groups import choices

    send(survey, 200, seed=11)
    login(make_user("committee", two_factor=True))  # texts: response-level data
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        figures = figures_for(survey)
        groups = [group for found in choices(figures).values() for group in found]
        offered = figures.offered
        made = made_again(survey, {k: b for k, b in offered.items() if b.members is None})
    texts = dict(
        db.session.execute(
            select(Answer.response_id, Answer.text).where(
                Answer.question_id == "why_no_car", Answer.text.is_not(None)
            )
        ).all()
    )
    ids = list(db.session.scalars(select(Response.id).order_by(Response.id)))
    kinds = {group.key for group in groups}
    assert {"commune", "channel", "period", "age_band", "bus_satisfaction", "access.gp"} <= kinds
    assert any(group.category == NOT_ANSWERED for group in groups)
    for group in groups:
        by = offered[group.key]
        if by.members is None:
            people = [
                rid for rid, c in zip(ids, made, strict=True) if c[group.key] == group.category
            ]
        else:  # an area or province: its communes' people
            wanted = by.members[group.category]
            people = [rid for rid, c in zip(ids, made, strict=True) if c["commune"] in wanted]
        expected = [texts[rid] for rid in sorted(people, reverse=True) if rid in texts]
        html = unescape(
            client.get(
                f"/analyse/every-type/textes?question=why_no_car&filtre={group.value}"
            ).get_data(as_text=True)
        )
        total = re.search(r'<p role="status">(\d+) réponses?', html)
        assert int(total.group(1)) == len(expected), group
        assert re.findall(r"<blockquote>([^<]*)</blockquote>", html) == expected[:50], group


def test_a_quarter_lists_the_texts_of_the_people_it_counts(app, survey, client, make_user, login):
    """Responses sent around midnight at the turn of a quarter (in Belgium, already the next
    one): a quarter's group holds the people the tallies count in it (UTC, on both databases)."""
    version = newest_version(survey.survey)
    moments = [
        datetime(2026, 3, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2026, 4, 1, 0, 0, tzinfo=UTC),
        datetime(2026, 6, 30, 22, 15, tzinfo=UTC),
        datetime(2026, 1, 15, 10, tzinfo=UTC),
    ]
    for i in range(60):
        answers = {"why_no_car": f"texte {i}", "has_car": "no"}
        store_response(version, answers, submitted_at=moments[i % 4])
    db.session.commit()
    login(make_user("committee", two_factor=True))  # texts: response-level data
    by_quarter = {"2026-1": 30, "2026-2": 30}
    for period, count in by_quarter.items():
        html = client.get(
            f"/analyse/every-type/textes?question=why_no_car&filtre=period:{period}"
        ).get_data(as_text=True)
        assert re.search(r'<p role="status">(\d+) ', html).group(1) == str(count), period


def test_responses_sent_and_deleted_during_a_reading_are_not_in_it(app, survey, monkeypatch):
    """Other requests send and delete responses while a page is read: the counts, the one-way
    tables and the crossings all stay of the responses as they were when the reading began (a
    crossing's margins that were not its sums made a 500 before: the protection refuses it)."""
    from app.analysis.counting import crossings
    from app.analysis.results.crosstab import crosstab

    sent = send(survey, 40, seed=1)
    real_read = crossings.read
    meanwhile = []

    def read_after_others_wrote(connection, survey_id, questions):
        if not meanwhile:  # between this reading's counts and its crossings
            meanwhile.append(1)
            send(survey, 12, seed=2)
            for code in sent[:5]:
                assert delete_submitted(survey_id, code) == DELETED
            db.session.commit()
        return real_read(connection, survey_id, questions)

    monkeypatch.setattr(crossings, "read", read_after_others_wrote)
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        figures = figures_for(survey, crossings=True)
        assert meanwhile and figures.responses == 40 and figures.crossings.size == 40
        for rows, columns in (("channel", "has_car"), ("age_band", "commune"), ("period", "area")):
            table = crosstab(figures.offered, figures.crossings, rows, columns, figures.k)
            assert table.grid.total.count == 40, (rows, columns)
        assert figures_for(survey, crossings=True).responses == 47  # the next reading
