"""The people API: people, their role assignments (五员), the roles and the staffing standard.

Reads go through people.selectors with the request's territory; writes call people.services
and need master-data rights (people.permissions).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from wangge.core.errors import DomainError, NotFound
from wangge.core.schemas import errors
from wangge.org.selectors import grid_get
from wangge.org.territory import request_territory
from wangge.people import selectors, services
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
