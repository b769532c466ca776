"""The map in a real browser: the grids are drawn, labelled and open their popups."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_map_labels_every_grid_and_opens_a_popup(logged_in, live_server, cast, artifacts):
    page = logged_in("operator")
    page.wait_for_selector(".grid-map.ready")
    labels = page.locator(".grid-label")
    labels.first.wait_for()
    assert labels.count() == 3
    names = sorted(labels.all_inner_texts())
    assert names == sorted(["吴家营社区东网格", "吴家营社区西网格", "洛龙社区南网格"])
    assert page.locator(".grid-label.grid-label-hidden").count() == 0  # none crowded out
    codes = sorted(labels.evaluate_all("els => els.map(e => e.dataset.code)"))
    assert codes == sorted([cast.east.code, cast.west.code, cast.south.code])
    # Three polygons drawn in SVG, coloured by community.
    assert page.locator(".leaflet-overlay-pane path").count() == 3

    page.locator(f'.grid-label[data-code="{cast.east.code}"]').click()
    popup = page.locator(".leaflet-popup .grid-popup")
    popup.wait_for()
    text = popup.inner_text()
    assert "吴家营社区东网格" in text
    assert cast.east.code in text
    assert "吴家营社区" in text
    assert popup.locator("a.popup-link").get_attribute("href") == f"/grids/{cast.east.code}/"
    # Let the popup's fade-in finish so the screenshot shows what a person sees.
    page.wait_for_function(
        "getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
    )
    page.screenshot(path=str(artifacts / "map.png"))

    # The popup's link leads to the grid page.
    popup.locator("a.popup-link").click()
    page.wait_for_url(f"{live_server.url}/grids/{cast.east.code}/")
    page.wait_for_selector(".grid-map.ready")
    assert page.locator(".grid-label").count() == 1
    page.screenshot(path=str(artifacts / "grid.png"), full_page=True)


def test_the_supervisor_map_shows_one_grid(logged_in, cast):
    page = logged_in("supervisor")
    page.wait_for_selector(".grid-map.ready")
    assert page.locator(".grid-label").all_inner_texts() == ["吴家营社区东网格"]


def test_other_pages_render(logged_in, live_server, cast, artifacts):
    page = logged_in("operator")
    for name, path in (("org", "/org/"), ("people", "/people/"), ("check", "/grids/check/")):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
    # The htmx filter swaps the table without reloading the page.
    page.goto(f"{live_server.url}/people/")
    page.select_option("#id_role", "supervisor")
    page.wait_for_function("document.querySelectorAll('#people-table tbody tr').length === 1")
    assert "监督员乙" in page.locator("#people-table").inner_text()
    assert "role=supervisor" in page.url
