"""With Redis, rate limits are shared by every process and host (TEST_REDIS_URL)."""

import uuid

import pytest

from app import create_app
from tests.conftest import FreshContextClient, make_config, redis_url

pytestmark = pytest.mark.redis


def test_login_limits_are_shared_across_processes_through_redis(database_url, tmp_path, make_user):
    url = redis_url()
    user = make_user("partner")
    shared = {
        "REDIS_URL": url,
        "RATELIMIT_STORAGE_URI": url,
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
    }
    apps = [
        create_app(make_config(database_url, INSTANCE_PATH=str(tmp_path / str(i)), **shared))
        for i in range(2)
    ]
    for a in apps:
        a.test_client_class = FreshContextClient
    first, second = (a.test_client() for a in apps)
    form = {"email": user.email, "password": "wrong"}
    assert [first.post("/connexion", data=form).status_code for _ in range(5)] == [400] * 5
    assert second.post("/connexion", data=form).status_code == 429


def test_healthz_reports_redis(database_url, tmp_path):
    url = redis_url()
    app = create_app(make_config(database_url, REDIS_URL=url, INSTANCE_PATH=str(tmp_path)))
    assert app.test_client().get("/healthz").get_json()["redis"] == "ok"
    down = create_app(
        make_config(database_url, REDIS_URL="redis://127.0.0.1:1/0", INSTANCE_PATH=str(tmp_path))
    )
    response = down.test_client().get("/healthz")
    assert response.status_code == 200 and response.get_json()["redis"] == "unreachable"
