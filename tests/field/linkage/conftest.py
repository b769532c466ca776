"""A crew for the linkage tests: five-role members of 吴家营社区东网格 (east) and 西网格 (west),
some on duty, and the level-3 leader of 吴家营社区."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Group

from tests.factories import PersonFactory, UserFactory
from wangge.cases import services as case_services
from wangge.cases.models import Case, Category
from wangge.field.duty.services import sign_on
from wangge.people.models import LeaderPost, Person
from wangge.people.services import role_assign

EAST_POINT = (102.8475, 24.875)  # inside 吴家营社区东网格
_ids = itertools.count(1)


def member(grid: Any, role: str, name: str, *, on_duty: bool = False) -> Person:
    user = UserFactory(username=f"{role}-{next(_ids)}")
    user.groups.add(Group.objects.get(name=role))
    person = PersonFactory(name=name, user=user)
    role_assign(person=person, grid=grid, role=role, start_date=dt.date(2019, 1, 1))
    if on_duty:
        sign_on(person=person, client_id=f"session-{person.pk:08d}")
    return person


@dataclass
class Crew:
    police: Person  # east, on duty
    sanitation: Person  # east, on duty
    sanitation_off: Person  # east, not on duty
    enforcer: Person  # east, on duty
    sanitation_west: Person  # west, on duty
    leader3: Person  # level-3 leader of 吴家营社区
    litter: Category  # E0102 暴露垃圾
    vending: Category  # LE0501 占道经营


@pytest.fixture
def crew(cast: Any) -> Crew:
    leader_user = UserFactory(username="leader3")
    leader3 = PersonFactory(name="三级网格长戊", user=leader_user, employment="permanent")
    LeaderPost.objects.create(level="level3", person=leader3, community=cast.wujiaying)
    return Crew(
        police=member(cast.east, "police", "民警甲", on_duty=True),
        sanitation=member(cast.east, "sanitation", "环卫工甲", on_duty=True),
        sanitation_off=member(cast.east, "sanitation", "环卫工乙"),
        enforcer=member(cast.east, "enforcer", "执法队员甲", on_duty=True),
        sanitation_west=member(cast.west, "sanitation", "环卫工西", on_duty=True),
        leader3=leader3,
        litter=Category.objects.get(code="E0102"),
        vending=Category.objects.get(code="LE0501"),
    )


def report_by(person: Person | None, category: Category | None, capture: Any, **extra: Any) -> Case:
    """Report a problem at EAST_POINT, running the after-commit linkage."""
    kwargs: dict[str, Any] = {
        "actor_user": person.user if person else None,
        "source": "five_roles" if person else "public",
        "description": "路边有垃圾",
        "lon": EAST_POINT[0],
        "lat": EAST_POINT[1],
        "category": category,
    }
    kwargs.update(extra)
    with capture(execute=True):
        return case_services.report(**kwargs)
