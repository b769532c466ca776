"""One case through the browser, from report to evaluation, with one rework (issue 3's "done when").

Headless Chromium (/usr/bin/chromium, missing = failure) drives the pages as each member of the
cast: the supervisor reports by clicking the map, the centre files and dispatches, the workstation
accepts and feeds back with a photo, the supervisor sends it back once, then closes it, and the
centre evaluates. Every case page is saved to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from tests.cases.conftest import png
from wangge.cases.models import Case, CaseStatus

# default_data first: the migrations' rows (groups, tiers, calendar…) before the cast is made.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("default_data"),
]
PASSWORD = "pass-word-123"


class Walk:
    """The browser, logged in as one member of the cast at a time."""

    def __init__(self, page, base: str, artifacts) -> None:
        self.page = page
        self.base = base
        self.artifacts = artifacts
        self.shot = 0

    def login(self, username: str, then: str) -> None:
        self.page.context.clear_cookies()
        self.page.goto(f"{self.base}/login/?next={then}")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click(".login-card button[type=submit]")
        self.page.wait_for_url(f"{self.base}{then}")

    def act(self, action: str, fill=None) -> None:
        """Open the action's form on the case page, fill it, submit, land on the case again."""
        form = self.page.locator(f"#action-{action}")
        form.wait_for()
        if form.get_attribute("open") is None:
            form.locator("summary").click()
        if fill:
            fill(form)
        with self.page.expect_navigation():
            form.locator("button[type=submit]").click()
        errors = self.page.locator(".field-error, .form-errors")
        assert errors.count() == 0, errors.all_inner_texts()
        assert self.page.locator(".messages li.success").count() == 1

    def screenshot(self, name: str) -> None:
        self.shot += 1
        self.page.wait_for_selector(".grid-map.ready")
        self.page.screenshot(
            path=str(self.artifacts / f"case-{self.shot:02d}-{name}.png"), full_page=True
        )


def test_one_case_from_report_to_evaluation_with_one_rework(
    default_data, live_server, cc, page, artifacts, tmp_path
):
    before, after, again = (tmp_path / n for n in ("before.png", "after.png", "again.png"))
    before.write_bytes(png("red"))
    after.write_bytes(png("green"))
    again.write_bytes(png("blue"))
    walk = Walk(page, live_server.url, artifacts)

    # 1. The supervisor reports a problem by clicking the map inside their grid.
    walk.login("supervisor", "/cases/new/")
    page.wait_for_selector(".grid-map.ready")
    label = page.locator(f'.grid-label[data-code="{cc.east.code}"] span')
    box = label.bounding_box()
    # Just below the grid's label: inside the grid, and the label lets clicks through here.
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] + 30)
    lon, lat = float(page.input_value("#id_lon")), float(page.input_value("#id_lat"))
    assert 102.845 < lon < 102.85 and 24.87 < lat < 24.88  # in 吴家营社区东网格
    page.fill("#id_description", "吴家营路口暴露垃圾一堆，约两立方米")
    # The category select is narrowed by typing (htmx), then chosen.
    page.fill(".category-search", "LE9901")
    page.wait_for_function("document.querySelectorAll('#id_category option').length === 2")
    page.select_option("#id_category", str(cc.category.pk))
    page.fill("#id_address", "吴家营路与春融街交叉口")
    page.set_input_files("#id_photos", str(before))
    walk.screenshot("report-form")
    with page.expect_navigation():
        page.click(".report-form button[type=submit]")
    assert re.search(r"/cases/\d+/$", page.url), page.url
    case = Case.objects.get()
    assert (case.grid, case.status, case.category) == (cc.east, "reported", cc.category)
    case_path = f"/cases/{case.pk}/"
    walk.screenshot("reported")

    # 2. The centre's operator files it (the rules propose tier 2), 3. the dispatcher dispatches.
    walk.login("operator", case_path)
    assert "2" in page.locator("#action-file .proposal").inner_text()
    walk.act("file", lambda f: f.locator("[name=heavy_machinery]").check())
    walk.screenshot("filed")
    walk.login("dispatcher", case_path)
    walk.act("dispatch", lambda f: f.locator("[name=target]").select_option("workstation"))

    # 4. The workstation accepts and feeds back with an after-photo.
    walk.login("station", case_path)
    walk.act("accept")
    walk.screenshot("handling")

    def feedback(photo, text):
        def fill(f):
            f.locator("[name=result]").fill(text)
            f.locator("[name=photos]").set_input_files(str(photo))

        walk.act("feedback", fill)

    feedback(after, "已清运垃圾")

    # 5. The supervisor finds it not done: back for rework, with the reason.
    walk.login("supervisor", case_path)

    def failed(f):
        f.locator("[name=passed][value=no]").check()
        f.locator("[name=reason]").fill("路边仍有残留垃圾和污水")

    walk.act("verify", failed)
    assert page.locator("[data-field=rework_count]").inner_text().startswith("1")
    walk.screenshot("rework")

    # 6. The workstation feeds back again; 7. the supervisor passes it.
    walk.login("station", case_path)
    feedback(again, "已彻底清理并冲洗路面")
    walk.login("supervisor", case_path)
    walk.act("verify", lambda f: f.locator("[name=passed][value=yes]").check())

    # 8. The operator evaluates.
    walk.login("operator", case_path)
    walk.act("evaluate", lambda f: f.locator("[name=satisfaction]").select_option("5"))
    walk.screenshot("evaluated")

    head = page.locator(".case-head")
    assert head.get_attribute("data-status") == "evaluated"
    with translation.override("zh-hans"):
        evaluated = str(CaseStatus.EVALUATED.label)
    assert evaluated in head.locator(".status-badge").inner_text()
    assert page.locator("[data-field=rework_count]").inner_text().startswith("1")
    trail = page.locator(".timeline .event").evaluate_all("els => els.map(e => e.dataset.action)")
    assert trail == [
        "report",
        "file",
        "dispatch",
        "accept",
        "feedback",
        "verify",
        "feedback",
        "verify",
        "evaluate",
    ]
    assert "路边仍有残留垃圾和污水" in page.locator(".timeline").inner_text()
    # Before: the report's photo; after: two feedbacks' photos, all loaded.
    assert page.locator(".photos .thumbs img").count() == 3
    assert page.locator(".photos img").evaluate_all(
        "els => els.every(i => i.complete && i.naturalWidth > 0)"
    )
    assert page.locator("#action-evaluate").count() == 0  # evaluated once
    case.refresh_from_db()
    assert (case.status, case.rework_count, case.satisfaction) == ("evaluated", 1, 5)


def test_the_live_map_and_the_lists_render(default_data, live_server, cc, page, artifacts):
    from wangge.cases.services import report

    for lon in (102.8475, 102.842, 102.855):
        report(
            actor_user=cc.operator.user,
            source="supervisor",
            description="路灯不亮",
            lon=lon,
            lat=24.875,
            category=cc.category,
        )
    walk = Walk(page, live_server.url, artifacts)
    walk.login("operator", "/cases/map/")
    page.wait_for_selector(".live-wrap[data-loaded='3']")
    assert page.locator("#case-total").inner_text() == "3"
    assert page.locator(".leaflet-overlay-pane path").count() == 3  # the grids
    assert page.locator(".leaflet-cases-pane path").count() == 3  # the cases, over the labels
    page.screenshot(path=str(artifacts / "case-map.png"))
    for name, path in (("list", "/cases/"), ("queues", "/cases/queues/"), ("todo", "/cases/todo/")):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(artifacts / f"case-{name}.png"), full_page=True)
    # The htmx filter swaps the table without reloading the page.
    page.goto(f"{live_server.url}/cases/")
    page.select_option("#id_grid", str(cc.south.pk))
    page.wait_for_function("document.querySelectorAll('#case-table tbody tr').length === 1")
    assert f"grid={cc.south.pk}" in page.url
