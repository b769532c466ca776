"""Browser fixtures for the case pages: tests/web's (Playwright on the system's Chromium).

``page`` and ``artifacts`` are tests/web's own. ``browser`` is started here per module rather
than re-exported: a second session-scoped Playwright would still be running when tests/web
starts its own, and Playwright's sync API allows one per thread. (Moving the browser fixtures
to tests/conftest.py would let both share one.)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, artifacts, page  # noqa: F401 (fixtures)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: install it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
