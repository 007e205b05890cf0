"""Browser fixtures: the app served on 127.0.0.1 in a thread, driven by Playwright in the
system Chromium (ARCHITECTURE.md launch flags). Missing Chromium skips, or fails under CI."""

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from app import create_app
from tests.conftest import make_config, require

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        require("Chromium is not installed (apt-get install -y chromium)")
    return path


@pytest.fixture(scope="session")
def live_server(database_url, tmp_path_factory):
    """Base URL of the app, CSRF on, as a person would meet it."""
    app = create_app(
        make_config(
            database_url,
            WTF_CSRF_ENABLED=True,
            TESTING=False,
            INSTANCE_PATH=str(tmp_path_factory.mktemp("instance")),
        )
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser, javascript: bool):
    context = browser.new_context(
        viewport=PHONE, java_script_enabled=javascript, locale="fr-BE", has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


@pytest.fixture
def page(browser):
    """A phone (390×844) with JavaScript."""
    context, page = _page(browser, javascript=True)
    yield page
    context.close()


@pytest.fixture
def page_nojs(browser):
    """The same phone with JavaScript turned off."""
    context, page = _page(browser, javascript=False)
    yield page
    context.close()


@pytest.fixture
def axe_check():
    """Run axe-core (WCAG 2.1 A/AA rules) on the page; assert zero violations."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        results = axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
            },
        )
        violations = results.response["violations"]
        assert violations == [], results.generate_report()

    return check
