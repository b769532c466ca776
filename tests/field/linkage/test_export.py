"""/linkage/export.xlsx: the page's response-time table and every call of the month, in the
user's territory, the definition of each time in its header note."""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from openpyxl import load_workbook

from wangge.core.xlsx import CONTENT_TYPE
from wangge.field.linkage import services
from wangge.field.linkage.models import LinkageCall

from .conftest import report_by


def book(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert "linkage-" in response["Content-Disposition"]
    return load_workbook(BytesIO(response.content))


def test_the_export_holds_the_response_times_and_the_calls(
    client, cast, crew, django_capture_on_commit_callbacks
):
    case = report_by(crew.police, crew.litter, django_capture_on_commit_callbacks)
    services.acknowledge(LinkageCall.objects.get(), crew.sanitation.user)
    client.force_login(cast.operator.user)

    wb = book(client.get("/linkage/export.xlsx", HTTP_ACCEPT_LANGUAGE="en"))

    assert wb.sheetnames == ["Response times", "Calls"]
    times, calls = wb.worksheets
    assert times["A3"].value == "Grid" and times["C3"].value == "Calls"
    assert "median" in times["H3"].value.lower()
    assert "cancelled calls are not counted" in times["H3"].comment.text
    assert [times["A4"].value, times["B4"].value, times["C4"].value, times["E4"].value] == [
        "吴家营社区东网格", "sanitation worker", 1, 1,
    ]  # fmt: skip
    assert times["A5"].value == "All" and times["C5"].value == 1
    assert calls["B3"].value == "Case"
    assert calls["B4"].value == case.number
    assert calls["F4"].value == "环卫工甲"
    call = LinkageCall.objects.get()
    assert calls["A4"].value == timezone.make_naive(call.called_at).replace(microsecond=0)


def test_the_export_is_territory_scoped(client, cast, crew, django_capture_on_commit_callbacks):
    report_by(crew.police, crew.litter, django_capture_on_commit_callbacks)
    client.force_login(cast.sanitation_other.user)  # a worker of 洛龙社区南网格

    times, calls = book(client.get("/linkage/export.xlsx", HTTP_ACCEPT_LANGUAGE="en")).worksheets

    assert calls.max_row == 3  # heading, blank, header: no call
    assert times.max_row == 3


def test_the_page_links_the_export_of_its_month(client, cast, crew):
    client.force_login(cast.operator.user)
    html = client.get("/linkage/?month=2024-05", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/linkage/export.xlsx?month=2024-05"' in html
    response = client.get("/linkage/export.xlsx?month=2024-05")
    assert "linkage-2024-05.xlsx" in response["Content-Disposition"]
