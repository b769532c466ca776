"""The cast the tests share, named after the seed.

A small 洛龙街道 with an outline 0.02° × 0.01° tiled by three grids:
  吴家营社区 (001): 吴家营社区东网格 (…001001, east half of the west part) and
                    吴家营社区西网格 (…001002);
  洛龙社区 (002):   洛龙社区南网格 (…002001, the east half).
People: an operator at the centre, the 吴家营社区东网格 supervisor, a sanitation worker of
洛龙社区南网格, a district leader, and a superuser.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import translation

from tests.factories import (
    CommunityFactory,
    DistrictFactory,
    GridCenterFactory,
    GridFactory,
    PersonFactory,
    SubdistrictFactory,
    UserFactory,
    WorkstationFactory,
    rect,
)
from wangge.field.duty.models import DutyRules
from wangge.org import locate
from wangge.org.models import Community, District, Grid, GridCenter, Subdistrict
from wangge.people.models import LeaderPost, Person
from wangge.people.services import role_assign

pytest_plugins = ["tests.browser_fixtures"]

W, S, E, N = 102.84, 24.87, 102.86, 24.88
MID = 102.85
QUARTER = 102.845


@dataclass
class Cast:
    district: District
    subdistrict: Subdistrict
    wujiaying: Community
    luolong: Community
    east: Grid  # 吴家营社区东网格
    west: Grid  # 吴家营社区西网格
    south: Grid  # 洛龙社区南网格
    center: GridCenter
    operator: Person
    supervisor: Person
    sanitation_other: Person
    district_leader: Person
    admin_user: object


@pytest.fixture(autouse=True)
def _english():
    """Service messages are asserted in English; requests through the test client still get
    the language LocaleMiddleware picks (zh-hans by default)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media_and_index(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    locate.invalidate()
    DutyRules.forget()  # the ping path keeps the rules for a few seconds per process
    cache.clear()  # the command centre caches its panels
    yield
    locate.invalidate()
    DutyRules.forget()


@pytest.fixture
def cast(db) -> Cast:
    district = DistrictFactory(code="530114", name="呈贡区")
    sub = SubdistrictFactory(
        district=district, code="005", name="洛龙街道", geometry=rect(W, S, E, N)
    )
    wjy = CommunityFactory(subdistrict=sub, code="001", name="吴家营社区", color="#1f77b4")
    ll = CommunityFactory(subdistrict=sub, code="002", name="洛龙社区", color="#ff7f0e")
    west = GridFactory(
        community=wjy,
        code="530114005001002",
        name="吴家营社区西网格",
        geometry=rect(W, S, QUARTER, N),
    )
    east = GridFactory(
        community=wjy,
        code="530114005001001",
        name="吴家营社区东网格",
        geometry=rect(QUARTER, S, MID, N),
    )
    south = GridFactory(
        community=ll, code="530114005002001", name="洛龙社区南网格", geometry=rect(MID, S, E, N)
    )
    center = GridCenterFactory(subdistrict=sub, name="洛龙街道网格化综合管理处置中心")
    WorkstationFactory(community=wjy)
    WorkstationFactory(community=ll)

    def user(username: str, group: str) -> object:
        u = UserFactory(username=username)
        u.groups.add(Group.objects.get(name=group))
        return u

    operator = PersonFactory(
        name="操作员甲", center=center, user=user("operator", "operator_intake")
    )
    supervisor = PersonFactory(name="监督员乙", user=user("supervisor", "supervisor"))
    role_assign(person=supervisor, grid=east, role="supervisor", start_date=dt.date(2019, 1, 1))
    sanitation = PersonFactory(name="环卫工丙", user=user("sanitation", "sanitation"))
    role_assign(person=sanitation, grid=south, role="sanitation", start_date=dt.date(2019, 1, 1))
    leader = PersonFactory(name="区领导丁", employment="permanent", user=user("leader", "leaders"))
    LeaderPost.objects.create(level="level1", title="副区长", person=leader, district=district)
    admin_user = UserFactory(username="root", is_superuser=True, is_staff=True)
    return Cast(
        district=district,
        subdistrict=sub,
        wujiaying=wjy,
        luolong=ll,
        east=east,
        west=west,
        south=south,
        center=center,
        operator=operator,
        supervisor=supervisor,
        sanitation_other=sanitation,
        district_leader=leader,
        admin_user=admin_user,
    )
