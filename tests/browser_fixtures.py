"""Browser fixtures for every browser test (a pytest plugin, loaded by tests/conftest.py):
Playwright's sync API driving the system's Chromium (/usr/bin/chromium).

No browser download: the machine's Chromium is used, and its absence is a failure, not a skip,
so a CI without it cannot pass the map test by not running it.
"""

from __future__ import annotations

import importlib
import os
import re
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
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

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


LIVE_PUSH = re.compile(r"/events/(\?.*)?$")


def quiet_push(context) -> None:
    """Answer the live push (/events/) with 204, which tells EventSource not to reconnect.

    An open server-sent-events stream would keep a live-server thread reading the database
    after the test ends. A test of the push itself leaves this out.
    """
    context.route(LIVE_PUSH, lambda route: route.fulfill(status=204))


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    quiet_push(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.on("console", lambda msg: msg.type == "error" and errors.append(f"console: {msg.text}"))
    page.on(
        "requestfailed",
        # A live-push stream is cut when the page goes away: that is how it ends, not a failure.
        lambda req: (
            (LIVE_PUSH.search(req.url) and "ABORTED" in (req.failure or ""))
            or errors.append(f"request failed: {req.url}")
        ),
    )
    yield page
    context.close()
    # A script error or a missing file (Leaflet, the map script) fails the test that met it.
    assert not errors, errors


# The data migrations whose rows the tests rely on (groups, staffing standard, tiers, step
# limits, working calendar, the default taxonomy).
DATA_MIGRATIONS = (
    "wangge.people.migrations.0002_defaults",
    "wangge.people.migrations.0005_default_duties",
    "wangge.cases.migrations.0002_defaults",
    "wangge.cases.migrations.0005_default_taxonomy",
    "wangge.field.linkage.migrations.0002_default_rules",
    "wangge.field.alerts.migrations.0002_default_rules",
    "wangge.assessment.migrations.0002_default_schemes",
)


@pytest.fixture
def default_data(transactional_db):
    """Put back what the data migrations create.

    A transactional test flushes the database when it ends, taking migration data with it, and
    serialized rollback cannot restore it here (Playwright's event loop gives Django another
    connection object); so run the migrations' own functions again.
    """
    from django.apps import apps

    for module in DATA_MIGRATIONS:
        migration = importlib.import_module(module)
        forwards = getattr(migration, "forwards", None) or migration.load
        forwards(apps, None)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
