"""The counts that crossings, groups, weighting and maps by answer read (analysis.pairs) equal a
cross-tabulation made again response by response from the stored answers, read by the question
types themselves: whatever was sent, deleted or added between two readings, and when a later
version of the questionnaire adds a question."""

import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from app.analysis import tallies
from app.analysis.crosstab import NOT_ANSWERED, counted
from app.analysis.queries import quarter
from app.analysis.wording import material_for
from app.extensions import db
from app.respond.queries import current
from app.surveys.demo import generate
from app.surveys.models import Answer, Response, SurveyVersion
from app.surveys.services import latest_version, load_paths, store_response
from app.surveys.types.place import PlaceQuestion
from app.surveys.types.scale import Matrix
from app.territory.queries import communes
from tests.conftest import EVERY_TYPE

CHANNELS = ("web", "kiosk", "paper")
OPENED = datetime(2026, 3, 20, 9, tzinfo=UTC)


def send(found, count: int, seed: int) -> None:
    version = latest_version(found.survey)
    for i, answers in enumerate(generate(found.definition, count, seed)):
        response = store_response(version, answers, channel=CHANNELS[(seed + i) % 3])
        response.submitted_at = OPENED + timedelta(days=(seed * 7 + i * 41) % 200)
    db.session.commit()


def category(found, key: str, response: Response, given: dict) -> str:
    """The response's category for a breakdown, as the views read it before the pairs."""
    if key == "channel":
        return response.channel
    if key == "period":
        return quarter(response.submitted_at)
    definition = found.definition
    if key == "commune":
        place = next(q for q in definition.questions() if isinstance(q, PlaceQuestion))
        value = place.from_rows(given.get(place.id, [])).get(place.id)
        if value is None:
            return NOT_ANSWERED
        return value.nis if value.nis in {c.nis for c in communes()} else value.kind
    question_id, _dot, row = key.partition(".")
    question = definition.question(question_id)
    value = question.from_rows(given.get(question_id, [])).get(question_id)
    if isinstance(question, Matrix):
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
        for answer in response.answers:
            given.setdefault(answer.question_id, []).append(answer.as_row())
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
        material = material_for(found)
        offered = {k: b for k, b in material.offered.items() if b.members is None}
        made = made_again(found, offered)
        return [
            (
                (rows, columns),
                counted(offered[rows], offered[columns], material.pairs),
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
    db.session.execute(delete(Answer))
    db.session.execute(delete(Response))
    tallies._restart(survey.survey.id)
    db.session.commit()
    send(survey, count, seed)
    tallies.up_to_date(survey.survey.id)  # counted at once, then a few at a time
    send(survey, more, seed + 1)
    ids = list(db.session.scalars(select(Response.id).order_by(Response.id)))
    for pick in deleted:
        if ids:  # as a deletion with the deletion code does: taken out, then deleted
            rid = ids.pop(pick % len(ids))
            tallies.unfold(rid, survey.survey.id)
            db.session.execute(delete(Response).where(Response.id == rid))
    db.session.commit()
    crossings = every_crossing(app, survey)
    assert len(crossings) == 90  # commune, channel, period, 4 questions, 3 matrix rows
    for pair, read, expected in crossings:
        assert read == expected, pair
    total = sum(sum(row.values()) for row in crossings[0][1].values())
    assert total == len(ids)


def test_a_question_added_by_a_later_version_needs_no_recount(app, survey, tmp_path):
    send(survey, 25, seed=3)
    tallies.up_to_date(survey.survey.id)  # the first 25 counted without the new question
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

    from app.analysis.filtered import choices

    send(survey, 200, seed=11)
    login(make_user("committee"))
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        material = material_for(survey)
        groups = [group for found in choices(material).values() for group in found]
        offered = material.offered
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
    version = latest_version(survey.survey)
    moments = [
        datetime(2026, 3, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2026, 4, 1, 0, 0, tzinfo=UTC),
        datetime(2026, 6, 30, 22, 15, tzinfo=UTC),
        datetime(2026, 1, 15, 10, tzinfo=UTC),
    ]
    for i in range(60):
        sent = store_response(version, {"why_no_car": f"texte {i}", "has_car": "no"})
        sent.submitted_at = moments[i % 4]
    db.session.commit()
    login(make_user("committee"))
    by_quarter = {"2026-1": 30, "2026-2": 30}
    for period, count in by_quarter.items():
        html = client.get(
            f"/analyse/every-type/textes?question=why_no_car&filtre=period:{period}"
        ).get_data(as_text=True)
        assert re.search(r'<p role="status">(\d+) ', html).group(1) == str(count), period


def test_responses_counted_meanwhile_do_not_mix_two_states_of_the_counts(app, survey, monkeypatch):
    """Another process counts new responses while a page is read: a crossing's margins (the
    dashboard's one-way tables) and its cells stay of the same responses (the protection
    refuses a table whose margins are not its own sums: a review made that a 500)."""
    from app.analysis.crosstab import crosstab
    from app.analysis.pairs import Pairs

    send(survey, 40, seed=1)
    tallies.up_to_date(survey.survey.id)
    real_read = Pairs.read
    meanwhile = []

    def read_after_another_fold(survey_id):
        if not meanwhile:  # between this reading's tallies and its pairs
            meanwhile.append(1)
            send(survey, 12, seed=2)
            tallies.up_to_date(survey_id)
        return real_read(survey_id)

    monkeypatch.setattr(Pairs, "read", staticmethod(read_after_another_fold))
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        material = material_for(survey)
        assert meanwhile and material.responses == 52  # read again, both
        send(survey, 5, seed=3)
        tallies.up_to_date(survey.survey.id)  # after the reading: not in it
        for rows, columns in (("channel", "has_car"), ("age_band", "commune"), ("period", "area")):
            table = crosstab(material.offered, material.pairs, rows, columns, material.k)
            assert table.grid.total.count == 52, (rows, columns)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(["@channel", "@period", "age_band", "access.gp", "commune", "z"]),
            st.sampled_from(["a", "b", "3", "56088", "dont_know"]),
        ),
        max_size=80,
    )
)
def test_pairs_counted_one_by_one_and_in_bulk_agree(responses):
    """A few responses (a deletion, a few new ones) are counted in plain Python, a bulk import
    with numpy: both count the same."""
    from app.analysis.pairs import _pairs_in_bulk, _pairs_one_by_one

    assert _pairs_one_by_one(responses) == _pairs_in_bulk(responses)
