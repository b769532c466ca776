"""The demo's linkage calls and emergency alert (wangge.demo.linkage), on a small cast."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wangge.cases.models import Category
from wangge.demo.linkage import ALERT_TITLE, build_linkage
from wangge.field.alerts.models import Alert
from wangge.field.linkage.models import LinkageCall

from .conftest import member, report_by


def test_the_demo_makes_answered_and_unanswered_calls_and_an_alert_once(
    cast, django_capture_on_commit_callbacks
):
    police = member(cast.east, "police", "民警")
    member(cast.east, "sanitation", "环卫工")
    member(cast.east, "enforcer", "执法队员")
    member(cast.west, "sanitation", "西环卫")
    member(cast.west, "police", "西民警")
    now = timezone.now()
    for days in range(2, 14):
        category = "litter" if days % 2 else "vending"
        report_by(
            police,
            Category.objects.get(code="E0102" if category == "litter" else "LE0501"),
            django_capture_on_commit_callbacks,
            reported_at=now - dt.timedelta(days=days, hours=3),
        )
    assert not LinkageCall.objects.exists()  # too old for the live receiver

    line = build_linkage(now)

    calls = LinkageCall.objects.all()
    assert calls.count() == 12, line
    # the holders, signed on for the demo; now and then nobody, and the leader is called
    assert {c.person.name for c in calls.filter(to_leader=False)} == {"环卫工", "执法队员"}
    assert {c.person.name for c in calls.filter(to_leader=True)} <= {"区领导丁"}
    assert calls.filter(status="handled").exists()
    for c in calls.filter(status="handled"):
        assert c.called_at < c.acknowledged_at <= c.handled_at <= now
    alert = Alert.objects.get(title=ALERT_TITLE)
    assert set(alert.grids.all()) == {cast.east, cast.west}
    assert alert.recipients.count() == 6  # the five above and the east supervisor
    assert line.startswith("Linkage: 12 calls for 12 cases"), line

    assert build_linkage(now).startswith("Linkage: already built")
    assert LinkageCall.objects.count() == 12 and Alert.objects.count() == 1
