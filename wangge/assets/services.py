"""Changes to equipment: create an item, give it to a holder, move everything a person holds.

Every change of holder closes the item's open EquipmentAssignment row and opens a new one, in
the same transaction, and is audited.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from wangge.core import audit
from wangge.core.errors import DomainError
from wangge.org.models import GridCenter, Workstation
from wangge.people.models import Person

from .models import (
    Equipment,
    EquipmentAssignment,
    EquipmentCategory,
    EquipmentStatus,
)

# Items in these states cannot be given to anyone.
OUT_OF_SERVICE = (EquipmentStatus.LOST, EquipmentStatus.RETIRED)


def _value(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(
            gettext("the value must be an amount in yuan, e.g. 4999.00; got %(value)s")
            % {"value": repr(value)},
            field="value",
        ) from None
    if not amount.is_finite() or amount < 0:
        raise DomainError(gettext("the value cannot be negative"), field="value")
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise DomainError(gettext("the value has more than 2 decimal places (fen)"), field="value")
    if amount >= Decimal("1e10"):
        raise DomainError(gettext("the value is too large"), field="value")
    return amount.quantize(Decimal("0.01"))


def _day(at: dt.datetime) -> dt.date:
    return timezone.localdate(at)


@transaction.atomic
def equipment_create(
    *,
    category: str,
    name: str,
    serial: str = "",
    value: Any = Decimal("0.00"),
    purchased_on: dt.date | None = None,
    notes: str = "",
    person: Person | None = None,
    center: GridCenter | None = None,
    workstation: Workstation | None = None,
    by_user: Any = None,
    reason: str = "",
    at: dt.datetime | None = None,
) -> Equipment:
    """Register an item (in store), and give it to a holder when one is named."""
    if category not in EquipmentCategory.values:
        raise DomainError(
            gettext("unknown category %(category)s; the categories are: %(known)s")
            % {"category": repr(category), "known": ", ".join(EquipmentCategory.values)},
            field="category",
        )
    name = (name or "").strip()
    if not name:
        raise DomainError(gettext("an item needs a name"), field="name")
    serial = (serial or "").strip()
    if serial and Equipment.objects.filter(serial=serial).exists():
        raise DomainError(
            gettext("serial number %(serial)s is already registered") % {"serial": serial},
            field="serial",
        )
    at = at or timezone.now()
    item = Equipment(
        category=category,
        name=name,
        serial=serial,
        value=_value(value),
        purchased_on=purchased_on,
        notes=notes,
        status=EquipmentStatus.IN_STORE,
    )
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:  # a concurrent registration of the same serial
        raise DomainError(
            gettext("serial number %(serial)s is already registered") % {"serial": serial},
            field="serial",
        ) from None
    EquipmentAssignment.objects.create(
        equipment=item, started_at=at, by=_user(by_user), reason=reason[:300] or "registered"
    )
    audit.record(
        actor=by_user,
        action="equipment.create",
        object_type="equipment",
        object_id=item.pk,
        summary=f"{item.get_category_display()} {item}",
    )
    if person is not None or center is not None or workstation is not None:
        assign(
            item,
            person=person,
            center=center,
            workstation=workstation,
            by_user=by_user,
            reason=reason or gettext("issued"),
            at=at,
        )
        item.refresh_from_db()
    return item


def _user(user: Any) -> Any:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


@transaction.atomic
def assign(
    equipment: Equipment,
    *,
    person: Person | None = None,
    center: GridCenter | None = None,
    workstation: Workstation | None = None,
    by_user: Any,
    reason: str,
    at: dt.datetime | None = None,
) -> EquipmentAssignment:
    """Give an item to a person, a grid centre or a workstation — or, naming none, put it back
    in store. Refuses someone who has left, and items lost or retired."""
    at = at or timezone.now()
    holders = [h for h in (person, center, workstation) if h is not None]
    if len(holders) > 1:
        raise DomainError(
            gettext("an item has one holder: name a person, a centre or a workstation, not two"),
            field="holder",
        )
    item = Equipment.objects.select_for_update(of=("self",)).get(pk=equipment.pk)
    if item.status in OUT_OF_SERVICE:
        raise DomainError(
            gettext("%(item)s is %(status)s and cannot be assigned; correct its status first")
            % {"item": str(item), "status": item.get_status_display()},
            field="equipment",
        )
    if person is not None:
        day = _day(at)
        if person.end_date is not None and person.end_date < day:
            raise DomainError(
                gettext(
                    "%(person)s left on %(end)s and cannot be given equipment; choose someone"
                    " still serving"
                )
                % {"person": person.name, "end": person.end_date},
                field="person",
            )
        if person.start_date is not None and person.start_date > day:
            raise DomainError(
                gettext("%(person)s starts on %(start)s, after %(day)s")
                % {"person": person.name, "start": person.start_date, "day": day},
                field="person",
            )
    if (item.person_id, item.center_id, item.workstation_id) == (
        person.pk if person else None,
        center.pk if center else None,
        workstation.pk if workstation else None,
    ):
        raise DomainError(
            gettext("%(item)s is already with %(holder)s")
            % {"item": str(item), "holder": item.holder_label},
            field="holder",
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(gettext("say why the item changes hands"), field="reason")
    current = EquipmentAssignment.objects.filter(equipment=item, ended_at__isnull=True).first()
    if current is not None:
        if at < current.started_at:
            raise DomainError(
                gettext("%(item)s was last assigned on %(at)s; a new assignment cannot be earlier")
                % {"item": str(item), "at": timezone.localtime(current.started_at)},
                field="at",
            )
        current.ended_at = at
        current.save(update_fields=["ended_at"])
    previous = item.holder_label
    item.person, item.center, item.workstation = person, center, workstation
    item.status = EquipmentStatus.IN_USE if holders else EquipmentStatus.IN_STORE
    item.save(update_fields=["person", "center", "workstation", "status", "updated_at"])
    row = EquipmentAssignment.objects.create(
        equipment=item,
        person=person,
        center=center,
        workstation=workstation,
        started_at=at,
        by=_user(by_user),
        reason=reason[:300],
    )
    audit.record(
        actor=by_user,
        action="equipment.assign",
        object_type="equipment",
        object_id=item.pk,
        summary=f"{item}: {previous} → {item.holder_label} ({reason})",
    )
    equipment.refresh_from_db()
    return row


@transaction.atomic
def set_status(
    equipment: Equipment, *, status: str, by_user: Any, reason: str, at: dt.datetime | None = None
) -> Equipment:
    """Mark an item lost or retired (it leaves its holder), or back in store."""
    if status not in EquipmentStatus.values or status == EquipmentStatus.IN_USE:
        raise DomainError(
            gettext("the status must be one of in_store, lost, retired (in use means assigned)"),
            field="status",
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(gettext("say why the status changes"), field="reason")
    at = at or timezone.now()
    item = Equipment.objects.select_for_update(of=("self",)).get(pk=equipment.pk)
    if item.status == status:
        raise DomainError(
            gettext("%(item)s is already %(status)s")
            % {"item": str(item), "status": item.get_status_display()},
            field="status",
        )
    if item.holder_kind != "store":
        EquipmentAssignment.objects.filter(equipment=item, ended_at__isnull=True).update(
            ended_at=at
        )
        EquipmentAssignment.objects.create(
            equipment=item, started_at=at, by=_user(by_user), reason=reason[:300]
        )
    previous = item.get_status_display()
    item.person = item.center = item.workstation = None
    item.status = status
    item.save(update_fields=["person", "center", "workstation", "status", "updated_at"])
    audit.record(
        actor=by_user,
        action="equipment.status",
        object_type="equipment",
        object_id=item.pk,
        summary=f"{item}: {previous} → {item.get_status_display()} ({reason})",
    )
    equipment.refresh_from_db()
    return item


@transaction.atomic
def transfer_all(
    *,
    person: Person,
    successor: Person,
    by_user: Any,
    reason: str,
    at: dt.datetime | None = None,
) -> list[tuple[int, str]]:
    """Give everything a person holds to a successor (used by the hand-over).

    Returns (item id, label) of every item moved.
    """
    if successor.pk == person.pk:
        raise DomainError(gettext("the successor is the same person"), field="successor")
    moved: list[tuple[int, str]] = []
    for item in Equipment.objects.filter(person=person).order_by("category", "id"):
        assign(item, person=successor, by_user=by_user, reason=reason, at=at)
        label = f"{item.get_category_display()} · {item}"
        moved.append((item.pk, label))
    return moved


EDITABLE = ("category", "name", "serial", "value", "purchased_on", "notes")


@transaction.atomic
def equipment_update(equipment: Equipment, *, by_user: Any, **changes: Any) -> Equipment:
    """Correct an item's description (category, name, serial, value, purchase date, notes);
    the holder and the status change only through assign and set_status."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DomainError(
            gettext("these fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))},
            field=sorted(unknown)[0],
        )
    item = Equipment.objects.select_for_update(of=("self",)).get(pk=equipment.pk)
    if "category" in changes and changes["category"] not in EquipmentCategory.values:
        raise DomainError(
            gettext("unknown category %(category)s") % {"category": repr(changes["category"])},
            field="category",
        )
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
        if not changes["name"]:
            raise DomainError(gettext("an item needs a name"), field="name")
    if "serial" in changes:
        changes["serial"] = (changes["serial"] or "").strip()
        taken = Equipment.objects.filter(serial=changes["serial"]).exclude(pk=item.pk)
        if changes["serial"] and taken.exists():
            raise DomainError(
                gettext("serial number %(serial)s is already registered")
                % {"serial": changes["serial"]},
                field="serial",
            )
    if "value" in changes:
        changes["value"] = _value(changes["value"])
    before = {k: str(getattr(item, k)) for k in changes}
    for key, value in changes.items():
        setattr(item, key, value)
    item.save(update_fields=[*changes, "updated_at"])
    audit.record(
        actor=by_user,
        action="equipment.update",
        object_type="equipment",
        object_id=item.pk,
        summary=f"{item}: " + ", ".join(f"{k} {before[k]} → {getattr(item, k)}" for k in changes),
    )
    equipment.refresh_from_db()
    return item
