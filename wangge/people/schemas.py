"""Shapes of the people API: filters, request bodies and responses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from ninja import Schema
from pydantic import Field, field_validator

from wangge.org.models import Community, Grid
from wangge.org.schemas import Ref, check_community_code
from wangge.org.selectors import community_code_q
from wangge.people.models import Employment, GridRole, LeaderPost, Person, RoleKind
from wangge.people.selectors import RoleStaffing, persons_filter

# ---------------------------------------------------------------------------------------------
# The people list's filters


class PersonFilter(Schema):
    """Narrows people.selectors.persons_visible. Roles, grids and communities mean today's
    assignments ("who works where now"), as on the people page (web.forms.PeopleFilterForm)."""

    role: RoleKind | None = Field(None, description="holds this role today")
    grid: str | None = Field(None, description="15-digit grid code: on its roster today")
    community: str | None = Field(
        None, description="12-digit community code: on a roster there today, or at its workstation"
    )
    employment: Employment | None = None
    active: bool | None = Field(None, description="employed today (by start and end dates)")
    q: str | None = Field(None, description="part of the name or phone number")

    _check_community = field_validator("community")(check_community_code)

    def apply(self, people: QuerySet[Person]) -> QuerySet[Person]:
        """Narrow a scoped queryset through people.selectors.persons_filter."""
        community = (
            Community.objects.filter(community_code_q(self.community)).first()
            if self.community
            else None
        )
        if self.community and community is None:
            return people.none()
        grid = Grid.objects.filter(code=self.grid).first() if self.grid else None
        if self.grid and grid is None:
            return people.none()
        return persons_filter(
            people,
            q=self.q or "",
            role=self.role.value if self.role else None,
            grid=grid,
            community=community,
            employment=self.employment.value if self.employment else None,
            active=self.active,
        )


# ---------------------------------------------------------------------------------------------
# Requests


class PageIn(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class PersonIn(Schema):
    name: str = Field(..., min_length=1, max_length=50)
    phone: str = ""
    employment: Employment = Employment.CONTRACT
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    title: str = ""


class RoleAssignIn(Schema):
    grid: str = Field(..., description="15-digit grid code")
    # Text, not RoleKind: people.services.parse_role names the valid roles in its message.
    role: str = Field(..., description="supervisor, enforcer, sanitation, police, community_worker")
    start_date: dt.date
    end_date: dt.date | None = None


class RoleEndIn(Schema):
    end_date: dt.date


# ---------------------------------------------------------------------------------------------
# Responses


class PersonOut(Schema):
    id: int
    name: str
    phone: str
    employment: str
    employment_label: str
    start_date: dt.date | None
    end_date: dt.date | None
    title: str


class PersonPage(Schema):
    count: int
    items: list[PersonOut]


class AssignmentOut(Schema):
    id: int
    person: int
    person_name: str
    grid: Ref
    role: str
    role_label: str
    start_date: dt.date
    end_date: dt.date | None


class PersonDetailOut(PersonOut):
    roles: list[AssignmentOut]


class RoleOut(Schema):
    role: str
    label: str


class StandardOut(Schema):
    role: str
    label: str
    per_grid: int


class StaffingOut(Schema):
    role: str
    label: str
    required: int
    actual: int
    gap: int


class RosterEntry(Schema):
    assignment: int
    person: int
    name: str
    phone: str
    employment: str
    start_date: dt.date
    end_date: dt.date | None


class RosterGroup(Schema):
    role: str
    label: str
    people: list[RosterEntry]


class LeaderOut(Schema):
    level: str
    level_label: str
    title: str
    unit_kind: str
    unit_name: str
    person: int | None
    person_name: str | None
    department: str | None


def person_out(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        "name": person.name,
        "phone": person.phone,
        "employment": person.employment,
        "employment_label": str(person.get_employment_display()),
        "start_date": person.start_date,
        "end_date": person.end_date,
        "title": person.title,
    }


def assignment_out(a: GridRole) -> dict[str, Any]:
    return {
        "id": a.pk,
        "person": a.person_id,
        "person_name": a.person.name,
        "grid": {"code": a.grid.code, "name": a.grid.name},
        "role": a.role,
        "role_label": str(a.get_role_display()),
        "start_date": a.start_date,
        "end_date": a.end_date,
    }


def person_detail_out(person: Person, history: list[GridRole]) -> dict[str, Any]:
    return {**person_out(person), "roles": [assignment_out(a) for a in history]}


def roster_out(assignments: list[GridRole]) -> list[dict[str, Any]]:
    """Assignments grouped by role, in the order of the five roles; empty roles included."""
    return [
        {
            "role": kind.value,
            "label": str(kind.label),
            "people": [
                {
                    "assignment": a.pk,
                    "person": a.person_id,
                    "name": a.person.name,
                    "phone": a.person.phone,
                    "employment": a.person.employment,
                    "start_date": a.start_date,
                    "end_date": a.end_date,
                }
                for a in assignments
                if a.role == kind.value
            ],
        }
        for kind in RoleKind
    ]


def staffing_out(rows: list[RoleStaffing]) -> list[dict[str, Any]]:
    return [
        {
            "role": r.role.value,
            "label": str(r.role.label),
            "required": r.required,
            "actual": r.actual,
            "gap": r.gap,
        }
        for r in rows
    ]


def leader_out(post: LeaderPost) -> dict[str, Any]:
    unit = post.unit
    return {
        "level": post.level,
        "level_label": str(post.get_level_display()),
        "title": post.title,
        "unit_kind": post.unit_kind,
        "unit_name": unit.name if unit is not None else "",
        "person": post.person_id,
        "person_name": post.person.name if post.person else None,
        "department": post.department.name if post.department else None,
    }


def roles_out() -> list[dict[str, str]]:
    return [{"role": kind.value, "label": str(kind.label)} for kind in RoleKind]
