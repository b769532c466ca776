"""The demo's leaders' work: meetings with follow-ups and inspections, made once."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group
from django.utils import timezone

from tests.factories import PersonFactory, UserFactory
from wangge.demo.leaders import build_leaders
from wangge.leaders.models import CoordinationMeeting, FollowUp, Inspection
from wangge.leaders.selectors import overdue_q
from wangge.people.models import LeaderPost


def test_builds_meetings_and_inspections_once(crew, cast):
    user = UserFactory(username="wjy_level3")
    user.groups.add(Group.objects.get(name="leaders"))
    LeaderPost.objects.create(
        level="level3",
        person=PersonFactory(name="街道班子成员", user=user),
        community=cast.wujiaying,
    )
    now = timezone.make_aware(dt.datetime(2026, 6, 15, 18, 0))

    line = build_leaders(now)

    assert line.startswith("Leaders' work: 3 coordination meetings")
    assert FollowUp.objects.filter(status="done").exists()
    assert FollowUp.objects.filter(overdue_q(now.date())).count() == 1
    assert FollowUp.objects.filter(status="open", due_date__gte=now.date()).exists()
    assert Inspection.objects.filter(finding="ok").exists()
    assert not Inspection.objects.filter(role="supervisor").exists()
    assert build_leaders(now) == "Leaders' work: already there, nothing made."
    assert CoordinationMeeting.objects.count() == 3


def test_nothing_without_leader_posts(cast):
    assert "nothing made" in build_leaders(timezone.now())
    assert CoordinationMeeting.objects.count() == 0
