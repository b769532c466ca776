"""The people API: people, their role assignments (五员), the roles and the staffing standard.

Reads go through people.selectors with the request's territory; writes call people.services
and need master-data rights (people.permissions).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from pydantic import Field

from wangge.core.errors import DomainError, NotFound
from wangge.core.schemas import errors
from wangge.org.selectors import grid_get
from wangge.org.territory import request_territory
from wangge.people import selectors, services, turnover
from wangge.people.models import GridRole, Person, RoleKind
from wangge.people.permissions import require_master_data
from wangge.people.schemas import (
    AssignmentOut,
    PageIn,
    PersonDetailOut,
    PersonFilter,
    PersonIn,
    PersonPage,
    RoleAssignIn,
    RoleEndIn,
    RoleOut,
    StandardOut,
    assignment_out,
    person_detail_out,
    person_out,
    roles_out,
)

router = Router(tags=["people"])


@router.get("/people", response={200: PersonPage, **errors(401, 422)})
def people(
    request: HttpRequest, filters: Query[PersonFilter], page: Query[PageIn]
) -> dict[str, Any]:
    """People in your territory, filtered, by name; ``limit``/``offset`` page through them."""
    found = filters.apply(selectors.persons_visible(request_territory(request)))
    items = found[page.offset : page.offset + page.limit]
    return {"count": found.count(), "items": [person_out(p) for p in items]}


class TurnoverQuery(Schema):
    """Text, parsed by people.turnover, so that a bad date gets a message naming the format."""

    subdistrict: str = Field(
        "",
        description="9-digit subdistrict code (or its name); may be left out when the territory"
        " holds one subdistrict",
    )
    date_from: str = Field("", alias="from", description="first day, YYYY-MM-DD; 1 January")
    date_to: str = Field("", alias="to", description="last day included, YYYY-MM-DD; today")


class RoleTurnoverOut(Schema):
    role: str
    role_label: str
    headcount_start: int = Field(..., description=turnover.TURNOVER_DEFINITIONS["headcount_start"])
    headcount_end: int = Field(..., description=turnover.TURNOVER_DEFINITIONS["headcount_end"])
    average_headcount: float = Field(
        ..., description=turnover.TURNOVER_DEFINITIONS["average_headcount"]
    )
    hires: int = Field(..., description=turnover.TURNOVER_DEFINITIONS["hires"])
    departures: int = Field(..., description=turnover.TURNOVER_DEFINITIONS["departures"])
    turnover_rate: float | None = Field(
        ..., description=turnover.TURNOVER_DEFINITIONS["turnover_rate"]
    )
    average_tenure_days: float | None = Field(
        ..., description=turnover.TURNOVER_DEFINITIONS["average_tenure_days"]
    )


class MonthTurnoverOut(Schema):
    month: str = Field(..., description="YYYY-MM")
    hires: dict[str, int] = Field(..., description="role → hires in the month")
    departures: dict[str, int] = Field(..., description="role → departures in the month")
    total_hires: int = Field(..., description="people hired in the month")
    total_departures: int = Field(..., description="people who left in the month")


class OpenPostOut(Schema):
    grid: str = Field(..., description="15-digit grid code")
    grid_name: str
    community_name: str
    role: str
    role_label: str
    opened: dt.date = Field(..., description=turnover.TURNOVER_DEFINITIONS["opened"])
    filled: dt.date | None = Field(..., description=turnover.TURNOVER_DEFINITIONS["filled"])
    days_open: int = Field(..., description=turnover.TURNOVER_DEFINITIONS["days_open"])


class TurnoverOut(Schema):
    subdistrict: str = Field(..., description="9-digit subdistrict code")
    subdistrict_name: str
    start: dt.date
    end: dt.date
    roles: list[RoleTurnoverOut] = Field(..., description="one per role, in the roles' order")
    months: list[MonthTurnoverOut]
    headcount_start: int = Field(..., description="people holding any role on the first day")
    headcount_end: int = Field(..., description="people holding any role on the last day")
    average_headcount: float = Field(..., description="all roles, counting people")
    hires: int = Field(..., description=turnover.TURNOVER_DEFINITIONS["hires"])
    departures: int = Field(..., description=turnover.TURNOVER_DEFINITIONS["departures"])
    turnover_rate: float | None = Field(
        ..., description=turnover.TURNOVER_DEFINITIONS["turnover_rate"]
    )
    average_tenure_days: float | None = Field(
        ..., description=turnover.TURNOVER_DEFINITIONS["average_tenure_days"]
    )
    temporary_share: float | None = Field(
        ..., description=turnover.TURNOVER_DEFINITIONS["temporary_share"]
    )
    open_posts: list[OpenPostOut] = Field(
        ..., description=turnover.TURNOVER_DEFINITIONS["open_post"]
    )
    open_at_end: int = Field(..., description=turnover.TURNOVER_DEFINITIONS["open_at_end"])


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


# Before /people/{person_id}, so that "turnover" is never read as a person's id.
@router.get("/people/turnover", response={200: TurnoverOut, **errors(400, 401, 404, 422)})
def people_turnover(request: HttpRequest, params: Query[TurnoverQuery]) -> dict[str, Any]:
    """Hires, departures, turnover rate, tenure and open posts of a subdistrict's grid staff over
    a period (default: this year so far); the definitions are in each field's description."""
    start, end = turnover.parse_period(params.date_from, params.date_to, today=timezone.localdate())
    sub = turnover.subdistrict_pick(request_territory(request), params.subdistrict)
    if sub is None:
        choices = ", ".join(
            f"{s.full_code} {s.name}"
            for s in turnover.subdistrict_choices(request_territory(request))
        )
        raise DomainError(
            gettext("Choose a subdistrict (subdistrict=<9-digit code>): %(choices)s.")
            % {"choices": choices},
            field="subdistrict",
        )
    figures = turnover.turnover(sub, start, end)
    return {
        "subdistrict": sub.full_code,
        "subdistrict_name": sub.name,
        "start": figures.start,
        "end": figures.end,
        "roles": [
            {
                "role": r.role,
                "role_label": r.role_label,
                "headcount_start": r.headcount_start,
                "headcount_end": r.headcount_end,
                "average_headcount": float(r.average_headcount),
                "hires": r.hires,
                "departures": r.departures,
                "turnover_rate": _number(r.turnover_rate),
                "average_tenure_days": _number(r.average_tenure_days),
            }
            for r in figures.roles
        ],
        "months": [
            {
                "month": m.month,
                "hires": m.hires,
                "departures": m.departures,
                "total_hires": m.total_hires,
                "total_departures": m.total_departures,
            }
            for m in figures.months
        ],
        "headcount_start": figures.headcount_start,
        "headcount_end": figures.headcount_end,
        "average_headcount": float(figures.average_headcount),
        "hires": figures.hires,
        "departures": figures.departures,
        "turnover_rate": _number(figures.turnover_rate),
        "average_tenure_days": _number(figures.average_tenure_days),
        "temporary_share": _number(figures.temporary_share),
        "open_posts": [
            {
                "grid": p.grid_code,
                "grid_name": p.grid_name,
                "community_name": p.community_name,
                "role": p.role,
                "role_label": p.role_label,
                "opened": p.opened,
                "filled": p.filled,
                "days_open": p.days_open,
            }
            for p in figures.open_posts
        ],
        "open_at_end": figures.open_at_end,
    }


@router.get("/people/{person_id}", response={200: PersonDetailOut, **errors(401, 404, 422)})
def person(request: HttpRequest, person_id: int) -> dict[str, Any]:
    """One person with their whole role history, newest first."""
    found = selectors.person_get(request_territory(request), person_id)
    return person_detail_out(found, _history(found))


@router.post("/people", response={201: PersonDetailOut, **errors(400, 401, 403, 422)})
def person_create(request: HttpRequest, payload: PersonIn) -> Status[dict[str, Any]]:
    """Add a person (roles are assigned separately, through /people/{id}/roles)."""
    require_master_data(request.user)
    created = services.person_create(
        name=payload.name,
        phone=payload.phone,
        employment=payload.employment.value,
        start_date=payload.start_date,
        end_date=payload.end_date,
        title=payload.title,
        actor=request.user,
    )
    return Status(201, person_detail_out(created, []))


@router.post(
    "/people/{person_id}/roles", response={201: AssignmentOut, **errors(400, 401, 403, 404, 422)}
)
def role_assign(
    request: HttpRequest, person_id: int, payload: RoleAssignIn
) -> Status[dict[str, Any]]:
    """Start the person in a role in a grid; the history is kept, never overwritten."""
    require_master_data(request.user)
    territory = request_territory(request)
    found = selectors.person_get(territory, person_id)
    try:
        grid = grid_get(territory, payload.grid)
    except NotFound as exc:
        # The grid is named in the body, so it is the body that is wrong.
        raise DomainError(exc.message, field="grid") from None
    assignment = services.role_assign(
        person=found,
        grid=grid,
        role=payload.role,
        start_date=payload.start_date,
        end_date=payload.end_date,
        actor=request.user,
    )
    return Status(201, assignment_out(assignment))


@router.post(
    "/roles/{assignment_id}/end", response={200: AssignmentOut, **errors(400, 401, 403, 404, 422)}
)
def role_end(request: HttpRequest, assignment_id: int, payload: RoleEndIn) -> dict[str, Any]:
    """End an assignment on a day; the row stays as history."""
    require_master_data(request.user)
    assignment = selectors.assignment_get(request_territory(request), assignment_id)
    ended = services.role_end(assignment=assignment, end_date=payload.end_date, actor=request.user)
    return assignment_out(ended)


@router.get("/roles", response={200: list[RoleOut], **errors(401)})
def roles(request: HttpRequest) -> list[dict[str, str]]:
    """The five roles (五员) with their labels in the request's language."""
    return roles_out()


@router.get("/staffing-standard", response={200: list[StandardOut], **errors(401)})
def staffing_standard(request: HttpRequest) -> list[dict[str, Any]]:
    """People per grid by role (the seed's 1/2/2/1/1, editable in the admin)."""
    standard = selectors.staffing_standard()
    return [
        {"role": kind.value, "label": str(kind.label), "per_grid": standard[kind.value]}
        for kind in RoleKind
    ]


def _history(person: Person) -> list[GridRole]:
    # Every assignment of a visible person, also in grids outside the territory: it is theirs.
    return list(person.roles.select_related("person", "grid").order_by("-start_date", "-id"))
