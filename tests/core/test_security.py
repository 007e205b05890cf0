import logging
import re

import pytest

from app import create_app
from tests.conftest import make_config


def test_content_security_policy_uses_a_nonce_and_no_unsafe_inline(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert f'nonce="{nonce}"' in response.get_data(as_text=True)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert client.get("/").headers["Content-Security-Policy"] != csp  # a new nonce each time
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_hsts_only_in_production(client, database_url, tmp_path):
    assert "Strict-Transport-Security" not in client.get("/").headers
    prod = create_app(make_config(database_url, APP_ENV="production", INSTANCE_PATH=str(tmp_path)))
    assert "max-age=" in prod.test_client().get("/healthz").headers["Strict-Transport-Security"]


def test_a_forged_host_header_is_refused(client):
    response = client.get("/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "evil.example" not in response.get_data(as_text=True)


def test_trusted_hosts_come_from_the_environment(monkeypatch, database_url, tmp_path):
    monkeypatch.setenv("TRUSTED_HOSTS", "concertation.example.be, www.concertation.example.be")
    app = create_app(make_config(database_url, INSTANCE_PATH=str(tmp_path)))
    c = app.test_client()
    assert c.get("/healthz", headers={"Host": "concertation.example.be"}).status_code == 200
    assert c.get("/healthz", headers={"Host": "localhost"}).status_code == 400


@pytest.fixture
def csrf_client(database_url, tmp_path):
    app = create_app(make_config(database_url, WTF_CSRF_ENABLED=True, INSTANCE_PATH=str(tmp_path)))
    return app.test_client()


def test_a_post_without_csrf_token_is_refused_with_a_message(csrf_client):
    response = csrf_client.post(
        "/connexion", data={"email": "a@b.be", "password": "x"}, headers={"Accept-Language": "fr"}
    )
    assert response.status_code == 400
    assert "Rechargez la page" in response.get_data(as_text=True)
    forged = csrf_client.post("/langue", data={"lang": "nl", "csrf_token": "forged"})
    assert forged.status_code == 400 and "lang=nl" not in forged.headers.get("Set-Cookie", "")


def test_a_post_with_the_page_token_works(csrf_client):
    html = csrf_client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    response = csrf_client.post("/langue", data={"lang": "de", "next": "/", "csrf_token": token})
    assert response.status_code == 302 and "lang=de" in response.headers["Set-Cookie"]


def test_state_changing_routes_refuse_get(app):
    # Every route that accepts POST must not change anything on GET: the ones that only exist to
    # change state accept no GET at all; forms that show themselves on GET are listed here.
    forms_shown_on_get = {
        "accounts.login",
        "accounts.login_code",
        "accounts.two_factor_setup",
        "accounts.account",
        "admin.users",
        "admin.partner_scope",
        "respond.page",
        "respond.resume",
        "respond.delete",
    }
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and rule.endpoint not in forms_shown_on_get:
            assert "GET" not in rule.methods, rule


def test_no_ip_address_is_logged(client, make_user, caplog):
    user = make_user("partner")
    address = "203.0.113.77"
    with caplog.at_level(logging.DEBUG):
        client.get("/nope", environ_base={"REMOTE_ADDR": address})
        client.post(
            "/connexion",
            data={"email": user.email, "password": "x"},
            environ_base={"REMOTE_ADDR": address},
        )
        client.get("/admin/utilisateurs", environ_base={"REMOTE_ADDR": address})
    assert all(address not in record.getMessage() for record in caplog.records)


def test_no_column_can_hold_an_ip_address(app):
    from app.extensions import db

    columns = [c.name for t in db.metadata.tables.values() for c in t.columns]
    assert not [c for c in columns if re.search(r"(^|_)(ip|ip_address|remote_addr|addr)($|_)", c)]


def test_gunicorn_access_log_has_no_client_address():
    from app import gunicorn_conf

    assert "%(h)s" not in gunicorn_conf.access_log_format
    assert "%(a)s" not in gunicorn_conf.access_log_format  # user agent
    assert "%(q)s" not in gunicorn_conf.access_log_format  # query string


PRIVATE = (
    "/compte",
    "/analyse/",
    "/analyse/every-type",
    "/analyse/every-type?filtre=channel:web",
    "/analyse/every-type/croiser?lignes=commune&colonnes=has_car",
    "/analyse/every-type/profil/93014",
    "/analyse/every-type/textes?question=why_no_car",
    "/analyse/every-type/tableaux.csv",
    "/analyse/every-type/tableaux.xlsx",
    "/analyse/every-type/reponses.csv",
    "/analyse/every-type/reponses.xlsx",
    "/analyse/every-type/reponses.sav",
)


def test_private_pages_and_exports_are_never_stored_by_a_cache(client, survey, make_user, login):
    """A browser's cache or a proxy must not keep a committee member's pages or files: a shared
    computer's next user would find them in the history or the back button."""
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    login(make_user("committee", two_factor=True))  # the response-level exports need it
    for path in PRIVATE:
        response = client.get(path)
        # a group or a fact sheet with nobody in it yet is refused (400), and is private too
        assert response.status_code in (200, 400), path
        assert response.headers.get("Cache-Control") == "no-store", path
    # The site's code and styles stay cacheable: staff on weak connections load them once.
    assert "no-store" not in client.get("/static/css/site.css").headers.get("Cache-Control", "")
    plotly = client.get("/analyse/plotly.min.js")
    assert plotly.status_code == 200 and "max-age=86400" in plotly.headers["Cache-Control"]
    client.post("/deconnexion")
    login(make_user("admin", email="admin@example.be"))
    response = client.get("/admin/utilisateurs")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"


def test_the_results_api_is_never_stored_by_a_cache(client, survey, make_user):
    from app.accounts import tokens
    from app.extensions import db

    _token, plain = tokens.issue(make_user("committee"), "observatory")
    db.session.commit()
    response = client.get(
        "/api/v1/surveys/every-type/results", headers={"Authorization": f"Bearer {plain}"}
    )
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
