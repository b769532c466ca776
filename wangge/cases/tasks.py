"""Scheduled jobs of the cases app (huey); each calls one service and is safe to run twice."""

from __future__ import annotations

from huey.contrib.djhuey import db_periodic_task

from wangge.core.jobs import local_crontab


@db_periodic_task(local_crontab(minute="*/15"))
def flag_overdue_task() -> int:
    from wangge.cases.services import flag_overdue

    return flag_overdue()
