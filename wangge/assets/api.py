"""The equipment API under /api/v1/equipment: the items of your territory, and what you hold."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from wangge.core.schemas import errors
from wangge.org.territory import request_territory
from wangge.people.models import Person
from wangge.people.schemas import PageIn

from . import selectors
from .models import Equipment, EquipmentCategory, EquipmentStatus, HolderKind

router = Router(tags=["assets"])


class EquipmentFilter(Schema):
    category: EquipmentCategory | None = Field(None, description="computer, handheld, …")
    holder: HolderKind | None = Field(None, description="person, center, workstation or store")
    status: EquipmentStatus | None = None
    q: str = Field("", max_length=100, description="words of the name, serial or holder")


class HolderOut(Schema):
    kind: str
    id: int | None
    name: str


class EquipmentOut(Schema):
    id: int
    category: str
    category_label: str
    name: str
    serial: str
    value: Decimal
    purchased_on: dt.date | None
    status: str
    holder: HolderOut


class EquipmentPage(Schema):
    count: int
    items: list[EquipmentOut]


def equipment_out(e: Equipment) -> dict[str, Any]:
    holder = e.holder
    return {
        "id": e.pk,
        "category": e.category,
        "category_label": e.get_category_display(),
        "name": e.name,
        "serial": e.serial,
        "value": e.value,
        "purchased_on": e.purchased_on,
        "status": e.status,
        "holder": {
            "kind": e.holder_kind,
            "id": holder.pk if holder is not None else None,
            "name": e.holder_label,
        },
    }


@router.get("", response={200: EquipmentPage, **errors(401, 422)})
def equipment_list(
    request: HttpRequest, filters: Query[EquipmentFilter], page: Query[PageIn]
) -> dict[str, Any]:
    """Equipment held inside your territory (admins: all, with what is in store)."""
    found = selectors.equipment_filter(
        selectors.equipment_visible(request_territory(request)),
        category=filters.category,
        holder=filters.holder,
        status=filters.status,
        q=filters.q,
    )
    items = found[page.offset : page.offset + page.limit]
    return {"count": found.count(), "items": [equipment_out(e) for e in items]}


@router.get("/mine", response={200: list[EquipmentOut], **errors(401)})
def equipment_mine(request: HttpRequest) -> list[dict[str, Any]]:
    """What the signed-in person holds (empty for a login with no person)."""
    user: Any = request.user
    person = Person.objects.filter(user=user).first()
    if person is None:
        return []
    return [equipment_out(e) for e in selectors.holdings(person)]
