"""Who is acting on a case, worked out once per action: their groups, person, roles and posts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from wangge.cases.models import Case, DispatchTarget
from wangge.org.territory import Territory
from wangge.people.groups import ADMINS, ASSESSORS, LEADERS, OPERATOR_DISPATCH, OPERATOR_INTAKE
from wangge.people.models import GridRole, LeaderPost, Person, RoleKind
from wangge.people.territory import territory_of_person


@dataclass
class Actor:
    user: Any
    person: Person | None
    groups: frozenset[str]
    superuser: bool
    territory: Territory
    grid_roles: list[tuple[int, str]] = field(default_factory=list)  # (grid id, role) today
    posts: list[LeaderPost] = field(default_factory=list)
    system: bool = False

    @classmethod
    def of(cls, user: Any, day: dt.date | None = None) -> Actor:
        """The actor behind a user on a day (roles and posts then); ``None`` is the platform
        itself (scheduled jobs)."""
        if user is None:
            return cls(None, None, frozenset(), False, Territory.all(), system=True)
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return cls(None, None, frozenset(), False, Territory.none())
        day = day or timezone.localdate()
        groups = frozenset(user.groups.values_list("name", flat=True))
        superuser = bool(user.is_superuser) or ADMINS in groups
        person = (
            Person.objects.filter(user=user)
            .select_related("center", "workstation", "handling_unit")
            .first()
        )
        roles: list[tuple[int, str]] = []
        posts: list[LeaderPost] = []
        territory = Territory.all() if superuser else Territory.none()
        if person is not None:
            roles = list(
                GridRole.objects.active_on(day).filter(person=person).values_list("grid_id", "role")
            )
            posts = list(LeaderPost.objects.filter(person=person))
            if not superuser:
                # The same territory as people.territory.territory_of, from what is loaded here.
                territory = territory_of_person(
                    person, day, posts=posts, grid_ids=[g for g, _ in roles]
                )
        return cls(
            user=user,
            person=person,
            groups=groups,
            superuser=superuser,
            territory=territory,
            grid_roles=roles,
            posts=posts,
        )

    @property
    def name(self) -> str:
        if self.person is not None:
            return self.person.name
        if self.user is not None:
            return str(self.user.get_username())
        return "the platform" if self.system else "an anonymous user"

    def covers(self, case: Case) -> bool:
        t = self.territory
        return (
            t.everything
            or case.grid_id in t.grid_ids
            or case.community_id in t.community_ids
            or case.subdistrict_id in t.subdistrict_ids
            or case.subdistrict.district_id in t.district_ids
        )

    # The capacities the transition table refers to -------------------------------------------

    def is_intake(self, case: Case) -> bool:
        return OPERATOR_INTAKE in self.groups and self.covers(case)

    def is_dispatcher(self, case: Case) -> bool:
        return OPERATOR_DISPATCH in self.groups and self.covers(case)

    def is_centre(self, case: Case) -> bool:
        return self.is_intake(case) or self.is_dispatcher(case)

    def is_supervisor(self, case: Case) -> bool:
        """The grid's own supervisor, who verifies on site."""
        return (case.grid_id, RoleKind.SUPERVISOR) in self.grid_roles

    def is_five_role(self, case: Case) -> bool:
        return any(grid_id == case.grid_id for grid_id, _ in self.grid_roles)

    def is_handler(self, case: Case) -> bool:
        """Someone on the side the case was dispatched to."""
        if self.person is None:
            return False
        if case.handler_id is not None and case.handler_id == self.person.pk:
            return True
        if case.dispatch_target == DispatchTarget.GRID_TEAM:
            return self.is_five_role(case)
        if case.dispatch_target == DispatchTarget.WORKSTATION:
            ws = self.person.workstation
            return ws is not None and ws.community_id == case.community_id
        if case.dispatch_target == DispatchTarget.UNIT:
            return (
                case.handling_unit_id is not None
                and self.person.handling_unit_id == case.handling_unit_id
            )
        return False

    def is_leader(self, case: Case) -> bool:
        """A grid leader whose post covers the case's place."""
        return (LEADERS in self.groups and self.covers(case)) or any(
            p.grid_id == case.grid_id
            or p.community_id == case.community_id
            or p.subdistrict_id == case.subdistrict_id
            or p.district_id == case.subdistrict.district_id
            for p in self.posts
        )

    def is_level4_leader(self, case: Case) -> bool:
        return any(
            p.level == "level4"
            and (p.community_id == case.community_id or p.grid_id == case.grid_id)
            for p in self.posts
        )

    def is_level1_leader(self, case: Case) -> bool:
        """A level-1 leader over the case's subdistrict or district (convenes joint meetings)."""
        return any(
            p.level == "level1"
            and (
                p.subdistrict_id == case.subdistrict_id
                or p.district_id == case.subdistrict.district_id
            )
            for p in self.posts
        )

    def is_system(self, case: Case) -> bool:
        """The platform itself: scheduled jobs such as the overdue sweep."""
        return self.system

    def is_assessor(self, case: Case) -> bool:
        return ASSESSORS in self.groups and self.covers(case)
