"""The command centre's reads: one function per panel, each scoped by a Territory.

Every figure comes from the owning app: case figures from ``wangge.cases.rates`` (never
recomputed here), the queues from ``wangge.cases.selectors``, linkage response times from
``wangge.field.linkage.selectors.response_times`` and who is on duty from
``wangge.field.duty.selectors.sessions_now``. This module only picks and arranges them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from wangge.cases import rates
from wangge.cases.models import OPEN_STATUSES, Case, CaseStatus, Oversight
from wangge.cases.selectors import cases_visible, queues
from wangge.field.duty.selectors import sessions_now
from wangge.field.linkage.selectors import ResponseRow, response_times
from wangge.org.maps import grid_collection
from wangge.org.selectors import grids_visible
from wangge.org.territory import Territory
from wangge.people.models import RoleKind

LIST_LIMIT = 20
TREND_MONTHS = 12

# The map's colours by on-time closure rate: (lowest rate, colour, legend). Highest first.
RATE_BANDS: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("0.95"), "#1e8e4f", "≥ 95%"),
    (Decimal("0.90"), "#7cb342", "90–95%"),
    (Decimal("0.80"), "#f2b705", "80–90%"),
    (Decimal("0.60"), "#ef7d22", "60–80%"),
    (Decimal("0"), "#c0392b", "< 60%"),
)
NO_RATE_COLOUR = "#9aa5b1"


def rate_colour(value: Decimal | None) -> str:
    """The map colour of an on-time closure rate (grey: nothing to close)."""
    if value is None:
        return NO_RATE_COLOUR
    for lowest, colour, _ in RATE_BANDS:
        if value >= lowest:
            return colour
    return RATE_BANDS[-1][1]


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), timezone.get_current_timezone())


def today_period(now: dt.datetime) -> rates.Period:
    day = timezone.localtime(now).date()
    return rates.Period.dates(day, day)


def month_period(now: dt.datetime) -> rates.Period:
    return rates.Period.month(f"{timezone.localtime(now):%Y-%m}")


def trend_period(now: dt.datetime, months: int = TREND_MONTHS) -> rates.Period:
    """The last ``months`` calendar months, this one included."""
    local = timezone.localtime(now)
    index = local.year * 12 + local.month - 1 - (months - 1)
    first = dt.date(index // 12, index % 12 + 1, 1)
    return rates.Period(_local_midnight(first), month_period(now).end)


# --- 1. cases by state ---------------------------------------------------------------------


@dataclass(frozen=True)
class StateCounts:
    """Cases reported in a period, by their state now, and the period's figures (rates.py)."""

    period: rates.Period
    by_state: list[tuple[str, str, int]]  # (status, label, count), in the workflow's order
    total: int
    figures: rates.Figures


def case_states(territory: Territory, period: rates.Period, now: dt.datetime) -> StateCounts:
    cases = cases_visible(territory)
    counts = dict(
        cases.filter(reported_at__gte=period.start, reported_at__lt=period.end)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    by_state = [(s.value, str(s.label), counts.get(s.value, 0)) for s in CaseStatus]
    return StateCounts(
        period=period,
        by_state=by_state,
        total=sum(counts.values()),
        figures=rates.figures(cases, period, now=now, hours=False),
    )


def open_by_state(territory: Territory, now: dt.datetime) -> dict[str, int]:
    """The centre's queues now (their sizes), from cases.selectors.queues."""
    return {name: qs.count() for name, qs in queues(territory, now).items()}


# --- 2. overdue and key cases -----------------------------------------------------------------


@dataclass(frozen=True)
class CaseLine:
    case: Case
    due: dt.datetime | None
    overdue_by: dt.timedelta | None

    @property
    def overdue_hours(self) -> int | None:
        if self.overdue_by is None:
            return None
        return int(self.overdue_by.total_seconds() // 3600)


def overdue_cases(
    territory: Territory, now: dt.datetime, limit: int = LIST_LIMIT
) -> tuple[list[CaseLine], int]:
    """The longest-overdue cases (the centre's "overdue" queue) and how many there are."""
    qs = queues(territory, now)["overdue"]
    rows = qs.order_by("handling_due_at", "pk")[:limit]
    lines = [
        CaseLine(c, c.handling_due_at, now - c.handling_due_at if c.handling_due_at else None)
        for c in rows
    ]
    return lines, qs.count()


def key_cases(
    territory: Territory, now: dt.datetime, limit: int = LIST_LIMIT
) -> tuple[list[CaseLine], int]:
    """Open key cases (重点案件, the cases oversight orders are for); the due time is the
    earliest deadline of an oversight order still open, else the handling due time. Earliest
    first."""
    deadline = (
        Oversight.objects.filter(case_id=OuterRef("pk"), closed_at__isnull=True)
        .order_by("deadline")
        .values("deadline")[:1]
    )
    qs = cases_visible(territory).filter(status__in=OPEN_STATUSES, is_key=True)
    rows = qs.annotate(due=Coalesce(Subquery(deadline), "handling_due_at")).order_by(
        F("due").asc(nulls_last=True), "pk"
    )[:limit]
    lines = []
    for c in rows:
        due: dt.datetime | None = c.due
        late = now - due if due and due < now else None
        lines.append(CaseLine(c, due, late))
    return lines, qs.count()


# --- 3. closure and on-time rates ----------------------------------------------------------------


def trend(territory: Territory, now: dt.datetime) -> list[rates.Row]:
    """The figures of each of the last 12 months (rates.figures_by by month)."""
    return trend_past(territory, now) + trend_this_month(territory, now)


def trend_past(territory: Territory, now: dt.datetime) -> list[rates.Row]:
    """The 11 months before this one (rates.figures_by by month): they change rarely, so the
    page may keep them longer than this month's figures."""
    period = rates.Period(trend_period(now).start, month_period(now).start)
    return rates.figures_by(cases_visible(territory), period, "month", now=now, hours=False)


def trend_this_month(territory: Territory, now: dt.datetime) -> list[rates.Row]:
    return rates.figures_by(
        cases_visible(territory), month_period(now), "month", now=now, hours=False
    )


def rates_by(territory: Territory, now: dt.datetime, by: str) -> list[rates.Row]:
    """This month's figures per community or per grid (rates.figures_by)."""
    return rates.figures_by(cases_visible(territory), month_period(now), by, now=now, hours=False)


def rate_map(territory: Territory, now: dt.datetime) -> dict[str, Any]:
    """The territory's grids as GeoJSON coloured by this month's on-time closure rate."""
    by_grid = {row.key: row.figures for row in rates_by(territory, now, "grid")}

    def extra(grid: Any) -> dict[str, Any]:
        f = by_grid.get(grid.pk)
        value = f.on_time_rate if f else None
        return {
            "color": rate_colour(value),
            "on_time_rate": None if value is None else float(value),
            "to_close": f.to_close if f else 0,
        }

    return grid_collection(grids_visible(territory), extra)


# --- 4. linkage ------------------------------------------------------------------------------


def linkage_by_role(territory: Territory, now: dt.datetime) -> list[ResponseRow]:
    """This month's linkage response times per role (linkage.selectors.response_times)."""
    period = month_period(now)
    return response_times(territory, period.start, period.end, by=("role",))


# --- 5. on duty now ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OnDuty:
    total: int
    by_role: list[tuple[str, str, int]]  # (role, label, count), every role listed
    positions: list[dict[str, Any]]  # last positions, for the map


def _by_role(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    counts = dict(counts)
    by_role = [(r.value, str(r.label), counts.pop(r.value, 0)) for r in RoleKind]
    return by_role + [(role, role, n) for role, n in sorted(counts.items())]


def on_duty_counts(territory: Territory) -> OnDuty:
    """Who is on duty now, counted per role only (no positions): one narrow query over the
    same sessions as ``sessions_now``."""
    counts = Counter(sessions_now(territory).order_by().values_list("role", flat=True))
    return OnDuty(total=sum(counts.values()), by_role=_by_role(counts), positions=[])


def on_duty(territory: Territory) -> OnDuty:
    sessions = list(sessions_now(territory))
    today = timezone.localdate().isoformat()
    counts: dict[str, int] = {}
    positions = []
    for s in sessions:
        counts[s.role] = counts.get(s.role, 0) + 1
        lat, lon, at = s.last_lat, s.last_lon, s.last_at  # type: ignore[attr-defined]
        if lat is not None and lon is not None:
            positions.append(
                {
                    "name": s.person.name,
                    "role": s.get_role_display(),
                    "grid": s.grid.name,
                    "lat": float(lat),
                    "lon": float(lon),
                    "at": timezone.localtime(at).strftime("%H:%M") if at else "",
                    "url": reverse("duty:day", args=[s.person_id, today]),
                }
            )
    return OnDuty(total=len(sessions), by_role=_by_role(counts), positions=positions)


def duty_map(territory: Territory) -> dict[str, Any]:
    """The territory's grids in their communities' colours, under the on-duty dots."""
    return grid_collection(grids_visible(territory))
