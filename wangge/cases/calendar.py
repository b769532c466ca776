"""Working time: Monday–Friday, minus public holidays, plus adjusted working days (调休),
within the configured working periods of a day. Due times are computed here.

All arithmetic happens in the local time zone (settings.TIME_ZONE, Asia/Shanghai by default).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings

from wangge.cases.models import CalendarDay, WorkPeriod

DEFAULT_PERIODS = ((dt.time(9, 0), dt.time(12, 0)), (dt.time(13, 30), dt.time(17, 30)))
_MAX_DAYS = 3660  # a limit cannot run more than ten years into the future


@dataclass(frozen=True)
class WorkingCalendar:
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    periods: tuple[tuple[dt.time, dt.time], ...]
    tz: ZoneInfo

    @classmethod
    def load(cls) -> WorkingCalendar:
        holidays: set[dt.date] = set()
        workdays: set[dt.date] = set()
        for date, kind in CalendarDay.objects.values_list("date", "kind"):
            (holidays if kind == CalendarDay.Kind.HOLIDAY else workdays).add(date)
        periods = tuple(WorkPeriod.objects.values_list("start", "end")) or DEFAULT_PERIODS
        return cls(frozenset(holidays), frozenset(workdays), periods, ZoneInfo(settings.TIME_ZONE))

    @property
    def seconds_per_day(self) -> int:
        return sum(_seconds(a, b) for a, b in self.periods)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def _windows(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        if not self.is_working_day(day):
            return []
        return [
            (dt.datetime.combine(day, a, self.tz), dt.datetime.combine(day, b, self.tz))
            for a, b in self.periods
        ]

    def add(self, start: dt.datetime, seconds: float) -> dt.datetime:
        """The moment ``seconds`` of working time after ``start``."""
        local = start.astimezone(self.tz)
        remaining = max(0.0, seconds)
        day = local.date()
        for _ in range(_MAX_DAYS):
            for a, b in self._windows(day):
                begin = max(a, local)
                if begin >= b:
                    continue
                available = (b - begin).total_seconds()
                if remaining <= available:
                    return begin + dt.timedelta(seconds=remaining)
                remaining -= available
            day += dt.timedelta(days=1)
        raise ValueError("the time limit runs more than ten years into the future")

    def add_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        return self.add(start, hours * 3600)

    def add_days(self, start: dt.datetime, days: float) -> dt.datetime:
        """N working days = N × the working hours of a day."""
        return self.add(start, days * self.seconds_per_day)

    def between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Working seconds from ``start`` to ``end`` (negative when end is earlier)."""
        if end < start:
            return -self.between(end, start)
        a_local, b_local = start.astimezone(self.tz), end.astimezone(self.tz)
        total = 0.0
        day = a_local.date()
        while day <= b_local.date():
            for a, b in self._windows(day):
                lo, hi = max(a, a_local), min(b, b_local)
                if hi > lo:
                    total += (hi - lo).total_seconds()
            day += dt.timedelta(days=1)
        return total


def _seconds(a: dt.time, b: dt.time) -> int:
    return (b.hour * 3600 + b.minute * 60 + b.second) - (a.hour * 3600 + a.minute * 60 + a.second)
