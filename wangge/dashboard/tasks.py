"""The command centre's job: keep the watched dashboards' panels computed (every minute)."""

from __future__ import annotations

from huey.contrib.djhuey import db_periodic_task

from wangge.core.jobs import local_crontab
from wangge.dashboard.views import warm_panels


@db_periodic_task(local_crontab(minute="*"))
def warm_dashboard_panels() -> int:
    return warm_panels()
