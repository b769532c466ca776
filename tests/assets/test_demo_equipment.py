"""The demo's equipment matches the seed (7 computers, 2 vans, 10 motorcycles, 30 handhelds) and
the 2019 departures are handed over with their equipment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from wangge.assets.models import Equipment
from wangge.assets.selectors import inventory
from wangge.demo.builder import build
from wangge.demo.equipment import build_equipment
from wangge.field.handover.models import Handover

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    build()
    return build_equipment(timezone.now())


def test_the_demo_has_the_seeds_equipment(demo):
    rows = {r.category.value: r for r in inventory(Equipment.objects.all()).rows}
    assert rows["computer"].count == 7
    assert rows["computer"].by_holder == {"center": 2, "workstation": 5}
    assert rows["electric_van"].count == 2
    assert rows["electric_motorcycle"].by_holder == {"workstation": 10}
    assert rows["handheld"].count == 30 and rows["handheld"].by_holder == {"person": 30}
    assert not Equipment.objects.filter(purchased_on__year__lt=2018).exists()
    assert not Equipment.objects.filter(purchased_on__year__gt=2019).exists()
    assert "handhelds 30" in demo


def test_the_2019_departures_handed_their_equipment_over(demo):
    handovers = list(Handover.objects.order_by("at"))
    assert [h.at.date() for h in handovers] == [dt.date(2019, 5, 1), dt.date(2019, 8, 16)]
    for h in handovers:
        assert h.equipment >= 2 and h.items.filter(kind="equipment").count() == h.equipment
        assert not Equipment.objects.filter(person=h.person).exists()
    # The community worker who left had a handheld; their successor has it now.
    worker = handovers[1]
    assert Equipment.objects.filter(person=worker.successor, category="handheld").count() == 1


def test_a_second_run_is_skipped(demo):
    count = Equipment.objects.count()
    assert "skipped" in build_equipment(timezone.now())
    assert Equipment.objects.count() == count
