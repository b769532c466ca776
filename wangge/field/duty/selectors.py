"""Reads about duty: who is on duty now, a person's sessions, planned shifts, and duty totals
over days (``duty_days``, from the stored rows)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from wangge.field.duty.models import (
    DutyDay,
    DutySession,
    Ping,
    Shift,
    ShiftException,
    ShiftExceptionKind,
)
from wangge.org.models import Grid
from wangge.org.territory import Territory
from wangge.people.models import Person


def on_duty(
    grid: Grid | int, role: str | None = None, at: dt.datetime | None = None
) -> QuerySet[Person]:
    """The people on duty in a grid (in one role, if given) at a moment (now by default).

    On duty means signed on and not yet signed off at that moment, in that grid and role.
    """
    at = at or timezone.now()
    grid_id = grid if isinstance(grid, int) else grid.pk
    sessions = DutySession.objects.filter(grid_id=grid_id, started_at__lte=at).exclude(
        ended_at__lt=at
    )
    if role is not None:
        sessions = sessions.filter(role=role)
    return Person.objects.filter(pk__in=sessions.values("person_id")).order_by("name", "pk")


def open_session(person: Person) -> DutySession | None:
    return DutySession.objects.open().filter(person=person).select_related("grid").first()


@dataclass(frozen=True)
class PlannedShift:
    """One shift a person is planned for, as a timezone-aware interval."""

    person_id: int
    start: dt.datetime
    end: dt.datetime
    grid_id: int | None
    role: str | None
    extra: bool = False

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60


def _aware(day: dt.date, at: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, at), timezone.get_current_timezone())


def planned_shifts_many(
    person_ids: Iterable[int], first_day: dt.date, last_day: dt.date
) -> dict[tuple[int, dt.date], list[PlannedShift]]:
    """Planned shifts per (person id, date) from the weekly roster and its exceptions.

    A weekly shift applies on its weekday between valid_from and valid_to; an "off" exception
    cancels that day's weekly shifts; an "extra" exception adds a shift. Two queries.
    """
    ids = sorted(set(person_ids))
    shifts = list(
        Shift.objects.filter(person_id__in=ids, valid_from__lte=last_day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=first_day)
        )
    )
    exceptions = list(
        ShiftException.objects.filter(person_id__in=ids, date__gte=first_day, date__lte=last_day)
    )
    off = {(e.person_id, e.date) for e in exceptions if e.kind == ShiftExceptionKind.OFF}
    by_weekday: dict[tuple[int, int], list[Shift]] = {}
    for s in shifts:
        by_weekday.setdefault((s.person_id, s.weekday), []).append(s)
    planned: dict[tuple[int, dt.date], list[PlannedShift]] = {}
    days = (last_day - first_day).days + 1
    for offset in range(days):
        day = first_day + dt.timedelta(days=offset)
        weekday = day.weekday()
        for pid in ids:
            if (pid, day) in off:
                continue
            for s in by_weekday.get((pid, weekday), ()):
                if s.valid_from <= day and (s.valid_to is None or s.valid_to >= day):
                    planned.setdefault((pid, day), []).append(
                        PlannedShift(
                            pid,
                            _aware(day, s.start_time),
                            _aware(day, s.end_time),
                            s.grid_id,
                            s.role,
                        )
                    )
    for e in exceptions:
        if e.kind == ShiftExceptionKind.EXTRA and e.start_time and e.end_time:
            planned.setdefault((e.person_id, e.date), []).append(
                PlannedShift(
                    e.person_id,
                    _aware(e.date, e.start_time),
                    _aware(e.date, e.end_time),
                    None,
                    None,
                    extra=True,
                )
            )
    for items in planned.values():
        items.sort(key=lambda p: p.start)
    return planned


def planned_shifts(person: Person | int, day: dt.date) -> list[PlannedShift]:
    """A person's planned shifts on a date, earliest first."""
    pid = person if isinstance(person, int) else person.pk
    return planned_shifts_many([pid], day, day).get((pid, day), [])


def sessions_now(territory: Territory) -> QuerySet[DutySession]:
    """Open sessions in the territory's grids, each with the person's last position
    (``last_at``, ``last_lon``, ``last_lat``; None before the first ping)."""
    last = Ping.objects.filter(person_id=OuterRef("person_id")).order_by("-at")
    return (
        DutySession.objects.open()
        .filter(grid__in=Grid.objects.filter(territory.grid_q()))
        .select_related("person", "grid", "grid__community")
        .annotate(
            last_at=Subquery(last.values("at")[:1]),
            last_lon=Subquery(last.values("lon")[:1]),
            last_lat=Subquery(last.values("lat")[:1]),
        )
        .order_by("grid__code", "role", "person__name")
    )


def pings_between(person: Person | int, start: dt.datetime, end: dt.datetime) -> QuerySet[Ping]:
    pid = person if isinstance(person, int) else person.pk
    return Ping.objects.filter(person_id=pid, at__gte=start, at__lt=end).order_by("at", "id")


def person_visible(territory: Territory, person_id: int, user_id: int | None) -> Person | None:
    """The person if they are in the territory or are the user themself, else None."""
    from wangge.people.selectors import persons_visible

    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        return None
    if user_id is not None and person.user_id == user_id:
        return person
    return person if persons_visible(territory).filter(pk=person_id).exists() else None


def sessions_on(
    person: Person | int, start: dt.datetime, end: dt.datetime
) -> QuerySet[DutySession]:
    """The person's sessions overlapping [start, end)."""
    pid = person if isinstance(person, int) else person.pk
    return (
        DutySession.objects.filter(person_id=pid, started_at__lt=end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=start))
        .select_related("grid")
        .order_by("started_at")
    )


@dataclass
class DutyTotals:
    """One person's duty figures summed over days (see ``duty.summary`` for each figure)."""

    person_id: int
    days: int = 0
    on_duty_minutes: float = 0.0
    online_minutes: float = 0.0
    off_post_minutes: float = 0.0
    planned_minutes: float = 0.0
    shifts: int = 0
    missed_shifts: int = 0
    distance_m: float = 0.0

    def add(self, row: DutyDay) -> None:
        self.days += 1
        self.on_duty_minutes += row.on_duty_minutes
        self.online_minutes += row.online_minutes
        self.off_post_minutes += row.off_post_minutes
        self.planned_minutes += row.planned_minutes
        self.shifts += row.shifts
        self.missed_shifts += row.missed_shifts
        self.distance_m += row.distance_m


IDS_PER_QUERY = 2000
_SUMS = {
    "days": Count("id"),
    "on_duty_minutes": Sum("on_duty_minutes"),
    "online_minutes": Sum("online_minutes"),
    "off_post_minutes": Sum("off_post_minutes"),
    "planned_minutes": Sum("planned_minutes"),
    "shifts": Sum("shifts"),
    "missed_shifts": Sum("missed_shifts"),
    "distance_m": Sum("distance_m"),
}


def _stored_totals(ids: list[int], first_day: dt.date, last_day: dt.date) -> dict[int, DutyTotals]:
    out: dict[int, DutyTotals] = {}
    days = DutyDay.objects.filter(date__gte=first_day, date__lte=last_day)
    # Many people: one grouped scan of the period's days, kept below for the people asked for
    # (thousands of ids in an IN list cost more to send and plan than the rows they spare).
    wanted = set(ids)
    if len(ids) <= IDS_PER_QUERY:
        days = days.filter(person_id__in=ids)
    for row in days.order_by().values("person_id").annotate(**_SUMS):
        values: dict[str, Any] = dict(row)
        pid = values.pop("person_id")
        if pid in wanted:
            out[pid] = DutyTotals(person_id=pid, **{k: v or 0 for k, v in values.items()})
    return out


def duty_days(
    person_ids: Iterable[int],
    first_day: dt.date,
    last_day: dt.date,
    *,
    now: dt.datetime | None = None,
) -> dict[int, DutyTotals]:
    """Each person's duty figures summed from ``first_day`` to ``last_day`` (inclusive).

    Finished days come from the stored rows (``DutyDay``); a finished day with no row yet (the
    nightly job has not run, or late pings dropped it) is computed and stored first, so the
    answer never depends on whether the job ran. Days not over yet are computed live and not
    stored. One grouped query when every row is there. Every person asked for is in the answer.
    """
    from wangge.field.duty.services import compute_days, store_days

    now = now or timezone.now()
    ids = sorted(set(person_ids))
    out = {pid: DutyTotals(person_id=pid) for pid in ids}
    if not ids or last_day < first_day:
        return out
    last_finished = min(last_day, timezone.localdate(now) - dt.timedelta(days=1))
    if last_finished >= first_day:
        expected = (last_finished - first_day).days + 1
        totals = _stored_totals(ids, first_day, last_finished)
        short = [pid for pid in ids if pid not in totals or totals[pid].days < expected]
        if short:
            have: dict[int, set[dt.date]] = {}
            for pid, day in DutyDay.objects.filter(
                person_id__in=short, date__gte=first_day, date__lte=last_finished
            ).values_list("person_id", "date"):
                have.setdefault(pid, set()).add(day)
            days = [first_day + dt.timedelta(days=k) for k in range(expected)]
            gaps = [d for d in days if any(d not in have.get(pid, ()) for pid in short)]
            store_days(short, gaps[0], gaps[-1], now)
            totals.update(_stored_totals(short, first_day, last_finished))
        out.update(totals)
    live_first = max(first_day, last_finished + dt.timedelta(days=1))
    if live_first <= last_day:
        for row in compute_days(ids, live_first, last_day, now):
            out[row.person_id].add(row)
    return out
