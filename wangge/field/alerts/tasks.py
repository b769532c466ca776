"""Scheduled jobs of the alerts app (huey); each calls one service and is safe to run twice."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*"))
def chase_alerts_task() -> int:
    from wangge.field.alerts.services import chase_alerts

    return chase_alerts()
