"""Scheduled jobs of the assessment app (huey); each calls one service and is safe to run twice."""

from __future__ import annotations

import datetime as dt

from huey.contrib.djhuey import db_periodic_task

from wangge.core.jobs import local_crontab


def previous_month(today: dt.date) -> str:
    first = today.replace(day=1) - dt.timedelta(days=1)
    return f"{first:%Y-%m}"


@db_periodic_task(local_crontab(day="1", hour="2", minute="0"))
def assess_last_month_task() -> int:
    """On the 1st at 02:00: draft (or recompute the drafts of) the month before."""
    from django.utils import timezone

    from wangge.assessment.services import assess

    return len(assess(previous_month(timezone.localdate())))
