"""The hand-over cast: 吴家营社区东网格's sanitation worker 环卫工甲 leaves; 环卫工乙 of the same
grid and role takes over. 甲 holds a case (accepted, handling), a linkage call, an alert not yet
acknowledged, a handheld and a motorcycle, and is on duty."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from tests.cases.conftest import cc, user_in  # noqa: F401  (the cases cast, as a fixture here)
from tests.factories import PersonFactory
from wangge.assets.models import Equipment
from wangge.assets.services import equipment_create
from wangge.cases.models import Case
from wangge.cases.services import act, report
from wangge.field.alerts.models import Alert, AlertRecipient
from wangge.field.duty.models import DutySession
from wangge.field.linkage.models import LinkageCall
from wangge.people.models import Person
from wangge.people.services import role_assign

EAST = (102.847, 24.875)  # in 吴家营社区东网格


@dataclass
class HandoverCast:
    cc: object
    leaver: Person
    successor: Person
    case: Case
    call: LinkageCall
    delivery: AlertRecipient
    handheld: Equipment
    motorcycle: Equipment

    def __getattr__(self, name):
        return getattr(self.cc, name)


def grid_team_case(cast_, handler: Person, description: str = "路边暴露垃圾一堆") -> Case:
    """A case dispatched to the east grid's team and accepted by ``handler``."""
    case = report(
        actor_user=cast_.supervisor.user,
        source="supervisor",
        description=description,
        lon=EAST[0],
        lat=EAST[1],
        category=cast_.category,
    )
    case = act(case, "file", actor_user=cast_.operator.user, data={"category": cast_.category})
    case = act(case, "dispatch", actor_user=cast_.dispatcher.user, data={"target": "grid_team"})
    return act(case, "accept", actor_user=handler.user)


@pytest.fixture
def ho(cc) -> HandoverCast:  # noqa: F811
    start = dt.date(2019, 1, 1)
    leaver = PersonFactory(name="环卫工甲", user=user_in("leaver", "sanitation"))
    role_assign(person=leaver, grid=cc.east, role="sanitation", start_date=start)
    successor = PersonFactory(name="环卫工乙", user=user_in("successor", "sanitation"))
    role_assign(person=successor, grid=cc.east, role="sanitation", start_date=start)
    case = grid_team_case(cc, leaver)
    now = timezone.now()
    call = LinkageCall.objects.create(
        case=case, grid=cc.east, role="sanitation", person=leaver, user=leaver.user, called_at=now
    )
    alert = Alert.objects.create(
        kind="emergency", title="暴雨预警", text="注意排水", sent_at=now, ack_minutes=10
    )
    alert.grids.add(cc.east)
    delivery = AlertRecipient.objects.create(
        alert=alert,
        person=leaver,
        user=leaver.user,
        grid=cc.east,
        role="sanitation",
        delivered_at=now,
    )
    handheld = equipment_create(
        category="handheld",
        name="处置通",
        serial="CZT-0001",
        value="2980.00",
        person=leaver,
        by_user=cc.admin_user,
        at=now - dt.timedelta(days=30),
    )
    motorcycle = equipment_create(
        category="electric_motorcycle",
        name="电动摩托车",
        serial="MC-0001",
        value="4200.00",
        person=leaver,
        by_user=cc.admin_user,
        at=now - dt.timedelta(days=30),
    )
    DutySession.objects.create(
        person=leaver,
        grid=cc.east,
        role="sanitation",
        started_at=now - dt.timedelta(hours=2),
        client_id="leaver-session-1",
    )
    return HandoverCast(cc, leaver, successor, case, call, delivery, handheld, motorcycle)
