"""The demo's map in a real browser: the 15 grids of 洛龙街道, each labelled with its name."""

from __future__ import annotations

import pytest

from wangge.demo import data
from wangge.demo.builder import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_demo_map_shows_the_15_labelled_grids(page, live_server, default_data, artifacts):
    build()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "wangge-admin")
    page.click(".login-card button[type=submit]")
    page.wait_for_url(f"{live_server.url}/map/")
    page.wait_for_selector(".grid-map.ready")
    labels = page.locator(".grid-label")
    labels.first.wait_for()
    expected = sorted(name for _, _, _, grids in data.COMMUNITIES for name in grids)
    assert len(expected) == 15
    assert sorted(labels.all_inner_texts()) == expected
    assert page.locator(".leaflet-overlay-pane path").count() == 15
    page.screenshot(path=str(artifacts / "demo-map.png"))
