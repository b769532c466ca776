"""People and their roles: history kept, bad periods and unknown roles refused."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import PersonFactory
from wangge.core.errors import DomainError
from wangge.people.models import GridRole
from wangge.people.services import role_assign, role_end, token_create, token_user

D = dt.date


def test_an_assignment_that_ends_before_it_starts_is_refused(cast):
    with pytest.raises(DomainError) as exc:
        role_assign(
            person=PersonFactory(),
            grid=cast.west,
            role="enforcer",
            start_date=D(2019, 5, 1),
            end_date=D(2019, 4, 1),
        )
    assert exc.value.field == "end_date"
    assert "before the start date" in exc.value.message


def test_an_unknown_role_is_refused_listing_the_roles(cast):
    with pytest.raises(DomainError) as exc:
        role_assign(
            person=PersonFactory(), grid=cast.west, role="firefighter", start_date=D(2019, 1, 1)
        )
    assert exc.value.field == "role"
    assert "supervisor" in exc.value.message and "firefighter" in exc.value.message


def test_overlapping_periods_in_the_same_role_and_grid_are_refused(cast):
    with pytest.raises(DomainError, match="already holds"):
        role_assign(
            person=cast.supervisor, grid=cast.east, role="supervisor", start_date=D(2020, 1, 1)
        )


def test_someone_who_has_left_cannot_be_assigned_after_leaving(cast):
    person = PersonFactory(end_date=D(2019, 6, 30))
    with pytest.raises(DomainError, match="left on 2019-06-30"):
        role_assign(person=person, grid=cast.west, role="police", start_date=D(2019, 7, 1))


def test_ending_an_assignment_keeps_it_as_history(cast):
    assignment = GridRole.objects.get(person=cast.supervisor)
    role_end(assignment=assignment, end_date=D(2019, 12, 31))
    successor = PersonFactory(name="继任监督员")
    role_assign(person=successor, grid=cast.east, role="supervisor", start_date=D(2020, 1, 1))
    history = list(
        GridRole.objects.filter(grid=cast.east, role="supervisor").order_by("start_date")
    )
    assert [(r.person.name, r.end_date) for r in history] == [
        ("监督员乙", D(2019, 12, 31)),
        ("继任监督员", None),
    ]
    assert history[0].is_active_on(D(2019, 12, 31)) and not history[0].is_active_on(D(2020, 1, 1))


def test_a_token_identifies_its_user_and_only_its_hash_is_stored(cast):
    key = token_create(user=cast.supervisor.user)
    assert token_user(key) == cast.supervisor.user
    assert token_user(key + "x") is None
    assert not cast.supervisor.user.api_tokens.filter(key_hash=key).exists()


def test_a_leader_post_may_lead_only_the_units_its_level_allows(cast):
    from django.core.exceptions import ValidationError

    from wangge.people.models import LeaderPost

    post = LeaderPost(level="level4", person=cast.district_leader, subdistrict=cast.subdistrict)
    with pytest.raises(ValidationError) as exc:
        post.full_clean()
    assert "subdistrict" in exc.value.message_dict
    LeaderPost(level="level4", person=cast.district_leader, community=cast.wujiaying).full_clean()
