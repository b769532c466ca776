"""Scheduled jobs of the alerts app (huey); each calls one service and is safe to run twice."""

from __future__ import annotations

from huey.contrib.djhuey import db_periodic_task

from wangge.core.jobs import local_crontab


@db_periodic_task(local_crontab(minute="*"))
def chase_alerts_task() -> int:
    from wangge.field.alerts.services import chase_alerts

    return chase_alerts()
