"""Scheduled jobs of the duty app (huey); each calls one service and is safe to run twice."""

from __future__ import annotations

import datetime as dt

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="30", hour="0"))
def record_days_task() -> int:
    """At 00:30: store yesterday's duty day of every member of staff."""
    from django.utils import timezone

    from wangge.field.duty.services import record_days

    return record_days(timezone.localdate() - dt.timedelta(days=1))
