"""Job schedules are read in the platform's time zone (Asia/Shanghai), not huey's UTC."""

from __future__ import annotations

import datetime as dt

from wangge.core.jobs import local_crontab


def test_a_nightly_job_at_0030_runs_at_0030_in_shanghai():
    nightly = local_crontab(minute="30", hour="0")
    # huey passes naive UTC: 16:30 UTC is 00:30 the next day in Shanghai.
    assert nightly(dt.datetime(2024, 5, 31, 16, 30))
    assert not nightly(dt.datetime(2024, 6, 1, 0, 30))


def test_the_first_of_the_month_is_the_local_first():
    monthly = local_crontab(day="1", hour="2", minute="0")
    assert monthly(dt.datetime(2024, 5, 31, 18, 0))  # 1 June 02:00 in Shanghai
    assert not monthly(dt.datetime(2024, 6, 1, 2, 0))  # 1 June 10:00 there


def test_an_aware_time_is_converted_too():
    every_minute_at_nine = local_crontab(hour="9")
    assert every_minute_at_nine(dt.datetime(2024, 6, 1, 1, 15, tzinfo=dt.UTC))
