"""The demo's duty data: a roster for every five-role member, a week of sessions and pings."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wangge.demo.duty import build_duty
from wangge.field.duty.models import DutyDay, DutySession, Ping, Shift
from wangge.field.duty.selectors import on_duty
from wangge.field.duty.summary import summaries


def test_build_duty_on_the_cast(cast):
    now = timezone.make_aware(dt.datetime(2026, 11, 20, 10, 30))  # a Friday morning
    line = build_duty(now)
    assert line.startswith("duty: 24 weekly shifts for 2 people")
    # Mon–Sat, two shifts a day, for the supervisor and the sanitation worker.
    assert Shift.objects.filter(person=cast.supervisor).count() == 12
    # On duty now: the morning shift is under way for those signed on.
    assert DutySession.objects.filter(ended_at__isnull=True).exists()
    assert on_duty(cast.east, at=now).exists() or on_duty(cast.south, at=now).exists()
    # Pings a minute apart, never after now, inside the person's grid when on post.
    assert Ping.objects.filter(at__gt=now).count() == 0
    assert Ping.objects.count() > 1000
    week = summaries(
        [cast.supervisor, cast.sanitation_other],
        now.date() - dt.timedelta(days=6),
        now.date(),
        now=now,
    )
    worked = [s for s in week if s.on_duty_minutes]
    assert worked
    assert all(0 < s.coverage <= 1 for s in worked)
    assert all(s.online_minutes <= s.on_duty_minutes for s in worked)
    # The six finished days are stored, equal to the summaries; today is not stored.
    stored = {(d.person_id, d.date): d for d in DutyDay.objects.all()}
    finished = [s for s in week if s.date < now.date()]
    assert len(stored) == len(finished) == 12
    assert all(stored[s.person_id, s.date].online_minutes == s.online_minutes for s in finished)
    assert line.endswith("12 duty days recorded")
    # A second run changes nothing.
    assert build_duty(now) == "duty: data already exists, skipped"
    assert Shift.objects.count() == 24
