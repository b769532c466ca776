"""In the admin, a change of hands goes through the service: history rows, one holder."""

from __future__ import annotations

import pytest

from wangge.assets.models import Equipment, EquipmentAssignment

pytestmark = pytest.mark.django_db


def form(**kw):
    data = {
        "category": "handheld",
        "name": "处置通",
        "serial": "CZT-0009",
        "value": "2980.00",
        "purchased_on": "2019-03-01",
        "notes": "",
        "assign_person": "",
        "assign_center": "",
        "assign_workstation": "",
        "new_status": "",
        "change_reason": "",
        "assignments-TOTAL_FORMS": "0",
        "assignments-INITIAL_FORMS": "0",
    }
    return data | kw


def test_adding_and_reassigning_in_the_admin_writes_the_history(cast, client):
    client.force_login(cast.admin_user)
    r = client.post(
        "/admin/assets/equipment/add/",
        form(assign_person=cast.supervisor.pk, change_reason="配发"),
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    item = Equipment.objects.get()
    assert item.person == cast.supervisor and item.status == "in_use"
    r = client.post(
        f"/admin/assets/equipment/{item.pk}/change/",
        form(assign_center=cast.center.pk, change_reason="收回", name="处置通（旧）"),
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert (item.center, item.person, item.name) == (cast.center, None, "处置通（旧）")
    assert EquipmentAssignment.objects.filter(equipment=item).count() == 3


def test_a_change_of_hands_needs_a_reason(cast, client):
    client.force_login(cast.admin_user)
    r = client.post("/admin/assets/equipment/add/", form(assign_person=cast.supervisor.pk))
    assert r.status_code == 200 and not Equipment.objects.exists()


def test_the_admin_pages_render(cast, client):
    from wangge.assets.services import equipment_create

    item = equipment_create(category="tool", name="火钳", by_user=None, person=cast.supervisor)
    client.force_login(cast.admin_user)
    assert client.get("/admin/assets/equipment/").status_code == 200
    page = client.get(f"/admin/assets/equipment/{item.pk}/change/")
    assert page.status_code == 200 and "监督员乙" in page.content.decode()
    assert client.get("/admin/handover/handover/").status_code == 200
