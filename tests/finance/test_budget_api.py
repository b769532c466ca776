"""/api/v1/finance/projects: list, detail, allocations and expenditures."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.api.conftest import api_as  # noqa: F401
from wangge.assets.services import equipment_create
from wangge.finance import services
from wangge.finance.models import Allocation, Expenditure, PurchaseItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(cast, clerk):
    project = services.project_create(
        subdistrict=cast.subdistrict,
        year=2019,
        name="五进网格精细化管理经费",
        principles="专款专用\n按月发放",
        by_user=clerk,
    )
    services.allocation_add(
        project, kind="initial", amount="597500.00", date=dt.date(2019, 1, 10), by_user=clerk
    )
    return project


def test_money_is_recorded_and_read_back_through_the_api(cast, project, api_as):  # noqa: F811
    api = api_as("finance")
    r = api.post(
        f"/finance/projects/{project.pk}/allocations",
        {
            "kind": "adjustment",
            "amount": "27,800.00",
            "date": "2019-08-20",
            "document_no": "呈财调〔2019〕35号",
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["amount"] == "27800.00" and r.json()["kind"] == "adjustment"

    handheld = equipment_create(category="handheld", name="处置通", serial="CZT-0001")
    r = api.post(
        f"/finance/projects/{project.pk}/expenditures",
        {
            "kind": "equipment",
            "amount": "2980.00",
            "date": "2019-06-01",
            "description": "采购处置通",
            "equipment": [handheld.pk],
        },
    )
    assert r.status_code == 201, r.content
    assert [i["serial"] for i in r.json()["equipment"]] == ["CZT-0001"]
    assert PurchaseItem.objects.filter(equipment=handheld).exists()

    listed = api.get("/finance/projects", year=2019).json()
    assert [p["name"] for p in listed] == ["五进网格精细化管理经费"]
    figures = listed[0]["figures"]
    assert figures["allocated"] == "625300.00" and figures["allocated_wan"] == "62.53"
    assert figures["spent_by_kind"]["equipment"] == "2980.00"
    assert figures["balance"] == "622320.00"
    assert api.get("/finance/projects", year=2020).json() == []

    detail = api.get(f"/finance/projects/{project.pk}").json()
    assert detail["principles"] == ["专款专用", "按月发放"]
    assert [a["amount"] for a in detail["allocations"]] == ["597500.00", "27800.00"]
    assert detail["expenditures"][0]["description"] == "采购处置通"
    assert detail["expenditures"][0]["payroll_month"] is None


def test_bad_money_is_refused_with_the_reason(cast, project, api_as):  # noqa: F811
    api = api_as("finance")
    r = api.post(
        f"/finance/projects/{project.pk}/expenditures",
        {"kind": "other", "amount": "600000", "date": "2019-06-01", "description": "培训"},
    )
    assert r.status_code == 400
    assert r.json()["field"] == "amount"
    assert "balance of 597,500.00 yuan" in r.json()["message"]
    assert "Record a fiscal adjustment first" in r.json()["message"]
    r = api.post(
        f"/finance/projects/{project.pk}/allocations",
        {"kind": "adjustment", "amount": "-5", "date": "2019-06-01"},
    )
    assert r.status_code == 400 and "must be more than 0" in r.json()["message"]
    r = api.post(
        f"/finance/projects/{project.pk}/expenditures",
        {"kind": "wages", "amount": "5", "date": "2019-06-01", "description": "工资"},
    )
    assert r.status_code == 400 and "payroll month" in r.json()["message"]
    r = api.post(
        f"/finance/projects/{project.pk}/expenditures",
        {
            "kind": "equipment",
            "amount": "5",
            "date": "2019-06-01",
            "description": "x",
            "equipment": [999999],
        },
    )
    assert r.status_code == 404 and r.json()["field"] == "equipment"
    r = api.post(
        f"/finance/projects/{project.pk}/expenditures",
        {
            "kind": "equipment",
            "amount": "5",
            "date": "2019-06-01",
            "description": "x",
            "equipment": [10**30],  # beyond any database id: unknown, not a server error
        },
    )
    assert r.status_code == 404 and r.json()["field"] == "equipment"
    r = api.post(
        f"/finance/projects/{project.pk}/allocations",
        {"kind": "bonus", "amount": "5", "date": "2019-06-01"},
    )
    assert r.status_code == 422
    assert Allocation.objects.count() == 1 and not Expenditure.objects.exists()


def test_readers_read_and_only_the_finance_staff_write(cast, project, api_as):  # noqa: F811
    assert api_as("operator").get(f"/finance/projects/{project.pk}").status_code == 200
    assert api_as("leader").get("/finance/projects").status_code == 200
    r = api_as("operator").post(
        f"/finance/projects/{project.pk}/allocations",
        {"kind": "adjustment", "amount": "5", "date": "2019-06-01"},
    )
    assert r.status_code == 403
    r = api_as("supervisor").get("/finance/projects")
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert api_as("finance").get("/finance/projects/999999").status_code == 404
    assert api_as(None).get("/finance/projects").status_code == 401
    assert Allocation.objects.count() == 1
