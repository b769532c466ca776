"""Equipment: registered, given to a holder with its history, refused to someone who has left,
moved wholesale to a successor, counted in the inventory, scoped to the territory."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import PersonFactory
from wangge.assets.models import Equipment, EquipmentAssignment
from wangge.assets.selectors import equipment_visible, holdings, inventory
from wangge.assets.services import (
    assign,
    equipment_create,
    equipment_update,
    set_status,
    transfer_all,
)
from wangge.core.errors import DomainError
from wangge.people.territory import territory_of

pytestmark = pytest.mark.django_db


def handheld(cast, serial="CZT-0001", **kw):
    return equipment_create(
        category="handheld",
        name="处置通",
        serial=serial,
        value="2980.00",
        by_user=cast.admin_user,
        **kw,
    )


def test_an_item_is_registered_in_store_and_then_assigned_with_its_history(cast):
    item = handheld(cast, purchased_on=dt.date(2019, 3, 1))
    assert (item.status, item.holder_kind, item.value) == ("in_store", "store", Decimal("2980.00"))
    assign(item, person=cast.supervisor, by_user=cast.admin_user, reason="配发")
    assert (item.status, item.person) == ("in_use", cast.supervisor)
    assign(item, center=cast.center, by_user=cast.admin_user, reason="收回中心")
    rows = list(EquipmentAssignment.objects.filter(equipment=item).order_by("started_at", "pk"))
    assert [r.holder_kind for r in rows] == ["store", "person", "center"]
    assert [r.ended_at is None for r in rows] == [False, False, True]


def test_someone_who_has_left_is_refused(cast):
    gone = PersonFactory(name="离职者", end_date=dt.date(2019, 6, 30))
    item = handheld(cast)
    with pytest.raises(DomainError) as exc:
        assign(item, person=gone, by_user=cast.admin_user, reason="配发")
    assert exc.value.field == "person" and "left on 2019-06-30" in exc.value.message
    item.refresh_from_db()
    assert item.holder_kind == "store"
    assert EquipmentAssignment.objects.filter(equipment=item).count() == 1


def test_lost_and_retired_items_cannot_be_assigned(cast):
    item = handheld(cast, person=cast.supervisor)
    set_status(item, status="lost", by_user=cast.admin_user, reason="巡查中遗失")
    assert (item.status, item.holder_kind) == ("lost", "store")
    with pytest.raises(DomainError) as exc:
        assign(item, person=cast.supervisor, by_user=cast.admin_user, reason="找回")
    assert "lost" in exc.value.message


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"value": "-1"}, "value"),
        ({"value": "12.345"}, "value"),
        ({"value": "abc"}, "value"),
        ({"category": "spaceship"}, "category"),
        ({"name": " "}, "name"),
    ],
)
def test_bad_input_is_refused(cast, kw, field):
    args = {"category": "tool", "name": "扫帚", "by_user": cast.admin_user} | kw
    with pytest.raises(DomainError) as exc:
        equipment_create(**args)
    assert exc.value.field == field
    assert not Equipment.objects.exists()


def test_a_serial_is_unique(cast):
    handheld(cast)
    with pytest.raises(DomainError) as exc:
        handheld(cast)
    assert exc.value.field == "serial"
    other = handheld(cast, serial="CZT-0002")
    with pytest.raises(DomainError):
        equipment_update(other, by_user=cast.admin_user, serial="CZT-0001")


def test_one_holder_at_a_time(cast):
    item = handheld(cast)
    with pytest.raises(DomainError) as exc:
        assign(item, person=cast.supervisor, center=cast.center, by_user=None, reason="x")
    assert exc.value.field == "holder"


def test_transfer_all_moves_everything_a_person_holds(cast):
    successor = PersonFactory(name="接任者")
    a = handheld(cast, person=cast.supervisor)
    b = equipment_create(category="uniform", name="工作服", by_user=None, person=cast.supervisor)
    moved = transfer_all(
        person=cast.supervisor,
        successor=successor,
        by_user=None,
        reason="交接",
        at=timezone.now(),
    )
    assert {pk for pk, _ in moved} == {a.pk, b.pk}
    assert not holdings(cast.supervisor).exists()
    assert set(holdings(successor)) == {a, b}


def test_the_inventory_counts_items_and_value_per_category_and_holder(cast):
    handheld(cast, person=cast.supervisor)
    handheld(cast, serial="CZT-0002", center=cast.center)
    equipment_create(
        category="computer",
        name="台式电脑",
        value="4999.00",
        by_user=None,
        workstation=cast.wujiaying.workstation,
    )
    retired = handheld(cast, serial="CZT-0003")
    set_status(retired, status="retired", by_user=None, reason="报废")
    report = inventory(Equipment.objects.all())
    rows = {r.category.value: r for r in report.rows}
    assert (rows["handheld"].count, rows["handheld"].value) == (2, Decimal("5960.00"))
    assert rows["handheld"].by_holder == {"person": 1, "center": 1}
    assert rows["computer"].by_holder == {"workstation": 1}
    assert (report.total_count, report.total_value) == (3, Decimal("10959.00"))
    assert {h.label for h in report.holders} == {
        "监督员乙",
        cast.center.name,
        cast.wujiaying.workstation.name,
    }


def test_the_list_is_scoped_to_the_territory(cast):
    mine = handheld(cast, person=cast.supervisor)
    south = handheld(cast, serial="CZT-0002", person=cast.sanitation_other)
    store = handheld(cast, serial="CZT-0003")
    assert set(equipment_visible(territory_of(cast.supervisor.user))) == {mine}
    assert set(equipment_visible(territory_of(cast.operator.user))) == {mine, south}
    assert set(equipment_visible(territory_of(cast.admin_user))) == {mine, south, store}
