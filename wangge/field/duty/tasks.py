"""Scheduled jobs of the duty app (huey); each calls one service and is safe to run twice."""

from __future__ import annotations

import datetime as dt

from huey.contrib.djhuey import db_periodic_task

from wangge.core.jobs import local_crontab


@db_periodic_task(local_crontab(minute="30", hour="0"))
def record_days_task() -> int:
    """At 00:30: store yesterday's duty day of every member of staff."""
    from django.utils import timezone

    from wangge.field.duty.services import record_days

    return record_days(timezone.localdate() - dt.timedelta(days=1))
