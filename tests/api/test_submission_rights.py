"""Who may send whole responses through the API: anyone their own answers (« web »), within a
rate limit; paper and tablet answers only with a staff token. A replay gets a new deletion code."""

from datetime import timedelta

from sqlalchemy import select, update

from app.accounts import tokens
from app.extensions import db
from app.respond import codes
from app.surveys.models import Response
from tests.api.test_surveys_api import ANSWERS, RESPONSES, conforms

URL = "/api/v1/surveys/every-type/responses"


def post(client, body, key="rights-0001", token=None):
    headers = {"Idempotency-Key": key}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return client.post(URL, json=body, headers=headers)


def token_of(user) -> str:
    _token, plain = tokens.issue(user, "Saisie papier")
    db.session.commit()
    return plain


def channels() -> list[str]:
    return list(db.session.scalars(select(Response.channel).order_by(Response.id)))


def test_anonymous_answers_are_web_answers(client, survey):
    sent = post(client, {"answers": ANSWERS})
    assert sent.status_code == 201 and channels() == ["web"]


def test_paper_or_kiosk_answers_need_a_staff_token(client, survey, make_user):
    for channel in ("paper", "kiosk"):
        refused = post(client, {"answers": ANSWERS, "channel": channel}, key=f"anon-{channel}1")
        assert refused.status_code == 401, channel
        assert "facilitator" in conforms(refused, RESPONSES, "post")["error"]["message"]
    assert channels() == []
    partner = token_of(make_user("partner"))
    assert post(client, {"answers": ANSWERS, "channel": "paper"}, token=partner).status_code == 403
    wrong = post(client, {"answers": ANSWERS}, token="pisem_made-up-token")
    assert wrong.status_code == 401 and channels() == []
    facilitator = token_of(make_user("facilitator"))
    typed = post(client, {"answers": ANSWERS, "channel": "paper"}, token=facilitator)
    assert typed.status_code == 201 and channels() == ["paper"]


def test_anonymous_submissions_are_rate_limited_per_client(app, client, survey, make_user):
    app.config["API_SUBMIT_RATE_LIMIT"] = "3 per minute"
    for i in range(3):
        assert post(client, {"answers": ANSWERS}, key=f"hall-{i:04}").status_code == 201
    refused = post(client, {"answers": ANSWERS}, key="hall-0003")
    assert refused.status_code == 429
    # Another address (another hall) is not held back; nor is a facilitator's token.
    elsewhere = app.test_client()
    other = elsewhere.post(
        URL,
        json={"answers": ANSWERS},
        headers={"Idempotency-Key": "hall-0004"},
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    )
    assert other.status_code == 201
    staff = token_of(make_user("facilitator"))
    assert post(client, {"answers": ANSWERS}, key="hall-0005", token=staff).status_code == 201
    assert len(channels()) == 5


def test_a_replay_gets_a_new_deletion_code_that_deletes(client, survey):
    first = post(client, {"answers": ANSWERS}).get_json()["deletion_code"]
    again = post(client, {"answers": ANSWERS}).get_json()["deletion_code"]  # the 201 was lost
    assert again and again != first
    void = client.post("/s/every-type/supprimer", data={"code": first, "confirm": "yes"})
    assert void.status_code == 400 and len(channels()) == 1  # the first code no longer works
    done = client.post("/s/every-type/supprimer", data={"code": again, "confirm": "yes"})
    assert done.status_code == 200 and channels() == []


def test_a_late_replay_gets_no_code(client, survey):
    first = post(client, {"answers": ANSWERS}).get_json()["deletion_code"]
    stored = db.session.scalar(select(Response))
    db.session.execute(
        update(Response).values(submitted_at=stored.submitted_at - timedelta(hours=25))
    )
    db.session.commit()
    late = post(client, {"answers": ANSWERS})
    assert late.status_code == 200 and late.get_json()["deletion_code"] is None
    kept = db.session.scalar(select(Response.deletion_hash))
    assert kept == codes.code_hash("delete", first)  # the first code still deletes
