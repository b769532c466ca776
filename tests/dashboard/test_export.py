"""The Excel exports of the command centre's tables: every row, the same figures and the same
territory as the panels, the formula of each rate in its header note."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.dashboard import test_page
from wangge.cases import rates
from wangge.core.xlsx import CONTENT_TYPE, PERCENT

today = test_page.today  # the five hand-made cases of today


def sheet(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    return load_workbook(BytesIO(response.content)).worksheets[0]


def table(ws) -> dict[str, list]:  # type: ignore[no-untyped-def]
    """Rows below the header (row 3, under the heading), by their first cell."""
    return {row[0]: list(row[1:]) for row in ws.iter_rows(min_row=4, values_only=True)}


@pytest.mark.django_db
def test_the_grids_table_holds_the_rates_with_their_formulas(client, cast, today):
    test_page.login(client, "operator")
    ws = sheet(client.get("/dashboard/export/grids.xlsx"))
    assert [c.value for c in ws[3]] == [
        "Grid", "To close", "Closed", "Open past due", "Closure rate", "On-time rate",
    ]  # fmt: skip
    assert ws["E3"].comment.text == rates.DEFINITIONS["closure_rate"]
    assert ws["F3"].comment.text == rates.DEFINITIONS["on_time_rate"]
    rows = table(ws)
    # east: C1 closed on time, C2 closed late → to close 2, closed 2, on time 1/2
    assert rows[cast.east.name][:4] == [2, 2, 0, 1.0]
    assert rows[cast.east.name][4] == 0.5
    assert ws.cell(row=4, column=6).number_format == PERCENT
    assert rows[cast.south.name][:3] == [1, 0, 1]


@pytest.mark.django_db
def test_the_communities_table_is_exported(client, cast, today):
    test_page.login(client, "operator")
    rows = table(sheet(client.get("/dashboard/export/communities.xlsx")))
    assert sum(r[0] for r in rows.values()) == 3  # C1, C2, C3 to close


@pytest.mark.django_db
def test_the_overdue_list_is_scoped_to_the_users_territory(client, cast, today):
    test_page.login(client, "operator")
    ws = sheet(client.get("/dashboard/export/overdue.xlsx"))
    assert ws["A1"].value == "Number"
    numbers = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert numbers == [today[3].number]
    assert ws["D2"].value == cast.south.name
    assert ws["E2"].value == timezone.make_naive(today[3].handling_due_at).replace(microsecond=0)
    client.logout()
    test_page.login(client, "supervisor")  # the east grid only
    ws = sheet(client.get("/dashboard/export/overdue.xlsx"))
    assert ws.max_row == 1


@pytest.mark.django_db
def test_the_key_cases_and_linkage_tables_are_exported(client, cast, today):
    test_page.login(client, "operator")
    ws = sheet(client.get("/dashboard/export/key.xlsx"))
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == [today[5].number]
    ws = sheet(client.get("/dashboard/export/linkage.xlsx"))
    assert ws["A3"].value == "Role"
    assert "cancelled calls are not counted" in ws["C3"].comment.text


@pytest.mark.django_db
def test_an_unknown_table_is_404_and_the_page_links_the_exports(client, cast, today):
    test_page.login(client, "operator")
    assert client.get("/dashboard/export/duty.xlsx").status_code == 404
    html = client.get("/dashboard/").content.decode()
    for name in ("states", "trend", "communities", "grids", "linkage", "overdue", "key"):
        assert f'href="/dashboard/export/{name}.xlsx"' in html
    assert "/dashboard/export/" not in client.get("/dashboard/?wall=1").content.decode()


@pytest.mark.django_db
def test_the_states_and_the_trend_are_exported_with_the_definitions(client, cast, today):
    test_page.login(client, "operator")
    wb = load_workbook(BytesIO(client.get("/dashboard/export/states.xlsx").content))
    by_state, figures = wb.worksheets
    rows = {r[0]: r[1:] for r in by_state.iter_rows(min_row=4, values_only=True)}
    assert rows["closed"] == (1, 1)
    assert rows["Total"] == (5, 5)
    header = [c.value for c in figures[1]]
    closure = header.index("Closure rate") + 1
    assert figures.cell(row=1, column=closure).comment.text == rates.DEFINITIONS["closure_rate"]
    # this month: closed 2 of 3 to close (test_page.today's docstring)
    assert figures.cell(row=3, column=closure).value == pytest.approx(2 / 3, abs=1e-4)
    trend = sheet(client.get("/dashboard/export/trend.xlsx"))
    months = list(trend.iter_rows(min_row=4, values_only=True))
    assert len(months) == 12
    assert months[-1][header.index("Closure rate")] == pytest.approx(2 / 3, abs=1e-4)
