"""The day summary's figures on synthetic tracks whose answers are worked out by hand."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from tests.field.duty.conftest import DAY, INSIDE, OUTSIDE, every_minute, local
from wangge.field.duty.models import DutyRules, Shift
from wangge.field.duty.summary import day_summary, summaries

LATER = local(DAY + dt.timedelta(days=2), 12)


@pytest.fixture
def shifts(cast):
    """Friday 08:00–12:00 and 14:00–18:00 for the east grid's supervisor."""
    for start, end in ((8, 12), (14, 18)):
        Shift.objects.create(
            person=cast.supervisor,
            grid=cast.east,
            role="supervisor",
            weekday=DAY.weekday(),
            start_time=dt.time(start),
            end_time=dt.time(end),
            valid_from=dt.date(2026, 1, 1),
        )


def test_known_excursion_and_missed_shift(cast, shifts, session, track):
    # On duty 08:00–12:00 (the whole first shift) and 14:00–15:00 (a quarter of the second).
    session(cast.supervisor, cast.east, local(DAY, 8), local(DAY, 12))
    session(cast.supervisor, cast.east, local(DAY, 14), local(DAY, 15))

    def where(at: dt.datetime) -> tuple[float, float]:
        # Out of the grid 09:00–09:19 (back at 09:20: 20 minutes), and 10:00–10:02 (back at
        # 10:03: 3 minutes, under the 5-minute minimum, so GPS noise).
        if local(DAY, 9) <= at < local(DAY, 9, 20) or local(DAY, 10) <= at < local(DAY, 10, 3):
            return OUTSIDE
        return INSIDE

    track(cast.supervisor, every_minute(local(DAY, 8), local(DAY, 12), where))
    s = day_summary(cast.supervisor, DAY, now=LATER)
    assert s.on_duty_minutes == 300
    assert s.off_post_minutes == 20
    assert [(e.start, e.end, e.minutes) for e in s.excursions] == [
        (local(DAY, 9), local(DAY, 9, 20), 20)
    ]
    assert s.shifts == 2
    assert s.missed_shifts == 1  # 14:00–18:00: on duty 1 h of 4 = 0.25 < 0.5


def test_tolerance_and_minimum_come_from_the_rules(cast, session, track):
    rules = DutyRules.load()
    rules.min_excursion_min = 2
    rules.save()
    session(cast.supervisor, cast.east, local(DAY, 10), local(DAY, 11))

    def where(at: dt.datetime) -> tuple[float, float]:
        return OUTSIDE if local(DAY, 10) <= at < local(DAY, 10, 3) else INSIDE

    track(cast.supervisor, every_minute(local(DAY, 10), local(DAY, 11), where))
    assert day_summary(cast.supervisor, DAY, now=LATER).off_post_minutes == 3
    rules.off_post_tolerance_m = 250  # the excursion was about 202 m outside
    rules.save()
    assert day_summary(cast.supervisor, DAY, now=LATER).off_post_minutes == 0


def test_online_minutes_stop_at_a_gap(cast, session, track):
    session(cast.supervisor, cast.east, local(DAY, 8), local(DAY, 12))
    points = every_minute(local(DAY, 8), local(DAY, 10, 31), lambda at: INSIDE) + every_minute(
        local(DAY, 11), local(DAY, 12), lambda at: INSIDE
    )
    track(cast.supervisor, points)
    s = day_summary(cast.supervisor, DAY, now=LATER)
    # 08:00–10:30 is 150 minutes, 11:00–11:59 is 59; the 30-minute gap is offline.
    assert s.online_minutes == 209
    assert s.on_duty_minutes == 240


def test_pings_outside_sessions_do_not_count(cast, session, track):
    session(cast.supervisor, cast.east, local(DAY, 8), local(DAY, 9))
    track(cast.supervisor, every_minute(local(DAY, 8), local(DAY, 10), lambda at: OUTSIDE))
    s = day_summary(cast.supervisor, DAY, now=LATER)
    # 08:00–09:00 only: the excursion ends at the last off-post ping in the session (09:00).
    assert s.online_minutes == 60
    assert s.off_post_minutes == 60


def test_coverage_of_a_straight_track_across_a_rectangular_grid(cast, session, track):
    session(cast.supervisor, cast.east, local(DAY, 8), local(DAY, 9))
    # West to east across the whole grid (102.845–102.85) along its middle, 61 points.
    points = [
        (local(DAY, 8) + dt.timedelta(seconds=30 * k), (102.8445 + 0.0001 * k, 24.875))
        for k in range(61)
    ]
    track(cast.supervisor, points)
    s = day_summary(cast.supervisor, DAY, now=LATER)
    # A 2 × 25 m wide strip across the full width, over the grid's 0.01° (1,111.95 m) height.
    metres_per_degree = math.pi / 180 * 6_371_008.8
    assert s.coverage == pytest.approx(50 / (0.01 * metres_per_degree), rel=0.01)
    # 0.006° of longitude at 24.875° N.
    expected = 0.006 * metres_per_degree * math.cos(math.radians(24.875))
    assert s.distance_m == pytest.approx(expected, rel=0.001)
    assert s.grid_id == cast.east.pk


def test_implausible_jumps_are_not_distance(cast, session, track):
    session(cast.supervisor, cast.east, local(DAY, 8), local(DAY, 9))
    a, b = (102.846, 24.875), (102.847, 24.875)
    track(
        cast.supervisor,
        [
            (local(DAY, 8, 0), a),
            (local(DAY, 8, 1), (103.846, 24.875)),  # 100 km in a minute: a GPS error
            (local(DAY, 8, 2), a),
            (local(DAY, 8, 3), b),
        ],
    )
    s = day_summary(cast.supervisor, DAY, now=LATER)
    metres_per_degree = math.pi / 180 * 6_371_008.8
    assert s.distance_m == pytest.approx(
        0.001 * metres_per_degree * math.cos(math.radians(24.875)), rel=0.001
    )


def test_a_shift_not_over_yet_is_not_missed(cast, shifts):
    s = day_summary(cast.supervisor, DAY, now=local(DAY, 13))
    assert (s.shifts, s.missed_shifts) == (2, 1)
    s = day_summary(cast.supervisor, DAY, now=LATER)
    assert (s.shifts, s.missed_shifts) == (2, 2)


def test_open_session_counts_up_to_now(cast, session):
    session(cast.supervisor, cast.east, local(DAY, 8), None)
    assert day_summary(cast.supervisor, DAY, now=local(DAY, 9, 30)).on_duty_minutes == 90
    # A session over midnight is cut at the day's end.
    assert day_summary(cast.supervisor, DAY, now=LATER).on_duty_minutes == 16 * 60


def test_summaries_for_many_people_and_days(cast, shifts, session, track):
    session(cast.supervisor, cast.east, local(DAY, 8), local(DAY, 12))
    session(cast.sanitation_other, cast.south, local(DAY, 6), local(DAY, 7))
    found = summaries(
        [cast.supervisor, cast.sanitation_other], DAY - dt.timedelta(days=1), DAY, now=LATER
    )
    by_key = {(s.person_id, s.date): s for s in found}
    assert len(found) == 4
    assert by_key[(cast.supervisor.pk, DAY)].on_duty_minutes == 240
    assert by_key[(cast.supervisor.pk, DAY)].missed_shifts == 1
    assert by_key[(cast.sanitation_other.pk, DAY)].on_duty_minutes == 60
    assert by_key[(cast.supervisor.pk, DAY - dt.timedelta(days=1))].on_duty_minutes == 0


def test_fractions_of_a_second_are_kept(cast, session, track):
    session(cast.supervisor, cast.east, local(DAY, 8), local(DAY, 9))
    first = local(DAY, 8) + dt.timedelta(microseconds=250_000)
    track(cast.supervisor, [(first, INSIDE), (first + dt.timedelta(seconds=60.5), INSIDE)])
    assert day_summary(cast.supervisor, DAY, now=LATER).online_minutes == pytest.approx(
        60.5 / 60, abs=1e-9
    )
