"""Reads about equipment, scoped by territory: holdings, lists, the inventory count (盘点)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from wangge.core.errors import NotFound
from wangge.org.models import Community
from wangge.org.territory import Territory
from wangge.people.models import Person
from wangge.people.selectors import persons_visible

from .models import Equipment, EquipmentCategory, HolderKind


def _related(qs: QuerySet[Equipment]) -> QuerySet[Equipment]:
    return qs.select_related("person", "center", "workstation__community")


def holdings(person: Person) -> QuerySet[Equipment]:
    """What a person holds now."""
    return _related(Equipment.objects.filter(person=person)).order_by("category", "name", "id")


def equipment_visible(territory: Territory) -> QuerySet[Equipment]:
    """The one scoping selector for equipment: items whose holder is inside the territory
    (a person of it, its centre, a workstation of its communities). Items in store, lost or
    retired have no holder and are seen by admins (the whole territory) only."""
    qs = _related(Equipment.objects.all())
    if territory.everything:
        return qs
    q = Q(person__in=persons_visible(territory).values("pk"))
    # A grid worker's territory is their grids; only wider territories see the workstation.
    if territory.community_ids or territory.subdistrict_ids or territory.district_ids:
        wide = Community.objects.filter(
            Q(pk__in=sorted(territory.community_ids))
            | Q(subdistrict_id__in=sorted(territory.subdistrict_ids))
            | Q(subdistrict__district_id__in=sorted(territory.district_ids))
        ).values("pk")
        q |= Q(workstation__community_id__in=wide)
    if territory.subdistrict_ids:
        q |= Q(center__subdistrict_id__in=sorted(territory.subdistrict_ids))
    if territory.district_ids:
        q |= Q(center__district_id__in=sorted(territory.district_ids))
    return qs.filter(q)


def equipment_get(territory: Territory, pk: int) -> Equipment:
    try:
        return equipment_visible(territory).get(pk=pk)
    except Equipment.DoesNotExist:
        raise NotFound(f"no equipment item {pk} in your territory", field="id") from None


def holder_kind_q(kind: str) -> Q:
    return {
        HolderKind.PERSON: Q(person__isnull=False),
        HolderKind.CENTER: Q(center__isnull=False),
        HolderKind.WORKSTATION: Q(workstation__isnull=False),
        HolderKind.STORE: Q(person__isnull=True, center__isnull=True, workstation__isnull=True),
    }[HolderKind(kind)]


def equipment_filter(
    items: QuerySet[Equipment],
    *,
    category: str | None = None,
    holder: str | None = None,
    status: str | None = None,
    q: str = "",
) -> QuerySet[Equipment]:
    """Narrow a scoped list: by category, holder kind, status, and words of the name, serial or
    the holder's name."""
    if category:
        items = items.filter(category=category)
    if holder:
        items = items.filter(holder_kind_q(holder))
    if status:
        items = items.filter(status=status)
    if text := q.strip():
        items = items.filter(
            Q(name__icontains=text)
            | Q(serial__icontains=text)
            | Q(person__name__icontains=text)
            | Q(center__name__icontains=text)
            | Q(workstation__name__icontains=text)
        )
    return items


@dataclass
class InventoryRow:
    category: EquipmentCategory
    count: int = 0
    value: Decimal = Decimal("0.00")
    by_holder: dict[str, int] = field(default_factory=dict)  # HolderKind → count


@dataclass
class HolderRow:
    kind: str
    label: str
    count: int
    value: Decimal


@dataclass
class Inventory:
    rows: list[InventoryRow]
    holders: list[HolderRow]
    total_count: int
    total_value: Decimal

    @property
    def holder_kinds(self) -> list[HolderKind]:
        return list(HolderKind)


def inventory(items: QuerySet[Equipment]) -> Inventory:
    """The inventory count (盘点): count and value per category, split by holder kind, and
    what each holder has. Lost and retired items are left out (they are no longer stock)."""
    stock = items.exclude(status__in=["lost", "retired"])
    rows = {c.value: InventoryRow(category=c) for c in EquipmentCategory}
    totals = stock.values("category").annotate(n=Count("id"), v=Sum("value"))
    for r in totals:
        row = rows[r["category"]]
        row.count, row.value = r["n"], r["v"] or Decimal("0.00")
    for kind in HolderKind:
        per_kind = stock.filter(holder_kind_q(kind)).values("category").annotate(n=Count("id"))
        for k in per_kind:
            rows[k["category"]].by_holder[kind.value] = k["n"]
    holders: list[HolderRow] = []
    for kind, key, label in (
        (HolderKind.CENTER, "center", "center__name"),
        (HolderKind.WORKSTATION, "workstation", "workstation__name"),
        (HolderKind.PERSON, "person", "person__name"),
    ):
        for r in (
            stock.filter(**{f"{key}__isnull": False})
            .values(key, label)
            .annotate(n=Count("id"), v=Sum("value"))
            .order_by(label)
        ):
            holders.append(HolderRow(kind, r[label], r["n"], r["v"] or Decimal("0.00")))
    store = stock.filter(holder_kind_q(HolderKind.STORE)).aggregate(n=Count("id"), v=Sum("value"))
    if store["n"]:
        holders.append(
            HolderRow(
                HolderKind.STORE, str(HolderKind.STORE.label), store["n"], store["v"] or Decimal(0)
            )
        )
    listed = [r for r in rows.values()]
    return Inventory(
        rows=listed,
        holders=holders,
        total_count=sum(r.count for r in listed),
        total_value=sum((r.value for r in listed), Decimal("0.00")),
    )
