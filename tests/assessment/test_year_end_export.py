"""/assessment/year/<year>/export.xlsx: the year-end table, each rule in its header note."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from openpyxl import load_workbook

from wangge.assessment.models import YearEndResult
from wangge.core.xlsx import CONTENT_TYPE, DECIMAL_2
from wangge.people.groups import ASSESSORS


@pytest.fixture
def results(cast):
    YearEndResult.objects.create(
        year=2019, community=cast.wujiaying, community_name="吴家营社区", months=12,
        mean_total=Decimal("88.25"), rank=1, rewarded=True, bonus=Decimal("10000.00"),
    )  # fmt: skip
    YearEndResult.objects.create(
        year=2019, community=cast.luolong, community_name="洛龙社区", months=11,
        mean_total=Decimal("61.50"), rank=2, deducted=True, bonus=Decimal("8000.00"),
        deduction=Decimal("240.00"),
    )  # fmt: skip


def test_the_year_end_table_is_exported(client, cast, results):
    user = get_user_model().objects.create_user("assessor1", password="pass-word-123")
    user.groups.add(Group.objects.get(name=ASSESSORS))
    client.force_login(user)

    page = client.get("/assessment/year/2019/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/assessment/year/2019/export.xlsx"' in page
    response = client.get("/assessment/year/2019/export.xlsx", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert "assessment-year-end-2019.xlsx" in response["Content-Disposition"]
    ws = load_workbook(BytesIO(response.content)).worksheets[0]
    assert [c.value for c in ws[3]][:3] == ["Rank", "Community", "Mean total"]
    assert "published months" in ws["C3"].comment.text
    assert "bonus × 3 %" in ws["G3"].comment.text  # YearEndRule's default 3.00 %
    assert [c.value for c in ws[4]] == [1, "吴家营社区", 88.25, 12, "rewarded", 10000, None]
    assert [c.value for c in ws[5]] == [2, "洛龙社区", 61.5, 11, "deducted", 8000, 240]
    assert ws["C4"].number_format == DECIMAL_2


def test_the_export_is_for_the_assessment_group(client, cast, results):
    client.force_login(cast.operator.user)
    assert client.get("/assessment/year/2019/export.xlsx").status_code == 403
