"""Staff on duty in 吴家营社区东网格 (east) and 西网格 (west) and the community's leaders."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Group

from tests.factories import PersonFactory, UserFactory
from wangge.field.duty.services import sign_on
from wangge.people.models import LeaderPost, Person
from wangge.people.services import role_assign

_ids = itertools.count(1)


def member(grid: Any, role: str, name: str, *, on_duty: bool = True) -> Person:
    user = UserFactory(username=f"a-{role}-{next(_ids)}")
    user.groups.add(Group.objects.get(name=role))
    person = PersonFactory(name=name, user=user)
    role_assign(person=person, grid=grid, role=role, start_date=dt.date(2019, 1, 1))
    if on_duty:
        sign_on(person=person, client_id=f"alert-session-{person.pk:06d}")
    return person


def leader(name: str, level: str, **unit: Any) -> Person:
    user = UserFactory(username=f"leader-{next(_ids)}")
    user.groups.add(Group.objects.get(name="leaders"))
    person = PersonFactory(name=name, user=user, employment="permanent")
    LeaderPost.objects.create(level=level, person=person, **unit)
    return person


@dataclass
class Staff:
    east_police: Person
    east_sanitation: Person
    east_enforcer_off: Person
    west_supervisor: Person
    west_sanitation: Person
    leader4: Person  # 吴家营社区 level-4
    leader4_other: Person  # 洛龙社区 level-4


@pytest.fixture
def staff(cast: Any) -> Staff:
    return Staff(
        east_police=member(cast.east, "police", "东民警"),
        east_sanitation=member(cast.east, "sanitation", "东环卫"),
        east_enforcer_off=member(cast.east, "enforcer", "东执法", on_duty=False),
        west_supervisor=member(cast.west, "supervisor", "西监督员"),
        west_sanitation=member(cast.west, "sanitation", "西环卫"),
        leader4=leader("吴家营书记", "level4", community=cast.wujiaying),
        leader4_other=leader("洛龙书记", "level4", community=cast.luolong),
    )
