"""Scheduled jobs of the cases app (huey); each calls one service and is safe to run twice."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/15"))
def flag_overdue_task() -> int:
    from wangge.cases.services import flag_overdue

    return flag_overdue()
