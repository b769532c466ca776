"""The cases cast: the centre's intake operator and dispatcher, 吴家营社区's workstation,
a district department's officer, and a category (暴露垃圾, 4 working hours)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from PIL import Image

from tests.factories import PersonFactory, UserFactory
from wangge.cases.models import Category
from wangge.org.models import HandlingUnit
from wangge.people.models import LeaderPost, Person

TZ = ZoneInfo("Asia/Shanghai")


def png(color: str = "red") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(buf, "PNG")
    return buf.getvalue()


def user_in(username: str, group: str):
    u = UserFactory(username=username)
    u.groups.add(Group.objects.get(name=group))
    return u


@dataclass
class CaseCast:
    base: object
    category: Category
    dispatcher: Person
    station_worker: Person  # 吴家营社区 workstation
    unit: HandlingUnit
    unit_officer: Person
    level3: LeaderPost

    def __getattr__(self, name):  # the base cast's members (operator, supervisor, east …)
        return getattr(self.base, name)


@pytest.fixture
def cc(cast) -> CaseCast:
    category = Category.objects.create(
        kind="event",
        code="LE9901",
        major_name="市容环境",
        name="暴露垃圾（测试）",
        time_limit=4,
        time_unit="working_hours",
        default_target="workstation",
        duty_role="sanitation",
    )
    dispatcher = PersonFactory(
        name="派遣员戊", center=cast.center, user=user_in("dispatcher", "operator_dispatch")
    )
    worker = PersonFactory(
        name="工作站己",
        workstation=cast.wujiaying.workstation,
        user=user_in("station", "community_worker"),
    )
    unit = HandlingUnit.objects.create(
        level="district", name="呈贡区城市管理局", district=cast.district
    )
    officer = PersonFactory(
        name="城管局庚", handling_unit=unit, user=user_in("officer", "enforcer")
    )
    leader = PersonFactory(name="三级网格长辛", user=user_in("level3", "leaders"))
    post = LeaderPost.objects.create(level="level3", person=leader, community=cast.wujiaying)
    return CaseCast(cast, category, dispatcher, worker, unit, officer, post)


@pytest.fixture
def monday_morning():
    return dt.datetime(2019, 5, 20, 9, 0, tzinfo=TZ)
