"""Login limits slow guessing without letting a third party lock the owner out; with Redis they
are shared by every worker."""

import pytest

from app import create_app
from tests.conftest import FreshContextClient, make_config, redis_url

OWNER, ATTACKER = "198.51.100.7", "203.0.113.66"
PASSWORD = "correct horse battery"


def attempt(client, email, password="wrong", address=ATTACKER):
    return client.post(
        "/connexion",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    ).status_code


def test_another_clients_failures_do_not_lock_the_owner_out(client, make_user):
    user = make_user("committee")
    tried = [attempt(client, user.email) for _ in range(6)]
    assert tried[:5] == [400] * 5 and tried[5] == 429  # the attacker is slowed down
    assert attempt(client, user.email, PASSWORD, address=OWNER) == 302  # the owner is not


def test_one_client_is_still_limited_across_accounts(client, make_user):
    """LOGIN_RATE_LIMIT (10 a minute) per client, whatever the accounts it tries."""
    emails = [f"someone-{i}@example.be" for i in range(11)]
    tried = [attempt(client, email) for email in emails]
    assert tried[:10] == [400] * 10 and tried[10] == 429


def test_the_limit_keys_never_hold_the_address_or_the_email(app, client, make_user):
    from app.extensions import limiter

    user = make_user("committee")
    attempt(client, user.email)
    storage = limiter._storage.storage  # memory:// in the tests: a dict of keys
    keys = " ".join(storage)
    assert keys and ATTACKER not in keys and user.email not in keys


WORKER = """
import json, sys
from app import create_app
from tests.conftest import make_config

database_url, redis_url, prefix, email, address, tries = sys.argv[1:7]
config = make_config(database_url, REDIS_URL=redis_url, RATELIMIT_KEY_PREFIX=prefix)
config.pop("RATELIMIT_STORAGE_URI")  # derived from REDIS_URL, as in production
client = create_app(config).test_client()
print(json.dumps([
    client.post(
        "/connexion",
        data={"email": email, "password": "wrong"},
        environ_base={"REMOTE_ADDR": address},
    ).status_code
    for _ in range(int(tries))
]))
"""


@pytest.mark.redis
def test_workers_sharing_redis_share_the_login_limit(database_url, tmp_path, make_user):
    """Two worker processes (this one and a child) count one account's failures together:
    only Redis can carry the count from one to the other."""
    import json
    import subprocess
    import sys

    from app.extensions import limiter
    from tests.conftest import project_root

    url = redis_url()
    user = make_user("committee")
    config = make_config(database_url, INSTANCE_PATH=str(tmp_path), REDIS_URL=url)
    config.pop("RATELIMIT_STORAGE_URI")
    first = create_app(config)
    first.test_client_class = FreshContextClient
    assert first.config["RATELIMIT_STORAGE_URI"] == url
    with first.app_context():
        here = [attempt(first.test_client(), user.email) for _ in range(3)]
    assert here == [400] * 3
    # Flask-Limiter keeps the key prefix of the first app made in a process: the child uses it.
    prefix = limiter._key_prefix
    child = subprocess.run(
        [sys.executable, "-c", WORKER, database_url, url, prefix, user.email, ATTACKER, "3"],
        cwd=project_root(),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(child.stdout.strip().splitlines()[-1]) == [400, 400, 429]
