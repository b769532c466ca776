"""Reads of cases, always scoped by a Territory."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wangge.cases.models import OPEN_STATUSES, Case, CaseSource, CaseStatus, Category
from wangge.core.errors import NotFound
from wangge.org.selectors import community_code_q
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


def cases_filter(
    cases: QuerySet[Case],
    *,
    statuses: list[str] | None = None,
    grid_code: str = "",
    community_code: str = "",
    category_code: str = "",
    source: str = "",
    tier: int | None = None,
    overdue: bool | None = None,
    key: bool | None = None,
    reported_from: dt.date | None = None,
    reported_to: dt.date | None = None,
    text: str = "",
    now: dt.datetime | None = None,
) -> QuerySet[Case]:
    """Narrow a scoped list of cases; the pages and the API filter through this one function.

    Dates are whole local days, both included; ``text`` matches the start of the number, or
    words of the description or address. Newest first.
    """
    q = Q()
    if statuses:
        q &= Q(status__in=statuses)
    if grid_code:
        q &= Q(grid__code=grid_code)
    if community_code:
        q &= community_code_q(community_code, prefix="community__")
    if category_code:
        q &= Q(category__code=category_code)
    if source:
        q &= Q(source=source)
    if tier is not None:
        q &= Q(tier=tier)
    if overdue is not None:
        # The same rule as Case.overdue_at: handling is late and the case is not handled yet.
        late = Q(
            status__in=[CaseStatus.DISPATCHED, CaseStatus.HANDLING],
            handling_due_at__lt=now or timezone.now(),
        )
        q &= late if overdue else ~late
    if key is not None:
        q &= Q(is_key=key)
    tz = timezone.get_current_timezone()
    if reported_from:
        q &= Q(reported_at__gte=dt.datetime.combine(reported_from, dt.time(), tz))
    if reported_to:
        next_day = reported_to + dt.timedelta(days=1)
        q &= Q(reported_at__lt=dt.datetime.combine(next_day, dt.time(), tz))
    if text := text.strip():
        q &= (
            Q(number__startswith=text) | Q(description__icontains=text) | Q(address__icontains=text)
        )
    return cases.filter(q).order_by("-reported_at", "-id")


def case_by_idempotency_key(key: str) -> Case | None:
    return Case.objects.filter(idempotency_key=key).first()


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
        # Any step waiting longer than its limit: filing, dispatch, handling or verification.
        "late": cases.filter(status__in=OPEN_STATUSES, step_due_at__lt=now),
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


def likely_duplicates(
    case: Case, *, radius_m: float | None = None, days: int | None = None
) -> list[Case]:
    """Open cases of the same category near this one, reported shortly before: offered at
    filing as probable duplicates (the same problem reported twice), nearest first."""
    window = dt.timedelta(days=settings.WANGGE_DUPLICATE_DAYS if days is None else days)
    return _nearby(
        case,
        Case.objects.open().filter(reported_at__gte=case.reported_at - window),
        settings.WANGGE_DUPLICATE_RADIUS_M if radius_m is None else radius_m,
    )


def recurrences(
    case: Case,
    *,
    category: Category | None = None,
    radius_m: float | None = None,
    days: int = 90,
) -> list[Case]:
    """Closed cases of the same category at the same place in the last ``days``: the problem
    came back (reported again at the same place makes a key case)."""
    return _nearby(
        case,
        Case.objects.filter(closed_at__gte=case.reported_at - dt.timedelta(days=days)),
        settings.WANGGE_DUPLICATE_RADIUS_M if radius_m is None else radius_m,
        category_id=category.pk if category is not None else None,
    )


def _nearby(
    case: Case, among: QuerySet[Case], radius: float, category_id: int | None = None
) -> list[Case]:
    lat = float(case.lat)
    # A box around the point first (an index-friendly filter), then the exact distance.
    dlat = Decimal(str(radius / 111_320))
    dlon = Decimal(str(radius / (111_320 * max(math.cos(math.radians(lat)), 0.01))))
    candidates = among.filter(
        lat__range=(case.lat - dlat, case.lat + dlat),
        lon__range=(case.lon - dlon, case.lon + dlon),
        reported_at__lte=case.reported_at,
    ).exclude(pk=case.pk)
    category_id = category_id or case.category_id
    if category_id is not None:
        candidates = candidates.filter(category_id=category_id)
    near = [(metres_between(case, other), other) for other in candidates.select_related("category")]
    return [other for d, other in sorted(near, key=lambda t: (t[0], t[1].pk)) if d <= radius]


def metres_between(a: Case, b: Case) -> float:
    """Great-circle distance between two cases' points (haversine; metres)."""
    lat1, lon1, lat2, lon2 = map(
        math.radians, (float(a.lat), float(a.lon), float(b.lat), float(b.lon))
    )
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))
