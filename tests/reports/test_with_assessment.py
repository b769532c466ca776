"""The bulletin over a real assessment run (wangge.assessment), not a hand-made table."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.reports.pdf_text import pdf_pages
from wangge.assessment import selectors, services
from wangge.reports.bulletin import bulletin
from wangge.reports.document import Table
from wangge.reports.ranking import Group, Item, NoRun, Row, top_points
from wangge.reports.render_pdf import to_pdf

MONTH = "2026-10"


def test_a_month_not_assessed_is_no_run(cast):
    with pytest.raises(NoRun, match=f"{MONTH} has no assessment of the communities"):
        bulletin(MONTH)


def test_a_draft_run_groups_the_leaves_under_the_top_level_indicators(cast):
    services.assess(MONTH)
    doc = bulletin(MONTH)
    assert doc.title.endswith("考核情况通报（草稿）")
    communities = next(b for b in doc.blocks if isinstance(b, Table))
    assert list(communities.columns)[3:] == [
        "管理体制（10分）",
        "案件处置（67分）",
        "重点案件督办机制（15分）",
        "城市运行体系建设（8分）",
    ]
    table = selectors.ranking(MONTH, "community")
    assert [r[1] for r in communities.rows] == [r.name for r in table.rows]
    first = table.rows[0]
    cases = sum(
        (i.points for i in first.items if i.code in {"CLOSURE", "ON_TIME", "REWORK", "OVERDUE"}),
        Decimal(0),
    )
    assert communities.rows[0][4] == format(cases.normalize(), "f")
    assert communities.rows[0][3] == "待评"  # 管理体制 is scored by hand: not yet
    assert "吴家营社区" in pdf_pages(to_pdf(doc))[0]


def test_top_points_sum_the_scored_leaves():
    cases = Group("CASES", "案件处置", Decimal(67), 1)
    row = Row(1, "x", Decimal(0), 1, (
        Item("MGMT", "管理体制", None, Decimal(10)),
        Item("CLOSURE", "结案率", Decimal("20.5"), Decimal(25), group=cases),
        Item("ON_TIME", "按期结案率", Decimal("25"), Decimal(25), group=cases),
    ))  # fmt: skip
    assert top_points(row) == {"MGMT": None, "CASES": Decimal("45.5")}


def test_the_page_lists_an_old_assessed_month_too(cast, client):
    from django.contrib.auth import get_user_model

    services.assess("2019-05")
    client.force_login(get_user_model().objects.get(username="operator"))
    page = client.get("/reports/").content.decode()
    assert "/reports/bulletin/2019-05.pdf?audience=police" in page
