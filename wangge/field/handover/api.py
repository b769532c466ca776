"""The hand-over API under /api/v1/handovers: make one, read one.

POST resolves the person and the successor in the caller's territory (a person outside it is a
404 naming the field), then calls services.hand_over, which checks who may, validates and moves
everything in one transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from wangge.core.errors import NotFound
from wangge.core.schemas import errors
from wangge.org.territory import request_territory
from wangge.people.selectors import person_get

from . import selectors, services
from .models import Handover, HandoverKind

router = Router(tags=["handover"])


class HandoverIn(Schema):
    person: int = Field(..., description="id of the person who leaves or moves")
    successor: int = Field(..., description="id of the person who takes over")
    reason: str = Field(..., max_length=300)
    kind: str = Field(HandoverKind.LEAVES.value, description="leaves or moves")


class PersonRef(Schema):
    id: int
    name: str


class HandoverItemOut(Schema):
    kind: str
    object_id: int
    label: str


class HandoverOut(Schema):
    id: int
    person: PersonRef
    successor: PersonRef
    at: dt.datetime
    by: str | None
    reason: str
    kind: str
    cases: int
    linkage_calls: int
    alerts: int
    equipment: int
    roles: int
    items: list[HandoverItemOut]


def handover_out(h: Handover) -> dict[str, Any]:
    return {
        "id": h.pk,
        "person": {"id": h.person_id, "name": h.person.name},
        "successor": {"id": h.successor_id, "name": h.successor.name},
        "at": h.at,
        "by": h.by.get_username() if h.by else None,
        "reason": h.reason,
        "kind": h.kind,
        "cases": h.cases,
        "linkage_calls": h.linkage_calls,
        "alerts": h.alerts,
        "equipment": h.equipment,
        "roles": h.roles,
        "items": [
            {"kind": i.kind, "object_id": i.object_id, "label": i.label}
            for i in h.items.order_by("kind", "pk")
        ],
    }


def _person(request: HttpRequest, pk: int, field: str) -> Any:
    try:
        return person_get(request_territory(request), pk)
    except NotFound:
        raise NotFound(f"no person {pk} in your territory", field=field) from None


@router.post("", response={201: HandoverOut, **errors(400, 401, 403, 404, 409, 422)})
def handover_create(request: HttpRequest, payload: HandoverIn) -> Status[dict[str, Any]]:
    """Hand over everything open of a person (cases, linkage calls, unacknowledged alerts,
    equipment) to a successor; their roles end, and when they leave, their employment and login."""
    handover = services.hand_over(
        person=_person(request, payload.person, "person"),
        successor=_person(request, payload.successor, "successor"),
        by_user=request.user,
        reason=payload.reason,
        kind=payload.kind,
    )
    return Status(201, handover_out(handover))


@router.get("/{int:handover_id}", response={200: HandoverOut, **errors(401, 404)})
def handover_detail(request: HttpRequest, handover_id: int) -> dict[str, Any]:
    """One hand-over and the log of everything it moved."""
    return handover_out(selectors.handover_get(request_territory(request), handover_id))
