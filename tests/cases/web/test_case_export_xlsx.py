"""/cases/export.xlsx on the shared Excel helper: a bold, frozen, filtered header whose
computed column (Overdue) carries its rule as a note; the page's filters and territory."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.cases.web.test_case_pages import EAST, WEST, in_english, login, new_case, to_handling


def test_the_excel_export_has_the_helpers_header(cc, client):
    east = new_case(cc, EAST)
    to_handling(cc, east)
    in_english(client)
    login(client, "operator")
    response = client.get("/cases/export.xlsx", {"status": "handling"})
    assert 'attachment; filename="cases-' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = sheet[1]
    assert header[0].value == "Case number" and header[0].font.bold
    assert sheet.freeze_panes == "A2"
    overdue = next(c for c in header if c.value == "Overdue")
    assert "past the handling due time" in overdue.comment.text
    assert sheet["A2"].value == east.number


def test_the_excel_export_is_territory_scoped(cc, client):
    new_case(cc, WEST, description="西网格的垃圾")
    login(client, "supervisor")  # the east grid
    sheet = load_workbook(io.BytesIO(client.get("/cases/export.xlsx").content)).active
    assert sheet.max_row == 1
