"""Helpers for the duty tests: sessions and synthetic tracks written straight to the tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from wangge.field.duty.models import DutyRules, DutySession, Ping
from wangge.people.models import Person

# 吴家营社区东网格 in the cast: lon 102.845–102.85, lat 24.87–24.88.
INSIDE = (102.8475, 24.875)
# 0.002° east of the grid's east edge: about 202 m outside it (inside 洛龙社区南网格).
OUTSIDE = (102.852, 24.875)
DAY = dt.date(2026, 11, 20)  # a Friday


@pytest.fixture(autouse=True)
def _fresh_rules():
    """The rules are cached per process: a test's change must not outlive its transaction."""
    DutyRules.forget()
    yield
    DutyRules.forget()


def local(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute, second)))


@pytest.fixture
def session() -> Callable[..., DutySession]:
    def make(
        person: Person, grid, start: dt.datetime, end: dt.datetime | None, role: str = "supervisor"
    ) -> DutySession:
        return DutySession.objects.create(
            person=person,
            grid=grid,
            role=role,
            started_at=start,
            ended_at=end,
            client_id=f"s-{person.pk}-{start:%Y%m%d%H%M}",
        )

    return make


@pytest.fixture
def track() -> Callable[..., list[Ping]]:
    """Pings for (time, (lon, lat)) pairs."""

    def make(person: Person, points: list[tuple[dt.datetime, tuple[float, float]]]) -> list[Ping]:
        return Ping.objects.bulk_create(
            Ping(
                person=person,
                client_id=f"p-{at:%Y%m%d%H%M%S}-{k}",
                at=at,
                lon=lon,
                lat=lat,
                received_at=at,
            )
            for k, (at, (lon, lat)) in enumerate(points)
        )

    return make


def every_minute(
    start: dt.datetime, end: dt.datetime, where: Callable[[dt.datetime], tuple[float, float]]
) -> list[tuple[dt.datetime, tuple[float, float]]]:
    """One point a minute from start up to (not including) end."""
    out = []
    at = start
    while at < end:
        out.append((at, where(at)))
        at += dt.timedelta(minutes=1)
    return out
