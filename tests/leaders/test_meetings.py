"""Coordination meetings (网格工作协调会议) and their follow-up actions, tracked to done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from wangge.core.errors import Conflict, DomainError, Forbidden
from wangge.core.models import Notification
from wangge.leaders.models import CoordinationMeeting, FollowUp
from wangge.leaders.selectors import follow_ups_of, with_overdue
from wangge.leaders.services import (
    FollowUpInput,
    follow_up_cancel,
    follow_up_done,
    meeting_record,
)

NOW = timezone.make_aware(dt.datetime(2026, 6, 15, 12, 0))
HELD = timezone.make_aware(dt.datetime(2026, 6, 1, 9, 0))


def meet(crew, follow_ups, *, by=None, **kw):
    return meeting_record(
        by_user=by or crew.leader.user,
        leader=crew.post,
        at=kw.pop("at", HELD),
        topic=kw.pop("topic", "六月网格工作协调会"),
        place="吴家营社区会议室",
        attendees=[crew.enforcer, crew.worker],
        other_attendees="居民代表2人",
        decisions="清理背街小巷占道经营",
        follow_ups=follow_ups,
        now=NOW,
        **kw,
    )


def test_a_meeting_with_follow_ups_tells_the_owners(crew):
    m = meet(
        crew,
        [
            FollowUpInput("清理三号巷占道摊点", crew.enforcer, dt.date(2026, 6, 10)),
            FollowUpInput("上门告知商户", crew.worker, dt.date(2026, 6, 30)),
        ],
    )

    assert m.leader == crew.post
    assert set(m.attendees.all()) == {crew.enforcer, crew.worker}
    assert [f.action for f in m.follow_ups.order_by("due_date")] == [
        "清理三号巷占道摊点",
        "上门告知商户",
    ]
    assert all(f.status == "open" for f in m.follow_ups.all())
    # The enforcer has a login, the worker has none.
    assert Notification.objects.filter(user=crew.enforcer.user, kind="follow_up").count() == 1
    assert Notification.objects.count() == 1


def test_an_open_follow_up_past_due_is_flagged_overdue(crew):
    meet(
        crew,
        [
            FollowUpInput("late", crew.enforcer, dt.date(2026, 6, 10)),
            FollowUpInput("not yet", crew.worker, dt.date(2026, 6, 30)),
        ],
    )

    rows = with_overdue(follow_ups_of(person=crew.leader, status="open"), dt.date(2026, 6, 15))

    assert [(f.action, f.overdue) for f in rows] == [("late", True), ("not yet", False)]


def test_the_owner_marks_a_follow_up_done(crew):
    m = meet(crew, [FollowUpInput("late", crew.enforcer, dt.date(2026, 6, 10))])
    fu = m.follow_ups.get()

    follow_up_done(fu, crew.enforcer.user, "已清理", now=NOW)

    assert (fu.status, fu.done_note, fu.done_at) == ("done", "已清理", NOW)
    assert with_overdue([fu], dt.date(2026, 6, 15))[0].overdue is False
    assert list(follow_ups_of(person=crew.leader, status="open")) == []
    with pytest.raises(Conflict, match="already done"):
        follow_up_done(fu, crew.leader.user, "again")


def test_someone_else_cannot_mark_it_done(crew):
    m = meet(crew, [FollowUpInput("late", crew.enforcer, dt.date(2026, 6, 10))])
    fu = m.follow_ups.get()

    with pytest.raises(Forbidden):
        follow_up_done(fu, UserFactory(username="stranger"), "done")
    fu.refresh_from_db()
    assert fu.status == "open"


def test_the_leader_cancels_with_a_reason(crew):
    fu = meet(crew, [FollowUpInput("x", crew.worker, dt.date(2026, 6, 10))]).follow_ups.get()

    with pytest.raises(DomainError, match="why"):
        follow_up_cancel(fu, crew.leader.user, "")
    follow_up_cancel(fu, crew.leader.user, "merged into another action")

    assert fu.status == "cancelled"


@pytest.mark.parametrize(
    ("follow_up", "field", "message"),
    [
        (lambda c: FollowUpInput("  ", c.enforcer, dt.date(2026, 6, 9)), "action", "no action"),
        (lambda c: FollowUpInput("x", None, dt.date(2026, 6, 9)), "owner", "no owner"),
        (lambda c: FollowUpInput("x", c.enforcer, None), "due_date", "no due date"),
        (
            lambda c: FollowUpInput("x", c.enforcer, dt.date(2026, 5, 31)),
            "due_date",
            "before the meeting",
        ),
    ],
)
def test_bad_follow_ups_write_nothing(crew, follow_up, field, message):
    good = FollowUpInput("fine", crew.worker, dt.date(2026, 6, 9))

    with pytest.raises(DomainError, match=message) as err:
        meet(crew, [good, follow_up(crew)])

    assert err.value.field == f"follow_ups[1].{field}"
    assert CoordinationMeeting.objects.count() == 0
    assert FollowUp.objects.count() == 0
    assert Notification.objects.count() == 0


def test_an_owner_who_had_left_is_refused(crew):
    crew.enforcer.end_date = dt.date(2026, 5, 20)
    crew.enforcer.save()

    with pytest.raises(DomainError, match="left on 2026-05-20"):
        meet(crew, [FollowUpInput("x", crew.enforcer, dt.date(2026, 6, 9))])
    assert CoordinationMeeting.objects.count() == 0


def test_a_meeting_needs_a_topic_and_a_past_time(crew):
    with pytest.raises(DomainError, match="topic") as err:
        meet(crew, [], topic=" ")
    assert err.value.field == "topic"
    with pytest.raises(DomainError, match="in the future"):
        meet(crew, [], at=NOW + dt.timedelta(days=1))
    assert CoordinationMeeting.objects.count() == 0


def test_only_the_post_holder_or_an_admin_records_its_meetings(crew, cast):
    with pytest.raises(Forbidden):
        meet(crew, [], by=crew.south_post.person.user)
    assert CoordinationMeeting.objects.count() == 0
    assert meet(crew, [], by=cast.admin_user).created_by == cast.admin_user
