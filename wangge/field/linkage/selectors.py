"""Reads about linkage: a person's open calls, the calls in a territory, response times."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from wangge.cases import rates
from wangge.core.errors import NotFound
from wangge.field.linkage.models import OPEN_STATUSES, LinkageCall
from wangge.org.models import Grid
from wangge.org.territory import Territory
from wangge.people.models import Person, RoleKind


def open_calls_for(person: Person) -> QuerySet[LinkageCall]:
    """Calls addressed to this person not yet handled (nor cancelled), newest first."""
    return (
        LinkageCall.objects.filter(person=person, status__in=OPEN_STATUSES)
        .select_related("case", "case__category", "grid")
        .order_by("-called_at", "-pk")
    )


def calls_visible(territory: Territory) -> QuerySet[LinkageCall]:
    """The calls about cases in the territory's grids, newest first."""
    return (
        LinkageCall.objects.filter(grid__in=Grid.objects.filter(territory.grid_q()))
        .select_related("case", "case__category", "grid", "person", "called_by")
        .order_by("-called_at", "-pk")
    )


def call_get(territory: Territory, pk: int) -> LinkageCall:
    try:
        return calls_visible(territory).get(pk=pk)
    except LinkageCall.DoesNotExist:
        raise NotFound(f"no linkage call {pk} in your territory", field="id") from None


def _minutes(start: dt.datetime, end: dt.datetime | None) -> float | None:
    if end is None:
        return None
    return (end - start).total_seconds() / 60


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _mean(values: list[float]) -> float | None:
    return round(statistics.fmean(values), 1) if values else None


@dataclass
class ResponseRow:
    """Linkage response times of a group of calls (e.g. one grid and role).

    Minutes are wall-clock minutes from the call to each step, over the calls that reached
    that step; cancelled calls are not counted.
    """

    grid: Grid | None
    role: str | None
    calls: int = 0
    acknowledged: int = 0
    arrived: int = 0
    handled: int = 0
    to_leader: int = 0
    median_ack_min: float | None = None
    mean_ack_min: float | None = None
    median_arrive_min: float | None = None
    mean_arrive_min: float | None = None
    median_handle_min: float | None = None
    mean_handle_min: float | None = None
    _ack: list[float] = field(default_factory=list, repr=False)
    _arrive: list[float] = field(default_factory=list, repr=False)
    _handle: list[float] = field(default_factory=list, repr=False)
    _grid_id: int | None = field(default=None, repr=False)

    @property
    def role_label(self) -> str:
        return str(RoleKind(self.role).label) if self.role in RoleKind.values else ""

    @property
    def unanswered(self) -> int:
        return self.calls - self.acknowledged


def response_times(
    territory: Territory,
    since: dt.datetime,
    until: dt.datetime,
    by: Sequence[str] = ("grid", "role"),
) -> list[ResponseRow]:
    """Linkage response times of the calls made in [since, until) in the territory, one row
    per group (``by``: any of "grid", "role"; empty = one row for everything).

    Rows are ordered by grid code and role.
    """
    unknown = set(by) - {"grid", "role"}
    if unknown:
        raise ValueError(f"cannot group by {sorted(unknown)}")
    # Plain tuples, not model instances: a city's month has tens of thousands of calls.
    calls = (
        LinkageCall.objects.filter(
            grid__in=Grid.objects.filter(territory.grid_q()),
            called_at__gte=since,
            called_at__lt=until,
        )
        .exclude(status="cancelled")
        .order_by()
        .values_list(
            "grid_id",
            "role",
            "to_leader",
            "called_at",
            "acknowledged_at",
            "arrived_at",
            "handled_at",
        )
    )
    by_grid, by_role = "grid" in by, "role" in by
    rows: dict[tuple[object, ...], ResponseRow] = {}
    for grid_id, role, to_leader, called_at, acked_at, arrived_at, handled_at in calls.iterator(
        chunk_size=5000
    ):
        key = (grid_id if by_grid else None, role if by_role else None)
        row = rows.get(key)
        if row is None:
            row = rows[key] = ResponseRow(
                grid=None, role=role if by_role else None, _grid_id=grid_id if by_grid else None
            )
        row.calls += 1
        row.to_leader += int(to_leader)
        for at, values, counter in (
            (acked_at, row._ack, "acknowledged"),
            (arrived_at, row._arrive, "arrived"),
            (handled_at, row._handle, "handled"),
        ):
            minutes = _minutes(called_at, at)
            if minutes is not None:
                values.append(minutes)
                setattr(row, counter, getattr(row, counter) + 1)
    if by_grid:
        grids = Grid.objects.only("code", "name").in_bulk({r._grid_id for r in rows.values()})
        for row in rows.values():
            row.grid = grids.get(row._grid_id) if row._grid_id is not None else None
    for row in rows.values():
        row.median_ack_min, row.mean_ack_min = _median(row._ack), _mean(row._ack)
        row.median_arrive_min, row.mean_arrive_min = _median(row._arrive), _mean(row._arrive)
        row.median_handle_min, row.mean_handle_min = _median(row._handle), _mean(row._handle)
    return sorted(
        rows.values(),
        key=lambda r: (r.grid.code if r.grid else "", r.role or ""),
    )


def month_bounds(value: str | None, today: dt.date) -> tuple[dt.date, dt.datetime, dt.datetime]:
    """The first day and the [start, end) of a month "YYYY-MM" in local time (this month when
    absent); a malformed month is refused by ``rates.Period.month`` with a clear message."""
    period = rates.Period.month(value or f"{today:%Y-%m}")
    return timezone.localdate(period.start), period.start, period.end
