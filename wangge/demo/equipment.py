"""The 洛龙街道 demo's equipment, as the seed lists it (二.2 确保装备到位), and the 2019 hand-overs.

- 7 desktop computers: 2 at the subdistrict's handling centre, 1 at each of the 5 workstations;
- 2 electric vans (面包型电瓶车) at the centre, for patrols and enforcement around the city's
  administrative centre and 碧潭社区;
- 10 electric motorcycles: 2 at each workstation;
- 30 handhelds (处置通) for enforcement officers and community workers: one for each grid's
  community worker and one for each grid's first enforcement officer;
- a uniform and a badge (工作证) for every five-role member, and a tool kit (tongs, broom, bags)
  for every supervisor, issued at the pilot's mobilisation; the 2019 new hires get new ones.
Bought in 2018 (the pilot) and 2019 (the new hires), issued through assets.services, then the two
2019 departures (builder.TURNOVER_2019) are handed over to their successors through
field.handover.services.hand_over, which moves their equipment and logs it.

Run after builder.build(); skipped when equipment exists. Values are plausible, not the seed's.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from wangge.assets.models import Equipment
from wangge.assets.services import equipment_create
from wangge.demo import data
from wangge.demo.builder import MOBILISATION
from wangge.field.handover.models import Handover
from wangge.field.handover.services import hand_over
from wangge.org.models import GridCenter, Subdistrict, Workstation
from wangge.people.models import GridRole, Person, RoleKind

TZ = ZoneInfo("Asia/Shanghai")
TOOL = "处置工具（火钳、扫帚、垃圾袋）"
PILOT_PURCHASE = dt.date(2018, 9, 14)
ISSUED = dt.datetime.combine(MOBILISATION, dt.time(9, 0), TZ)

PRICES = {
    "computer": Decimal("4999.00"),
    "electric_van": Decimal("38800.00"),
    "electric_motorcycle": Decimal("3680.00"),
    "handheld": Decimal("2380.00"),
    "uniform": Decimal("420.00"),
    "badge": Decimal("25.00"),
    "tool": Decimal("168.00"),
}


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), TZ)


@transaction.atomic
def build_equipment(now: dt.datetime) -> str:
    """Load the demo's equipment and the 2019 hand-overs; returns a one-line summary."""
    if Equipment.objects.exists():
        return f"equipment: already loaded ({Equipment.objects.count()} items), skipped"
    sub = Subdistrict.objects.filter(name=data.SUBDISTRICT_NAME).first()
    if sub is None:
        return "equipment: no demo subdistrict yet, skipped"
    center = GridCenter.objects.get(subdistrict=sub)
    stations = list(
        Workstation.objects.filter(community__subdistrict=sub).order_by("community__code")
    )
    made = 0

    def item(
        category: str, name: str, serial: str, bought: dt.date, at: dt.datetime, **holder: Any
    ) -> Equipment:
        nonlocal made
        made += 1
        return equipment_create(
            category=category,
            name=name,
            serial=serial,
            value=PRICES[category],
            purchased_on=bought,
            by_user=None,
            reason="配发" if holder else "入库",
            at=at,
            **holder,
        )

    for n in range(1, 3):
        item("computer", "台式电脑", f"LL-PC-2018-{n:03d}", PILOT_PURCHASE, ISSUED, center=center)
    for n, ws in enumerate(stations, 3):
        item("computer", "台式电脑", f"LL-PC-2018-{n:03d}", PILOT_PURCHASE, ISSUED, workstation=ws)
    for n in range(1, 3):
        item(
            "electric_van",
            "面包型电瓶车",
            f"LL-EV-2018-{n:02d}",
            PILOT_PURCHASE,
            ISSUED,
            center=center,
        )
    for i, ws in enumerate(stations):
        for k in range(2):
            item(
                "electric_motorcycle",
                "电动摩托车",
                f"LL-EM-2018-{2 * i + k + 1:02d}",
                PILOT_PURCHASE,
                ISSUED,
                workstation=ws,
            )

    # The staff in place at the mobilisation, grid by grid and role by role.
    roster = (
        GridRole.objects.filter(grid__community__subdistrict=sub, start_date__lte=MOBILISATION)
        .select_related("person", "grid")
        .order_by("grid__code", "role", "start_date", "pk")
    )
    handhelds = 0
    seen_enforcer: set[int] = set()
    for a in roster:
        person = a.person
        item("uniform", "网格员服装", "", PILOT_PURCHASE, ISSUED, person=person)
        item("badge", "工作证", f"LL-GZ-{person.pk:05d}", PILOT_PURCHASE, ISSUED, person=person)
        if a.role == RoleKind.SUPERVISOR:
            item("tool", TOOL, "", PILOT_PURCHASE, ISSUED, person=person)
        first_enforcer = a.role == RoleKind.ENFORCER and a.grid_id not in seen_enforcer
        if first_enforcer:
            seen_enforcer.add(a.grid_id)
        if (a.role == RoleKind.COMMUNITY_WORKER or first_enforcer) and handhelds < 30:
            handhelds += 1
            item(
                "handheld",
                "处置通",
                f"CZT-{sub.full_code}-{handhelds:03d}",
                PILOT_PURCHASE,
                ISSUED,
                person=person,
            )

    # 2019: the two departures hand over to the new hires, who also get their own uniform,
    # badge and tools (the seed: 新招录网格员2名 ... 处置通、服装、工作证及处置工具).
    handovers = 0
    leavers = Person.objects.filter(external_key__startswith="demo:", end_date__year=2019).order_by(
        "end_date", "pk"
    )
    for leaver in leavers:
        successor = Person.objects.filter(external_key=f"{leaver.external_key}:2019").first()
        if successor is None or successor.start_date is None:
            continue
        at = _at(successor.start_date, 8)
        if at > now or Handover.objects.filter(person=leaver).exists():
            continue
        bought = successor.start_date - dt.timedelta(days=3)
        for category, name in (("uniform", "网格员服装"), ("badge", "工作证"), ("tool", TOOL)):
            serial = f"LL-GZ-{successor.pk:05d}" if category == "badge" else ""
            item(category, name, serial, bought, _at(successor.start_date), person=successor)
        hand_over(
            person=leaver,
            successor=successor,
            by_user=None,
            reason="离职交接（2019年人员变动）",
            kind="leaves",
            at=at,
        )
        handovers += 1
    value = sum(Equipment.objects.values_list("value", flat=True), Decimal("0.00"))
    return (
        f"equipment: {made} items worth {value} yuan (computers 7, vans 2, motorcycles 10,"
        f" handhelds {handhelds}); {handovers} hand-overs in 2019"
    )
