"""Schedules of the background jobs in the platform's time zone.

huey checks a periodic task's crontab against the current time in UTC (its default), so a job
meant for 00:30 in Shanghai would run at 08:30 there. :func:`local_crontab` takes the same
arguments as ``huey.crontab`` and reads them as local time (``settings.TIME_ZONE``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from huey import crontab


def local_crontab(
    minute: str = "*", hour: str = "*", day: str = "*", month: str = "*", day_of_week: str = "*"
) -> Callable[[dt.datetime], bool]:
    matches = crontab(minute=minute, hour=hour, day=day, month=month, day_of_week=day_of_week)

    def validate(at: dt.datetime) -> bool:
        # huey hands over a naive UTC time (utc=True, the default).
        aware = at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at
        local = aware.astimezone(ZoneInfo(settings.TIME_ZONE)).replace(tzinfo=None)
        return bool(matches(local))

    return validate
