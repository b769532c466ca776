"""The called person's steps: acknowledge → arrive (near the case) → handle, each timed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from wangge.core.errors import Conflict, DomainError, Forbidden
from wangge.core.models import Notification
from wangge.field.linkage import services
from wangge.field.linkage.models import LinkageCall, LinkageRules

from .conftest import EAST_POINT, report_by


@pytest.fixture
def call(cast, crew, django_capture_on_commit_callbacks) -> LinkageCall:
    report_by(crew.police, crew.litter, django_capture_on_commit_callbacks)
    return LinkageCall.objects.get()


NEAR = (EAST_POINT[0] + 0.0005, EAST_POINT[1])  # about 50 m east
FAR = (EAST_POINT[0] + 0.004, EAST_POINT[1])  # about 400 m east


def test_acknowledge_then_arrive_then_handle_records_each_time(call, crew):
    t0 = timezone.now()
    user = crew.sanitation.user

    services.acknowledge(call, user, at=t0 + dt.timedelta(minutes=2))
    services.arrive(call, user, *NEAR, at=t0 + dt.timedelta(minutes=9))
    done = services.handle(call, user, "清扫完毕", at=t0 + dt.timedelta(minutes=20))

    done.refresh_from_db()
    assert done.status == "handled"
    assert done.acknowledged_at == t0 + dt.timedelta(minutes=2)
    assert done.arrived_at == t0 + dt.timedelta(minutes=9)
    assert done.handled_at == t0 + dt.timedelta(minutes=20)
    assert 40 <= done.arrival_distance_m <= 60
    assert done.comment == "清扫完毕"
    # the reporter hears it was handled
    assert Notification.objects.filter(user=crew.police.user, kind="linkage").count() == 1


def test_acknowledging_twice_changes_nothing(call, crew):
    first = services.acknowledge(call, crew.sanitation.user)
    again = services.acknowledge(call, crew.sanitation.user)

    assert again.acknowledged_at == first.acknowledged_at
    assert again.status == "acknowledged"


def test_arriving_implies_acknowledging_at_the_same_time(call, crew):
    at = timezone.now()
    arrived = services.arrive(call, crew.sanitation.user, *NEAR, at=at)

    assert arrived.acknowledged_at == arrived.arrived_at == at


def test_handling_implies_acknowledging_without_arrival(call, crew):
    handled = services.handle(call, crew.sanitation.user, "已通知清运")

    assert handled.acknowledged_at == handled.handled_at
    assert handled.arrived_at is None


def test_arrival_too_far_is_refused_with_the_distance(call, crew):
    with pytest.raises(DomainError) as e:
        services.arrive(call, crew.sanitation.user, *FAR)

    assert "within 200 m" in e.value.message
    assert e.value.code == "too_far"
    call.refresh_from_db()
    assert call.status == "called" and call.arrived_at is None


def test_the_arrival_radius_is_data(call, crew):
    rules = LinkageRules.load()
    rules.arrival_radius_m = 500
    rules.save()

    assert services.arrive(call, crew.sanitation.user, *FAR).status == "arrived"


def test_only_the_called_person_answers(call, crew, cast):
    for user in (crew.police.user, crew.sanitation_off.user, cast.operator.user):
        with pytest.raises(Forbidden):
            services.acknowledge(call, user)
    call.refresh_from_db()
    assert call.status == "called"
    # an administrator may
    assert services.acknowledge(call, cast.admin_user).status == "acknowledged"


def test_a_cancelled_call_is_not_answered(call, crew):
    LinkageCall.objects.filter(pk=call.pk).update(status="cancelled")

    with pytest.raises(Conflict):
        services.handle(call, crew.sanitation.user, "")


def test_arriving_after_handling_changes_nothing(call, crew):
    handled = services.handle(call, crew.sanitation.user, "done")
    again = services.arrive(call, crew.sanitation.user, *NEAR)

    assert again.status == "handled" and again.arrived_at is None
    assert again.handled_at == handled.handled_at
