"""Response times per grid and role, from hand-built calls."""

from __future__ import annotations

import datetime as dt

import pytest

from wangge.field.linkage.models import LinkageCall
from wangge.field.linkage.selectors import response_times
from wangge.org.territory import Territory

from .conftest import report_by

T0 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
MARCH = (
    dt.datetime(2026, 3, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))),
    dt.datetime(2026, 4, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))),
)


def minutes(n: float | None) -> dt.datetime | None:
    return None if n is None else T0 + dt.timedelta(minutes=n)


@pytest.fixture
def calls(cast, crew, django_capture_on_commit_callbacks) -> None:
    case = report_by(crew.police, crew.litter, django_capture_on_commit_callbacks)
    LinkageCall.objects.all().delete()
    rows = [
        # grid, role, person, ack, arrive, handle (minutes after the call)
        (cast.east, "sanitation", crew.sanitation, 2, 10, 30),
        (cast.east, "sanitation", crew.sanitation_off, 4, 20, None),
        (cast.east, "sanitation", crew.leader3, None, None, None),
        (cast.east, "enforcer", crew.enforcer, 6, None, 60),
        (cast.west, "sanitation", crew.sanitation_west, 1, 5, 15),
    ]
    for grid, role, person, ack, arrive, handled in rows:
        LinkageCall.objects.create(
            case=case,
            grid=grid,
            role=role,
            person=person,
            user=person.user,
            called_at=T0,
            acknowledged_at=minutes(ack),
            arrived_at=minutes(arrive),
            handled_at=minutes(handled),
            status="handled" if handled else "called",
            to_leader=person == crew.leader3,
        )
    # outside the month, and a cancelled one: not counted
    LinkageCall.objects.create(
        case=case,
        grid=cast.east,
        role="police",
        person=crew.police,
        called_at=T0 - dt.timedelta(days=30),
        acknowledged_at=T0,
    )
    LinkageCall.objects.create(
        case=case,
        grid=cast.east,
        role="police",
        person=crew.sanitation,
        called_at=T0,
        status="cancelled",
    )


def test_response_times_per_grid_and_role(cast, crew, calls):
    rows = response_times(Territory.all(), *MARCH)

    table = {
        (r.grid.name, r.role): (
            r.calls,
            r.acknowledged,
            r.arrived,
            r.handled,
            r.to_leader,
            r.median_ack_min,
            r.mean_ack_min,
            r.median_arrive_min,
            r.median_handle_min,
        )
        for r in rows
    }
    assert table == {
        ("吴家营社区东网格", "sanitation"): (3, 2, 2, 1, 1, 3.0, 3.0, 15.0, 30.0),
        ("吴家营社区东网格", "enforcer"): (1, 1, 0, 1, 0, 6.0, 6.0, None, 60.0),
        ("吴家营社区西网格", "sanitation"): (1, 1, 1, 1, 0, 1.0, 1.0, 5.0, 15.0),
    }


def test_response_times_overall_and_by_role(cast, crew, calls):
    (total,) = response_times(Territory.all(), *MARCH, by=())
    assert (total.calls, total.acknowledged, total.median_ack_min, total.mean_ack_min) == (
        5,
        4,
        3.0,
        3.2,
    )
    by_role = {r.role: r.calls for r in response_times(Territory.all(), *MARCH, by=("role",))}
    assert by_role == {"sanitation": 4, "enforcer": 1}


def test_response_times_are_territory_scoped(cast, crew, calls):
    west_only = Territory(grid_ids=frozenset({cast.west.pk}))

    rows = response_times(west_only, *MARCH)

    assert [(r.grid.name, r.calls) for r in rows] == [("吴家营社区西网格", 1)]
    assert response_times(Territory.none(), *MARCH) == []
