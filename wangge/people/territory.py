"""Which territory a user answers for, derived from who the user is in the organisation.

- superusers and the admins group: everything;
- a person at the district grid centre, or a district-level leader post: their district;
- a person at a subdistrict centre or office, or a leader post on a subdistrict: that subdistrict;
- a person at a workstation, or a leader post on a community: that community;
- a person in one of the five roles: the grids of their current assignments.
Several attachments add up.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from wangge.org.models import GridCenter
from wangge.org.territory import Territory
from wangge.people.groups import ADMINS
from wangge.people.models import GridRole, LeaderPost, Person


def territory_of(user: Any) -> Territory:
    if user is None or not user.is_authenticated or not user.is_active:
        return Territory.none()
    if user.is_superuser or user.groups.filter(name=ADMINS).exists():
        return Territory.all()
    person = (
        Person.objects.filter(user=user)
        .select_related("center", "workstation", "handling_unit")
        .first()
    )
    if person is None:
        return Territory.none()
    return territory_of_person(person)


def territory_of_person(
    person: Person,
    day: dt.date | None = None,
    *,
    posts: list[LeaderPost] | None = None,
    grid_ids: list[int] | None = None,
) -> Territory:
    """A person's territory on a day; callers that loaded the posts and the grids of today's
    roles already (cases.actors) pass them in to save the queries."""
    day = day or timezone.localdate()
    if person.end_date is not None and person.end_date < day:
        return Territory.none()
    districts: set[int] = set()
    subdistricts: set[int] = set()
    communities: set[int] = set()
    grids: set[int] = set()
    if person.center is not None:
        if person.center.level == GridCenter.Level.DISTRICT:
            districts.add(person.center.district_id)
        elif person.center.subdistrict_id is not None:
            subdistricts.add(person.center.subdistrict_id)
    if person.workstation is not None:
        communities.add(person.workstation.community_id)
    if person.handling_unit is not None:
        unit = person.handling_unit
        if unit.subdistrict_id is not None:
            subdistricts.add(unit.subdistrict_id)
        else:
            districts.add(unit.district_id)
    for post in posts if posts is not None else LeaderPost.objects.filter(person=person):
        if post.district_id:
            districts.add(post.district_id)
        if post.subdistrict_id:
            subdistricts.add(post.subdistrict_id)
        if post.community_id:
            communities.add(post.community_id)
        if post.grid_id:
            grids.add(post.grid_id)
    if grid_ids is None:
        grid_ids = list(
            GridRole.objects.active_on(day).filter(person=person).values_list("grid_id", flat=True)
        )
    grids.update(grid_ids)
    return Territory(
        district_ids=frozenset(districts),
        subdistrict_ids=frozenset(subdistricts),
        community_ids=frozenset(communities),
        grid_ids=frozenset(grids),
    )
