"""Working-time deadlines: weekends, public holidays and adjusted working days (调休)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wangge.cases.calendar import WorkingCalendar

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=0, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=TZ)


@pytest.fixture
def cal():
    return WorkingCalendar.load()


def test_a_day_has_seven_working_hours_by_default(cal):
    assert cal.seconds_per_day == 7 * 3600


def test_four_working_hours_from_friday_afternoon_run_into_monday(cal):
    # Fri 2019-05-17 16:00: 1.5 h left that day, then Monday from 09:00 for 2.5 h.
    assert cal.add_hours(at(2019, 5, 17, 16), 4) == at(2019, 5, 20, 11, 30)


def test_the_lunch_break_is_not_working_time(cal):
    assert cal.add_hours(at(2019, 5, 20, 11), 2) == at(2019, 5, 20, 14, 30)


def test_a_public_holiday_is_skipped(cal):
    # 端午节 2019: Fri 7 June is a holiday, so Thursday 17:00 + 1 h lands on Monday 10 June.
    assert cal.add_hours(at(2019, 6, 6, 17), 1) == at(2019, 6, 10, 9, 30)


def test_an_adjusted_working_day_counts(cal):
    # 劳动节 2019: Sun 28 April is worked, so Fri 26 April 17:00 + 1 h lands on Sunday 28th.
    assert cal.add_hours(at(2019, 4, 26, 17), 1) == at(2019, 4, 28, 9, 30)
    assert cal.is_working_day(dt.date(2019, 4, 28))
    assert not cal.is_working_day(dt.date(2019, 5, 2))


def test_the_spring_festival_week_is_skipped_whole(cal):
    # 春节 2019: 4–10 Feb off; 2–3 Feb (a weekend) worked. Fri 1 Feb 17:00 + 1 working day
    # (7 h): 0.5 h on Friday, 6.5 h on Saturday 2 Feb.
    assert cal.add_days(at(2019, 2, 1, 17), 1) == at(2019, 2, 2, 17)
    assert cal.add_days(at(2019, 2, 3, 17), 1) == at(2019, 2, 11, 17)


def test_a_start_outside_working_hours_starts_at_the_next_period(cal):
    assert cal.add_hours(at(2019, 5, 18, 10), 1) == at(2019, 5, 20, 10)  # a Saturday


def test_between_counts_only_working_time(cal):
    assert cal.between(at(2019, 5, 17, 16), at(2019, 5, 20, 11, 30)) == 4 * 3600
    assert cal.between(at(2019, 5, 20, 11, 30), at(2019, 5, 17, 16)) == -4 * 3600


@given(
    st.datetimes(min_value=dt.datetime(2019, 1, 1), max_value=dt.datetime(2019, 12, 20)),
    st.integers(min_value=0, max_value=200),
)
def test_adding_then_measuring_gives_back_the_working_time(start, hours):
    cal = WorkingCalendar(
        holidays=frozenset({dt.date(2019, 6, 7)}),
        workdays=frozenset({dt.date(2019, 4, 28)}),
        periods=((dt.time(9), dt.time(12)), (dt.time(13, 30), dt.time(17, 30))),
        tz=TZ,
    )
    start = start.replace(tzinfo=TZ)
    due = cal.add_hours(start, hours)
    assert due >= start
    assert cal.between(start, due) == pytest.approx(hours * 3600)


def test_working_periods_may_not_overlap():
    from django.core.exceptions import ValidationError

    from wangge.cases.models import WorkPeriod

    overlapping = WorkPeriod(start=dt.time(11, 0), end=dt.time(14, 0))  # the defaults' lunch
    with pytest.raises(ValidationError, match="overlaps"):
        overlapping.full_clean()
    WorkPeriod(start=dt.time(18, 0), end=dt.time(19, 0)).full_clean()  # after hours is fine
