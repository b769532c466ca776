"""Who may report: someone who has left the grid staff reports nothing more."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from wangge.cases.models import Case
from wangge.cases.services import report
from wangge.core.errors import Forbidden


def test_someone_who_has_left_reports_nothing(cast):
    cast.supervisor.end_date = timezone.localdate() - dt.timedelta(days=1)
    cast.supervisor.save()
    with pytest.raises(Forbidden, match="left on"):
        report(
            actor_user=cast.supervisor.user,
            source="five_roles",
            description="垃圾满溢",
            lon=102.848,
            lat=24.875,
        )
    assert Case.objects.count() == 0


def test_a_report_made_before_leaving_is_still_taken(cast):
    left = timezone.localdate() - dt.timedelta(days=1)
    cast.supervisor.end_date = left
    cast.supervisor.save()
    case = report(
        actor_user=cast.supervisor.user,
        source="five_roles",
        description="垃圾满溢",
        lon=102.848,
        lat=24.875,
        reported_at=timezone.now() - dt.timedelta(days=2),
    )
    assert case.reporter == cast.supervisor.user
