"""/duty/export.xlsx: the table of who is on duty now, in the user's territory."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from django.utils import timezone
from openpyxl import load_workbook

from wangge.core.xlsx import CONTENT_TYPE
from wangge.field.duty.models import DutySession, Ping
from wangge.field.duty.services import sign_on


def rows(client, username: str) -> list[tuple]:
    assert client.login(username=username, password="pass-word-123")
    r = client.get("/duty/export.xlsx", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    assert r["Content-Type"] == CONTENT_TYPE
    assert "on-duty-" in r["Content-Disposition"]
    ws = load_workbook(BytesIO(r.content)).worksheets[0]
    assert ws["A3"].value == "Person" and ws["E3"].value == "On duty since"
    assert ws["F3"].comment is not None
    return list(ws.iter_rows(min_row=4, values_only=True))


def test_the_export_lists_who_is_on_duty_with_the_last_position(client, cast):
    sign_on(person=cast.supervisor, client_id="signon-0001")
    at = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=2)
    Ping.objects.create(
        person=cast.supervisor, client_id="p-1", at=at, lon=102.8475, lat=24.875,
        received_at=at,
    )  # fmt: skip
    started = DutySession.objects.get().started_at

    (row,) = rows(client, "operator")

    assert row[0] == cast.supervisor.name
    assert row[3] == cast.east.name
    assert row[4] == timezone.make_naive(started).replace(microsecond=0)
    assert row[5] == timezone.make_naive(at)
    assert (row[6], row[7]) == (102.8475, 24.875)


def test_the_export_is_territory_scoped(client, cast):
    sign_on(person=cast.sanitation_other, client_id="signon-0002")  # 洛龙社区南网格
    assert rows(client, "supervisor") == []  # the east grid's supervisor


def test_the_page_links_the_export(client, cast):
    assert client.login(username="operator", password="pass-word-123")
    html = client.get("/duty/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/duty/export.xlsx"' in html
