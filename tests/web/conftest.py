"""The map tests' login helper; the browser fixtures are tests/browser_fixtures.py."""

from __future__ import annotations

import pytest


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
