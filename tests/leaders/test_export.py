"""/leaders/export.xlsx: the leader page's open follow-ups and its post's inspections, with the
same post and permissions as the page."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from django.utils import timezone
from openpyxl import load_workbook

from tests.leaders.test_pages import EAST, SOUTH, case_at
from wangge.cases.models import Case, CaseStatus
from wangge.core.xlsx import CONTENT_TYPE
from wangge.leaders.services import FollowUpInput, inspection_record, meeting_record


def book(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    return load_workbook(BytesIO(response.content))


def test_the_export_holds_the_follow_ups_and_the_inspections(client, crew):
    today = timezone.localdate()
    meeting_record(
        by_user=crew.leader.user,
        leader=crew.post,
        at=timezone.now() - dt.timedelta(days=10),
        topic="旧街整治会",
        follow_ups=[FollowUpInput("overdue action", crew.enforcer, today - dt.timedelta(1))],
    )
    at = (timezone.now() - dt.timedelta(hours=2)).replace(microsecond=0)
    inspection_record(
        by_user=crew.leader.user, post=crew.post, person=crew.enforcer, at=at, finding="absent",
        note="不在岗",
    )  # fmt: skip
    client.force_login(crew.leader.user)

    wb = book(client.get("/leaders/export.xlsx"))

    assert wb.sheetnames == ["Overdue", "Key cases", "Open follow-ups", "Inspections"]
    follow_ups, inspections = wb["Open follow-ups"], wb["Inspections"]
    assert [c.value for c in follow_ups[3]][:4] == ["Action", "Owner", "Due", "Overdue"]
    assert follow_ups["D3"].comment.text.startswith("Open past its due date")
    assert follow_ups["A4"].value == "overdue action"
    assert follow_ups["B4"].value == crew.enforcer.name
    assert follow_ups["C4"].value.date() == today - dt.timedelta(1)
    assert follow_ups["D4"].value == "yes"
    assert inspections["A4"].value == timezone.make_naive(at)
    assert inspections["B4"].value == crew.enforcer.name
    assert inspections["G4"].value == "yes"  # absent is deducted
    assert "absent" in inspections["G3"].comment.text
    assert inspections["H4"].value == "不在岗"


def test_the_export_has_the_pages_permissions(client, crew, cast):
    client.force_login(crew.leader.user)
    assert client.get(f"/leaders/export.xlsx?post={crew.south_post.pk}").status_code == 404
    html = client.get("/leaders/").content.decode()
    assert f'href="/leaders/export.xlsx?post={crew.post.pk}"' in html
    client.force_login(crew.enforcer.user)  # not a leader, operator nor admin
    assert client.get("/leaders/export.xlsx").status_code == 403


def test_the_export_holds_the_overdue_and_key_cases_of_the_posts_territory(client, crew, cast):
    east_key = case_at(cast, EAST, "东网格重点案件")
    east_late = case_at(cast, EAST, "东网格超期案件")
    south_late = case_at(cast, SOUTH, "南网格超期案件")
    Case.objects.filter(pk=east_key.pk).update(is_key=True)
    past = timezone.now() - dt.timedelta(days=2)
    Case.objects.filter(pk__in=[east_late.pk, south_late.pk]).update(
        status=CaseStatus.DISPATCHED, handling_due_at=past
    )
    client.force_login(crew.leader.user)

    wb = book(client.get("/leaders/export.xlsx"))

    overdue = [r[0] for r in wb["Overdue"].iter_rows(min_row=2, values_only=True)]
    assert overdue == [east_late.number]  # not the south grid's
    assert wb["Overdue"]["F1"].comment is not None
    assert wb["Overdue"]["F2"].value == timezone.make_naive(past).replace(microsecond=0)
    key = [r[0] for r in wb["Key cases"].iter_rows(min_row=2, values_only=True)]
    assert key == [east_key.number]


def test_a_meetings_follow_ups_export_with_their_status(client, crew, cast):
    today = timezone.localdate()
    meeting = meeting_record(
        by_user=crew.leader.user,
        leader=crew.post,
        at=timezone.now() - dt.timedelta(days=10),
        topic="旧街整治会",
        follow_ups=[
            FollowUpInput("clear the lane", crew.enforcer, today - dt.timedelta(1)),
            FollowUpInput("repaint the kerb", crew.enforcer, today + dt.timedelta(5)),
        ],
    )
    client.force_login(crew.leader.user)
    html = client.get(f"/leaders/meetings/{meeting.pk}/").content.decode()
    assert f"/leaders/meetings/{meeting.pk}/export.xlsx" in html

    sheet = book(client.get(f"/leaders/meetings/{meeting.pk}/export.xlsx"))["Follow-up actions"]
    assert "旧街整治会" in sheet["A1"].value
    assert [c.value for c in sheet[3]] == [
        "Action", "Owner", "Due", "Status", "Overdue", "Done at", "What was done",
    ]  # fmt: skip
    assert [(r[0].value, r[4].value) for r in sheet.iter_rows(min_row=4)] == [
        ("clear the lane", "yes"),
        ("repaint the kerb", None),
    ]
    assert client.get("/leaders/meetings/999999/export.xlsx").status_code == 404
