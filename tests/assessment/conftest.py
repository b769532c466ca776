"""Shared makers for the assessment tests: hand-built cases of May 2019 (Kunming time)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from wangge.cases.models import Case, CaseSource, CaseStatus

TZ = ZoneInfo("Asia/Shanghai")
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _pages_in_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def at(m: int, d: int, h: int = 9, mi: int = 0, year: int = 2019) -> dt.datetime:
    return dt.datetime(year, m, d, h, mi, tzinfo=TZ)


def closed_case(grid, day: int, *, on_time: bool = True, rework: int = 0, month: int = 5) -> Case:
    """A case filed, handled and closed on ``day`` of the month; due the next day at 10:00.

    A late case (on_time=False) was handled after its due time (due the same day at 09:30).
    """
    due = at(month, day + 1, 10) if on_time else at(month, day, 9, 30)
    return Case.objects.create(
        number=f"2019005{next(_numbers):07d}",
        description="hand-made",
        source=CaseSource.SUPERVISOR,
        lon=Decimal("102.85"),
        lat=Decimal("24.875"),
        grid=grid,
        community=grid.community,
        subdistrict=grid.community.subdistrict,
        status=CaseStatus.CLOSED,
        reported_at=at(month, day, 8),
        filed_at=at(month, day, 8, 30),
        dispatched_at=at(month, day, 9),
        handling_due_at=due,
        handled_at=at(month, day, 11),
        closed_at=at(month, day, 15),
        on_time=on_time,
        rework_count=rework,
    )
