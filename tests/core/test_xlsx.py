"""The Excel helper: header, notes as comments, number formats, dates, file name."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from wangge.core.xlsx import (
    CONTENT_TYPE,
    DATETIME,
    PERCENT,
    Column,
    Sheet,
    cell_value,
    to_xlsx,
    workbook_response,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _book(sheets: list[Sheet]):  # type: ignore[no-untyped-def]
    return load_workbook(BytesIO(to_xlsx(sheets)))


def _rates_sheet(heading: str = "") -> Sheet:
    columns = [
        Column("社区"),
        Column("应结案数", note="应结案数 = 处置数 + 超时未处置数"),
        Column("结案率", note="结案率 = 结案数 ÷ 应结案数", number_format=PERCENT),
        Column("上报时间"),
    ]
    rows = [
        ["吴家营社区", 12, Decimal("0.8333"), dt.datetime(2024, 5, 1, 1, 30, tzinfo=dt.UTC)],
        ["龙泉社区", 0, None, None],
    ]
    return Sheet("按社区", columns, rows, heading=heading)


def test_header_is_bold_frozen_filtered_and_carries_the_notes() -> None:
    ws = _book([_rates_sheet()])["按社区"]
    assert [c.value for c in ws[1]] == ["社区", "应结案数", "结案率", "上报时间"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:D3"
    assert ws["A1"].comment is None
    assert ws["C1"].comment.text == "结案率 = 结案数 ÷ 应结案数"
    assert ws["B1"].comment.text.startswith("应结案数 =")


def test_values_are_numbers_and_local_dates() -> None:
    ws = _book([_rates_sheet()])["按社区"]
    assert ws["B2"].value == 12
    assert ws["C2"].value == 0.8333
    assert ws["C2"].number_format == PERCENT
    # 01:30 UTC is 09:30 in Shanghai; Excel has no time zones.
    assert ws["D2"].value == dt.datetime(2024, 5, 1, 9, 30)
    assert ws["D2"].number_format == DATETIME
    assert ws["C3"].value is None


def test_a_heading_goes_above_the_header() -> None:
    ws = _book([_rates_sheet(heading="2024-05 洛龙街道")])["按社区"]
    assert ws["A1"].value == "2024-05 洛龙街道"
    assert ws["A3"].value == "社区"
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:D5"


def test_sheet_titles_are_made_valid_and_unique() -> None:
    book = _book([Sheet("a/b:c", [Column("x")], []), Sheet("a/b:c", [Column("x")], [])])
    assert book.sheetnames == ["a-b-c", "a-b-c (2)"]


def test_cell_values() -> None:
    assert cell_value(Decimal("1.50")) == 1.5
    assert cell_value(gettext_lazy("Calls")) == "Calls"
    assert cell_value(dt.date(2024, 1, 2)) == dt.date(2024, 1, 2)
    aware = dt.datetime(2024, 1, 2, 8, 0, tzinfo=SHANGHAI)
    assert cell_value(aware) == dt.datetime(2024, 1, 2, 8, 0)
    assert cell_value(aware.replace(microsecond=999_999)) == dt.datetime(2024, 1, 2, 8, 0)
    assert cell_value(dt.timedelta(hours=12)) == 0.5


def test_response_has_the_type_and_a_utf8_file_name() -> None:
    response = workbook_response("联动-2024-05.xlsx", [_rates_sheet()])
    assert response["Content-Type"] == CONTENT_TYPE
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert "%E8%81%94%E5%8A%A8-2024-05.xlsx" in response["Content-Disposition"]
    assert load_workbook(BytesIO(response.content)).sheetnames == ["按社区"]
