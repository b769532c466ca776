"""The handheld app's cast: the cases cast (tests/cases/conftest.py) and a sanitation worker of
吴家营社区东网格, a five-role member on the street."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from tests.cases.conftest import cc  # noqa: F401  (a fixture used here)
from tests.factories import PersonFactory, UserFactory
from wangge.people.models import Person
from wangge.people.services import role_assign

EAST = (102.847, 24.875)  # in 吴家营社区东网格
SOUTH = (102.855, 24.875)  # in 洛龙社区南网格


@pytest.fixture
def worker(cast) -> Person:
    """环卫工东, sanitation worker of 吴家营社区东网格 (user "worker")."""
    user = UserFactory(username="worker")
    user.groups.add(Group.objects.get(name="sanitation"))
    person = PersonFactory(name="环卫工东", user=user)
    role_assign(person=person, grid=cast.east, role="sanitation", start_date=dt.date(2019, 1, 1))
    return person
