"""Browser fixtures: Playwright's sync API driving the system's Chromium (/usr/bin/chromium).

No browser download: the machine's Chromium is used, and its absence is a failure, not a skip,
so a CI without it cannot pass the map test by not running it.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("WANGGE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the
# database calls the fixtures make from it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: install it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.on("console", lambda msg: msg.type == "error" and errors.append(f"console: {msg.text}"))
    page.on("requestfailed", lambda req: errors.append(f"request failed: {req.url}"))
    yield page
    context.close()
    # A script error or a missing file (Leaflet, the map script) fails the test that met it.
    assert not errors, errors


@pytest.fixture
def default_data(transactional_db):
    """The groups and staffing standard that a data migration creates.

    A transactional test flushes the database when it ends, taking migration data with it, and
    serialized rollback cannot restore it here (Playwright's event loop gives Django another
    connection object); so put it back the way the migration does.
    """
    from django.apps import apps

    importlib.import_module("wangge.people.migrations.0002_defaults").forwards(apps, None)


@pytest.fixture
def logged_in(page, live_server, default_data, cast):
    """A page logged in as the centre's operator, who sees the whole subdistrict."""

    def login(username: str = "operator") -> object:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "pass-word-123")
        page.click(".login-card button[type=submit]")
        page.wait_for_url(f"{live_server.url}/map/")
        return page

    return login


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
