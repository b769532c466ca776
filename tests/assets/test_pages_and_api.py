"""/equipment/ (inventory and list) and /api/v1/equipment, /api/v1/equipment/mine."""

from __future__ import annotations

import pytest

from tests.api.conftest import api_as  # noqa: F401
from wangge.assets.services import equipment_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(cast):
    a = equipment_create(
        category="handheld",
        name="处置通",
        serial="CZT-0001",
        value="2980.00",
        by_user=None,
        person=cast.supervisor,
    )
    b = equipment_create(
        category="electric_motorcycle",
        name="电动摩托车",
        serial="MC-0001",
        value="4200",
        by_user=None,
        person=cast.sanitation_other,
    )
    return a, b


def test_the_page_shows_the_inventory_and_filters_the_list(cast, items, client):
    client.force_login(cast.operator.user)
    page = client.get("/equipment/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Inventory count" in page and "CZT-0001" in page and "MC-0001" in page
    assert "7180.00" in page  # the total value
    page = client.get("/equipment/?category=handheld", HTTP_ACCEPT_LANGUAGE="en")
    assert "CZT-0001" in page.content.decode().split("equipment-table")[1]
    assert "MC-0001" not in page.content.decode().split("equipment-table")[1]


def test_a_grid_worker_sees_only_their_grid(cast, items, client):
    client.force_login(cast.supervisor.user)
    page = client.get("/equipment/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "CZT-0001" in page and "MC-0001" not in page


def test_the_api_lists_the_territory_and_mine(cast, items, api_as):  # noqa: F811
    r = api_as("operator").get("/equipment", category="electric_motorcycle")
    assert r.status_code == 200
    assert [i["serial"] for i in r.json()["items"]] == ["MC-0001"]
    assert r.json()["items"][0]["holder"] == {
        "kind": "person",
        "id": cast.sanitation_other.pk,
        "name": "环卫工丙",
    }
    mine = api_as("supervisor").get("/equipment/mine").json()
    assert [i["serial"] for i in mine] == ["CZT-0001"]
    assert api_as("leader").get("/equipment/mine").json() == []
    assert api_as("operator").get("/equipment", category="boat").status_code == 422


def test_the_filtered_list_exports_as_csv(cast, items, client):
    client.force_login(cast.operator.user)
    r = client.get("/equipment/export.csv?category=handheld")
    text = r.content.decode("utf-8-sig")
    assert r["Content-Type"].startswith("text/csv")
    assert "CZT-0001" in text and "MC-0001" not in text and "监督员乙" in text
