"""The leader's page and the forms: a leader sees their own territory only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import UserFactory
from wangge.cases.models import Case, CaseStatus
from wangge.cases.services import report
from wangge.leaders.models import CoordinationMeeting, FollowUp, Inspection
from wangge.leaders.services import FollowUpInput, meeting_record

EAST = (102.847, 24.875)  # 吴家营社区东网格
SOUTH = (102.855, 24.875)  # 洛龙社区南网格


def case_at(cast, where, description):
    return report(
        actor_user=cast.admin_user,
        source="supervisor",
        description=description,
        lon=where[0],
        lat=where[1],
    )


@pytest.fixture
def cases(cast):
    east_key = case_at(cast, EAST, "东网格重点案件")
    east_late = case_at(cast, EAST, "东网格超期案件")
    south_late = case_at(cast, SOUTH, "南网格超期案件")
    Case.objects.filter(pk=east_key.pk).update(is_key=True)
    past = timezone.now() - dt.timedelta(days=2)
    Case.objects.filter(pk__in=[east_late.pk, south_late.pk]).update(
        status=CaseStatus.DISPATCHED, handling_due_at=past
    )
    return {"east_key": east_key, "east_late": east_late, "south_late": south_late}


def login(client, user):
    client.force_login(user)


def test_the_leader_sees_their_own_territory_only(client, crew, cases):
    fu_meeting = meeting_record(
        by_user=crew.leader.user,
        leader=crew.post,
        at=timezone.now() - dt.timedelta(days=10),
        topic="旧街整治会",
        follow_ups=[
            FollowUpInput("overdue action", crew.enforcer, timezone.localdate() - dt.timedelta(1))
        ],
    )
    login(client, crew.leader.user)

    page = client.get("/leaders/")

    assert page.status_code == 200
    html = page.content.decode()
    assert page.context["post"] == crew.post
    assert page.context["open_count"] == 2
    assert [c.pk for c in page.context["overdue"]] == [cases["east_late"].pk]
    assert [c.pk for c in page.context["key"]] == [cases["east_key"].pk]
    assert cases["east_late"].number in html
    assert cases["south_late"].number not in html
    assert "overdue action" in html and "overdue</span>" in html
    assert "旧街整治会" in html
    assert f"/leaders/meetings/{fu_meeting.pk}/" in html
    assert 'id="new-meeting"' in html and 'id="new-inspection"' in html


def test_the_page_costs_the_same_queries_however_many_cases(client, crew, cases, cast):
    """The overdue and key lists bring each case's grid and category along, not one query
    per row."""
    login(client, crew.leader.user)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/leaders/").status_code == 200
    more = [case_at(cast, EAST, f"东网格案件{n}") for n in range(3)]
    Case.objects.filter(pk__in=[c.pk for c in more]).update(
        is_key=True,
        status=CaseStatus.DISPATCHED,
        handling_due_at=timezone.now() - dt.timedelta(days=1),
    )
    with CaptureQueriesContext(connection) as many:
        page = client.get("/leaders/").content.decode()
    assert all(c.number in page for c in more)
    assert len(many) == len(few)


def test_a_leader_cannot_open_another_leaders_post(client, crew, cases):
    login(client, crew.leader.user)

    assert client.get(f"/leaders/?post={crew.south_post.pk}").status_code == 404


def test_an_operator_may_read_a_post_but_not_record(client, crew, cast, cases):
    login(client, cast.operator.user)

    page = client.get(f"/leaders/?post={crew.south_post.pk}")

    assert page.status_code == 200
    assert [c.pk for c in page.context["overdue"]] == [cases["south_late"].pk]
    assert page.context["may_act"] is False
    assert 'id="new-meeting"' not in page.content.decode()
    assert client.get("/leaders/meetings/new/").status_code == 403
    assert client.get("/leaders/inspections/new/").status_code == 403


def test_staff_without_a_post_are_refused(client, crew):
    login(client, crew.enforcer.user)

    assert client.get("/leaders/").status_code == 403


def test_record_a_meeting_with_follow_ups_through_the_form(client, crew):
    login(client, crew.leader.user)
    assert client.get(f"/leaders/meetings/new/?post={crew.post.pk}").status_code == 200
    at = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    data = {
        "post": crew.post.pk,
        "at": at,
        "topic": "七月协调会",
        "place": "会议室",
        "attendees": [crew.enforcer.pk, crew.worker.pk],
        "decisions": "整治占道",
        "fu-TOTAL_FORMS": "2",
        "fu-INITIAL_FORMS": "0",
        "fu-0-action": "清理摊点",
        "fu-0-owner": crew.enforcer.pk,
        "fu-0-due_date": due,
        "fu-1-action": "",
    }

    response = client.post("/leaders/meetings/new/", data)

    meeting = CoordinationMeeting.objects.get()
    assert response.status_code == 302 and response.url == f"/leaders/meetings/{meeting.pk}/"
    fu = FollowUp.objects.get()
    assert (fu.action, fu.owner, fu.status) == ("清理摊点", crew.enforcer, "open")

    # The owner marks it done on the meeting's page.
    client.force_login(crew.enforcer.user)
    detail = client.get(f"/leaders/meetings/{meeting.pk}/")
    assert detail.status_code == 200 and "Mark done" in detail.content.decode()
    done = client.post(f"/leaders/follow-ups/{fu.pk}/done/", {"note": "已清理"})
    assert done.status_code == 302
    fu.refresh_from_db()
    assert (fu.status, fu.done_note) == ("done", "已清理")


def test_a_bad_follow_up_shows_the_error_and_writes_nothing(client, crew):
    login(client, crew.leader.user)
    at = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "post": crew.post.pk,
        "at": at,
        "topic": "协调会",
        "fu-TOTAL_FORMS": "1",
        "fu-INITIAL_FORMS": "0",
        "fu-0-action": "清理摊点",
        "fu-0-due_date": timezone.localdate().isoformat(),
    }

    response = client.post("/leaders/meetings/new/", data)

    assert response.status_code == 400
    assert "Follow-up 1 has no owner" in response.content.decode()
    assert CoordinationMeeting.objects.count() == 0


def test_a_form_without_its_follow_up_rows_is_refused_with_a_message(client, crew):
    """A POST missing the follow-up rows' management fields (a stale or forged form) is a
    400 that says so, not a blank form with 200."""
    login(client, crew.leader.user)
    at = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")

    response = client.post(
        "/leaders/meetings/new/", {"post": crew.post.pk, "at": at, "topic": "协调会"}
    )

    assert response.status_code == 400
    assert "ManagementForm data is missing" in response.content.decode()
    assert CoordinationMeeting.objects.count() == 0


def test_record_an_inspection_through_the_form(client, crew, cast):
    login(client, crew.leader.user)
    form = client.get("/leaders/inspections/new/")
    assert form.status_code == 200
    offered = form.context["form"].fields["person"].queryset
    # The supervisor is not offered: supervisors are reported to the district centre.
    assert set(offered) == {crew.enforcer, crew.worker}
    assert "执法队员庚 / enforcement officer · 吴家营社区东网格" in form.content.decode()
    at = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")

    refused = client.post(
        "/leaders/inspections/new/", {"person": crew.enforcer.pk, "at": at, "finding": "absent"}
    )
    assert refused.status_code == 400
    assert "needs a note" in refused.content.decode()
    assert Inspection.objects.count() == 0

    ok = client.post(
        "/leaders/inspections/new/",
        {"person": crew.enforcer.pk, "at": at, "finding": "neglect", "note": "玩手机"},
    )
    assert ok.status_code == 302
    assert Inspection.objects.get().inspector_post == crew.post


def test_a_stranger_cannot_mark_a_follow_up_done(client, crew):
    meeting = meeting_record(
        by_user=crew.leader.user,
        leader=crew.post,
        at=timezone.now() - dt.timedelta(days=1),
        topic="t",
        follow_ups=[FollowUpInput("x", crew.enforcer, timezone.localdate())],
    )
    client.force_login(UserFactory(username="stranger"))

    response = client.post(f"/leaders/follow-ups/{meeting.follow_ups.get().pk}/done/")

    assert response.status_code == 403
    assert FollowUp.objects.get().status == "open"
