"""Spot inspections: grid leaders inspect the five roles except the supervisors (seed 三.1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import PersonFactory, UserFactory
from wangge.core.errors import DomainError, Forbidden
from wangge.core.models import AuditEntry
from wangge.leaders.models import Finding, Inspection
from wangge.leaders.services import inspection_record
from wangge.people.services import role_assign

NOW = timezone.make_aware(dt.datetime(2026, 6, 15, 12, 0))
WHEN = timezone.make_aware(dt.datetime(2026, 6, 10, 9, 30))


def record(crew, person, *, by=None, finding=Finding.ABSENT, note="not at the post", **kw):
    return inspection_record(
        by_user=by or crew.leader.user,
        person=person,
        at=kw.pop("at", WHEN),
        finding=finding,
        note=note,
        now=NOW,
        **kw,
    )


def test_records_the_role_held_then_and_the_inspectors_post(crew, cast):
    insp = record(crew, crew.enforcer, lon=102.848, lat=24.875, place="吴家营路口")

    assert insp.grid == cast.east
    assert insp.role == "enforcer"
    assert insp.grid_role.person == crew.enforcer
    assert insp.inspector_post == crew.post
    assert insp.inspector == crew.leader
    assert (insp.lon, insp.lat) == (102.848, 24.875)
    assert AuditEntry.objects.filter(action="leaders.inspection_record").count() == 1


def test_a_supervisor_cannot_be_inspected(crew, cast):
    with pytest.raises(DomainError, match="grid supervisor") as err:
        record(crew, cast.supervisor)

    assert err.value.field == "person"
    assert Inspection.objects.count() == 0


def test_someone_who_had_left_cannot_be_inspected(crew, cast):
    crew.enforcer.end_date = dt.date(2026, 6, 1)
    crew.enforcer.save()

    with pytest.raises(DomainError, match="had left on 2026-06-01"):
        record(crew, crew.enforcer)
    assert Inspection.objects.count() == 0


def test_someone_with_no_role_that_day_cannot_be_inspected(crew, cast):
    newcomer = PersonFactory(name="新人")
    role_assign(person=newcomer, grid=cast.east, role="police", start_date=dt.date(2026, 6, 12))

    with pytest.raises(DomainError, match="held no grid role on 2026-06-10"):
        record(crew, newcomer)
    assert record(crew, newcomer, at=timezone.make_aware(dt.datetime(2026, 6, 13, 9))).role == (
        "police"
    )


def test_an_inspector_whose_post_does_not_cover_the_grid_is_refused(crew, cast):
    south_leader_user = crew.south_post.person.user

    with pytest.raises(Forbidden, match="whose post covers"):
        record(crew, crew.enforcer, by=south_leader_user)
    with pytest.raises(Forbidden, match="does not cover"):
        record(crew, crew.enforcer, post=crew.south_post, by=south_leader_user)
    assert Inspection.objects.count() == 0


def test_only_the_post_holder_may_use_a_post(crew):
    other = UserFactory(username="someone")

    with pytest.raises(Forbidden, match="holder of the post"):
        record(crew, crew.enforcer, post=crew.post, by=other)
    with pytest.raises(Forbidden):
        record(crew, crew.enforcer, by=other)


def test_a_district_leader_covers_every_grid_below(crew, cast):
    insp = record(crew, cast.sanitation_other, by=cast.district_leader.user)

    assert insp.inspector_post.level == "level1"
    assert insp.grid == cast.south


def test_an_admin_may_record_without_a_post(crew, cast):
    insp = record(crew, crew.worker, by=cast.admin_user)

    assert insp.inspector_post is None
    assert insp.grid == cast.west


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"finding": "asleep"}, "finding", "Unknown finding"),
        ({"note": ""}, "note", "needs a note"),
        ({"at": NOW + dt.timedelta(hours=2)}, "at", "in the future"),
        ({"lon": 102.85}, "lon", "both longitude and latitude"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(crew, changes, field, message):
    with pytest.raises(DomainError, match=message) as err:
        record(crew, crew.enforcer, **changes)

    assert err.value.field == field
    assert Inspection.objects.count() == 0
    assert AuditEntry.objects.filter(action="leaders.inspection_record").count() == 0


def test_an_ok_finding_needs_no_note(crew):
    assert record(crew, crew.worker, finding=Finding.OK, note="").finding == "ok"
