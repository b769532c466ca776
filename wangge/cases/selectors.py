"""Reads of cases, always scoped by a Territory."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wangge.cases.models import Case, CaseSource, CaseStatus
from wangge.core.errors import NotFound
from wangge.org.territory import Territory

PUBLIC_SOURCES = [s for s in CaseSource.values if CaseSource.needs_verification(s)]


def cases_visible(territory: Territory) -> QuerySet[Case]:
    """The one scoping selector for cases: every page and endpoint lists cases through it."""
    return Case.objects.filter(territory.grid_q(prefix="grid__")).select_related(
        "grid",
        "community",
        "subdistrict__district",
        "category",
        "handling_unit",
        "handler",
        "leader_post__person",
    )


def case_get(territory: Territory, pk: int) -> Case:
    try:
        return cases_visible(territory).get(pk=pk)
    except Case.DoesNotExist:
        raise NotFound(f"no case {pk} in your territory", field="id") from None


def queues(territory: Territory, now: dt.datetime | None = None) -> dict[str, QuerySet[Case]]:
    """The centre's work queues."""
    now = now or timezone.now()
    cases = cases_visible(territory)
    needs_check = Q(source__in=PUBLIC_SOURCES, verified_report_at__isnull=True)
    return {
        "to_verify": cases.filter(status=CaseStatus.REPORTED).filter(needs_check),
        "to_file": cases.filter(status=CaseStatus.REPORTED).exclude(needs_check),
        "to_dispatch": cases.filter(status=CaseStatus.FILED),
        "overdue": cases.filter(
            status__in=[CaseStatus.DISPATCHED, CaseStatus.HANDLING], handling_due_at__lt=now
        ),
        "extensions": cases.filter(pending_extension_hours__isnull=False),
        "to_close": cases.filter(status=CaseStatus.HANDLED),
        "to_evaluate": cases.filter(status=CaseStatus.CLOSED),
        "suspended": cases.filter(status=CaseStatus.SUSPENDED),
    }


def case_counts(grid_ids: list[int], since: dt.datetime | None = None) -> dict[int, int]:
    """Cases reported in each grid (in the last 12 months by default): the grids' workload."""
    since = since or timezone.now() - dt.timedelta(days=365)
    return dict(
        Case.objects.filter(grid_id__in=grid_ids, reported_at__gte=since)
        .values("grid_id")
        .annotate(n=Count("id"))
        .values_list("grid_id", "n")
    )
