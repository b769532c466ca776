"""The weekly roster: validation, exceptions, and the planned shifts of a date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from wangge.field.duty.models import Shift, ShiftException
from wangge.field.duty.selectors import planned_shifts

FRIDAY = dt.date(2026, 11, 20)


def shift(cast, **kw):
    fields = {
        "person": cast.supervisor,
        "grid": cast.east,
        "role": "supervisor",
        "weekday": 4,
        "start_time": dt.time(8),
        "end_time": dt.time(12),
        "valid_from": dt.date(2026, 1, 1),
        **kw,
    }
    return Shift(**fields)


def test_a_valid_shift_passes(cast):
    shift(cast).full_clean()


def test_overnight_shifts_are_refused_with_a_clear_error(cast):
    with pytest.raises(ValidationError) as caught:
        shift(cast, start_time=dt.time(22), end_time=dt.time(6)).full_clean()
    assert "overnight shifts are not supported" in str(caught.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        shift(cast, start_time=dt.time(22), end_time=dt.time(6)).save()


def test_the_person_must_hold_the_role_in_that_grid(cast):
    with pytest.raises(ValidationError, match="does not hold this role in this grid"):
        shift(cast, grid=cast.west).full_clean()
    with pytest.raises(ValidationError, match="does not hold this role"):
        shift(cast, role="police").full_clean()
    # Valid only before the person started in the role (2019-01-01).
    with pytest.raises(ValidationError, match="does not hold this role"):
        shift(cast, valid_from=dt.date(2018, 1, 1), valid_to=dt.date(2018, 6, 1)).full_clean()


def test_an_extra_shift_needs_its_times(cast):
    with pytest.raises(ValidationError, match="needs a start and an end time"):
        ShiftException(person=cast.supervisor, date=FRIDAY, kind="extra").full_clean()


def test_planned_shifts_of_a_date(cast):
    shift(cast).save()
    shift(cast, start_time=dt.time(14), end_time=dt.time(18)).save()
    shift(cast, weekday=0).save()  # Mondays
    shift(cast, valid_from=dt.date(2026, 12, 1)).save()  # not valid yet
    planned = planned_shifts(cast.supervisor, FRIDAY)
    tz = timezone.get_current_timezone()
    assert [(p.start, p.end) for p in planned] == [
        (dt.datetime(2026, 11, 20, 8, tzinfo=tz), dt.datetime(2026, 11, 20, 12, tzinfo=tz)),
        (dt.datetime(2026, 11, 20, 14, tzinfo=tz), dt.datetime(2026, 11, 20, 18, tzinfo=tz)),
    ]
    assert planned[0].grid_id == cast.east.pk
    assert planned_shifts(cast.supervisor, FRIDAY + dt.timedelta(days=1)) == []


def test_exceptions_cancel_or_add_shifts(cast):
    shift(cast).save()
    ShiftException.objects.create(person=cast.supervisor, date=FRIDAY, kind="off", reason="sick")
    assert planned_shifts(cast.supervisor, FRIDAY) == []
    saturday = FRIDAY + dt.timedelta(days=1)
    ShiftException.objects.create(
        person=cast.supervisor,
        date=saturday,
        kind="extra",
        start_time=dt.time(9),
        end_time=dt.time(11),
        reason="market day",
    )
    [extra] = planned_shifts(cast.supervisor, saturday)
    assert extra.extra and extra.minutes == 120


def test_shift_add_checks_like_the_admin(cast):
    from wangge.core.errors import DomainError
    from wangge.field.duty.services import shift_add

    args = {
        "person": cast.supervisor,
        "grid": cast.east,
        "role": "supervisor",
        "weekday": 4,
        "valid_from": dt.date(2026, 1, 1),
    }
    made = shift_add(**args, start_time=dt.time(8), end_time=dt.time(12))
    assert made.pk and planned_shifts(cast.supervisor, FRIDAY)[0].minutes == 240
    with pytest.raises(DomainError, match="overnight shifts are not supported") as caught:
        shift_add(**args, start_time=dt.time(22), end_time=dt.time(6))
    assert caught.value.field == "end_time"
    with pytest.raises(DomainError, match="does not hold this role") as caught:
        shift_add(**{**args, "grid": cast.south}, start_time=dt.time(8), end_time=dt.time(9))
    assert caught.value.field == "role"
    assert Shift.objects.count() == 1
