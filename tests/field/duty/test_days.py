"""Stored duty days: the same figures as the day summaries, filled in when missing, idempotent."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.field.duty.conftest import DAY, INSIDE, OUTSIDE, every_minute, local
from wangge.core.errors import DomainError
from wangge.field.duty.models import DutyDay, Shift
from wangge.field.duty.selectors import duty_days
from wangge.field.duty.services import record_days, record_pings
from wangge.field.duty.summary import summaries
from wangge.field.duty.tasks import record_days_task

NEXT = DAY + dt.timedelta(days=1)
LATER = local(DAY + dt.timedelta(days=2), 12)  # DAY and NEXT are over, DAY+2 is not


@pytest.fixture
def worked(cast, session, track):
    """The east supervisor: a 08:00–12:00 shift on DAY and NEXT; on DAY on duty 08:00–12:00
    with a 20-minute excursion (09:00–09:20), on NEXT on duty 08:00–09:00 (shift missed)."""
    for day in (DAY, NEXT):
        Shift.objects.create(
            person=cast.supervisor,
            grid=cast.east,
            role="supervisor",
            weekday=day.weekday(),
            start_time=dt.time(8),
            end_time=dt.time(12),
            valid_from=dt.date(2026, 1, 1),
        )
    session(cast.supervisor, cast.east, local(DAY, 8), local(DAY, 12))
    session(cast.supervisor, cast.east, local(NEXT, 8), local(NEXT, 9))

    def where(at: dt.datetime) -> tuple[float, float]:
        return OUTSIDE if local(DAY, 9) <= at < local(DAY, 9, 20) else INSIDE

    track(cast.supervisor, every_minute(local(DAY, 8), local(DAY, 12), where))
    track(cast.supervisor, every_minute(local(NEXT, 8), local(NEXT, 9), lambda at: INSIDE))
    return cast.supervisor


FIGURES = (
    "on_duty_minutes",
    "online_minutes",
    "off_post_minutes",
    "shifts",
    "missed_shifts",
    "distance_m",
    "coverage",
)


def test_a_stored_day_has_the_computed_figures(worked, cast):
    assert record_days(DAY, [worked], now=LATER) == 1
    row = DutyDay.objects.get(person=worked, date=DAY)
    [computed] = summaries([worked], DAY, DAY, now=LATER)
    for name in FIGURES:
        assert getattr(row, name) == getattr(computed, name), name
    assert row.off_post_minutes == 20
    assert (row.grid_id, row.role) == (cast.east.pk, "supervisor")
    assert row.planned_minutes == 240
    assert row.computed_at == LATER


def test_recording_twice_writes_the_same_single_row(worked):
    record_days(DAY, [worked], now=LATER)
    first = DutyDay.objects.values(*FIGURES).get(person=worked, date=DAY)
    assert record_days(DAY, [worked], now=LATER + dt.timedelta(hours=1)) == 1
    assert DutyDay.objects.filter(person=worked, date=DAY).count() == 1
    assert DutyDay.objects.values(*FIGURES).get(person=worked, date=DAY) == first


def test_a_day_not_over_is_refused_and_nothing_stored(worked):
    with pytest.raises(DomainError) as caught:
        record_days(DAY, [worked], now=local(DAY, 23, 59))
    assert "has not ended yet" in caught.value.message
    assert not DutyDay.objects.exists()


def test_all_staff_of_the_day_get_a_row_even_without_duty(worked, cast):
    record_days(DAY, now=LATER)
    people = set(DutyDay.objects.filter(date=DAY).values_list("person_id", flat=True))
    assert {cast.supervisor.pk, cast.sanitation_other.pk} <= people
    idle = DutyDay.objects.get(person=cast.sanitation_other, date=DAY)
    assert (idle.on_duty_minutes, idle.grid_id, idle.role) == (0, None, "")


def test_missing_finished_days_are_computed_and_stored_first(worked):
    totals = duty_days([worked.pk], DAY, NEXT, now=LATER)[worked.pk]
    days = summaries([worked], DAY, NEXT, now=LATER)
    assert totals.days == 2
    assert totals.online_minutes == pytest.approx(sum(d.online_minutes for d in days))
    assert totals.off_post_minutes == 20
    assert totals.missed_shifts == 1  # NEXT: 1 h of a 4 h shift is under half
    assert totals.planned_minutes == 480
    assert set(DutyDay.objects.values_list("date", flat=True)) == {DAY, NEXT}


def test_stored_rows_are_read_not_recomputed(worked):
    record_days(DAY, [worked], now=LATER)
    record_days(NEXT, [worked], now=LATER)
    DutyDay.objects.filter(date=DAY).update(off_post_minutes=99)
    assert duty_days([worked.pk], DAY, NEXT, now=LATER)[worked.pk].off_post_minutes == 99


def test_only_the_missing_day_is_filled(worked):
    record_days(DAY, [worked], now=LATER)
    DutyDay.objects.filter(date=DAY).update(off_post_minutes=99)  # marks the stored row
    totals = duty_days([worked.pk], DAY, NEXT, now=LATER)[worked.pk]
    assert totals.days == 2
    assert DutyDay.objects.filter(date=NEXT).exists()
    assert totals.off_post_minutes == 99  # DAY's row was kept, NEXT's computed (0 off post)


def test_a_day_not_over_counts_live_and_is_not_stored(worked, cast, session):
    session(cast.supervisor, cast.east, local(NEXT, 14), None)  # still on duty at 15:00
    totals = duty_days([worked.pk], NEXT, NEXT, now=local(NEXT, 15))[worked.pk]
    assert totals.on_duty_minutes == 60 + 60
    assert totals.missed_shifts == 1
    assert not DutyDay.objects.exists()


def test_someone_with_nothing_gets_zeros(cast):
    totals = duty_days([cast.district_leader.pk], DAY, NEXT, now=LATER)
    assert totals[cast.district_leader.pk].days == 2
    assert totals[cast.district_leader.pk].online_minutes == 0


def test_late_pings_drop_the_stored_day_so_it_is_computed_again(worked):
    record_days(NEXT, [worked], now=LATER)
    before = DutyDay.objects.get(date=NEXT).distance_m
    # The handheld was offline: points of NEXT 08:30–08:35 arrive the morning after.
    late = [
        {"client_id": f"late-{k}", "at": local(NEXT, 8, 30 + k, 30).isoformat(), "lon": INSIDE[0],
         "lat": INSIDE[1] + 0.0002 * (k % 2)}
        for k in range(5)
    ]  # fmt: skip
    record_pings(person=worked, pings=late, now=local(NEXT + dt.timedelta(days=1), 8))
    assert not DutyDay.objects.filter(date=NEXT).exists()
    after = duty_days([worked.pk], NEXT, NEXT, now=LATER)[worked.pk].distance_m
    assert after > before


def test_the_nightly_job_records_yesterday(worked, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: local(NEXT, 0, 30))
    assert record_days_task.call_local() >= 1
    assert DutyDay.objects.filter(person=worked, date=DAY).exists()
    assert not DutyDay.objects.filter(date=NEXT).exists()
