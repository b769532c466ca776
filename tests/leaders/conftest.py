"""Fixtures of the leaders tests: a level-4 leader of 吴家营社区 and staff to inspect."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group

from tests.factories import PersonFactory, UserFactory
from wangge.people.models import LeaderPost, Person
from wangge.people.services import role_assign


@pytest.fixture(autouse=True)
def _pages_in_english(client, settings):
    """Pages are Chinese unless the language cookie says otherwise."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@dataclass
class Crew:
    post: LeaderPost  # level-4 leader of 吴家营社区 (grids east and west)
    leader: Person
    enforcer: Person  # enforcer in the east grid
    worker: Person  # community worker in the west grid
    south_post: LeaderPost  # level-4 leader of 洛龙社区 (grid south)


@pytest.fixture
def crew(cast) -> Crew:
    group = Group.objects.get(name="leaders")
    leader_user = UserFactory(username="wjy_leader")
    leader_user.groups.add(group)
    leader = PersonFactory(name="社区书记戊", user=leader_user, employment="permanent")
    post = LeaderPost.objects.create(
        level="level4", title="社区书记", person=leader, community=cast.wujiaying
    )
    south_user = UserFactory(username="ll_leader")
    south_user.groups.add(group)
    south_leader = PersonFactory(name="社区主任己", user=south_user)
    south_post = LeaderPost.objects.create(
        level="level4", title="社区主任", person=south_leader, community=cast.luolong
    )
    enforcer = PersonFactory(name="执法队员庚", user=UserFactory(username="enforcer_e"))
    role_assign(person=enforcer, grid=cast.east, role="enforcer", start_date=dt.date(2019, 1, 1))
    worker = PersonFactory(name="社区工作者辛")
    role_assign(
        person=worker, grid=cast.west, role="community_worker", start_date=dt.date(2019, 1, 1)
    )
    return Crew(post=post, leader=leader, enforcer=enforcer, worker=worker, south_post=south_post)
