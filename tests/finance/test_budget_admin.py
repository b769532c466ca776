"""The budget in the admin: edits go through the services; money rows are read-only there."""

from __future__ import annotations

import datetime as dt

import pytest

from wangge.core.models import AuditEntry
from wangge.finance import services
from wangge.finance.models import BudgetProject, Expenditure, Payroll, PayrollStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(cast):
    project = services.project_create(
        subdistrict=cast.subdistrict, year=2019, name="五进网格精细化管理经费", by_user=None
    )
    services.allocation_add(
        project, kind="initial", amount="597500", date=dt.date(2019, 1, 10), by_user=None
    )
    return project


def test_a_project_is_edited_through_the_service_with_its_allocations_shown(client, cast, project):
    client.force_login(cast.admin_user)
    url = f"/admin/finance/budgetproject/{project.pk}/change/"
    page = client.get(url).content.decode()
    assert "597500" in page.replace(",", "")
    r = client.post(
        url,
        {
            "year": "2019",
            "name": "五进网格精细化管理经费（调整）",
            "principles": "专款专用",
            "management_rules": "",
            "notes": "",
            "allocations-TOTAL_FORMS": "1",
            "allocations-INITIAL_FORMS": "1",
            "allocations-MIN_NUM_FORMS": "0",
            "allocations-MAX_NUM_FORMS": "1000",
            "allocations-0-id": str(project.allocations.get().pk),
            "allocations-0-project": str(project.pk),
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    project.refresh_from_db()
    assert project.name == "五进网格精细化管理经费（调整）" and project.principles == "专款专用"
    assert AuditEntry.objects.filter(action="finance.project_update").exists()
    assert BudgetProject.objects.count() == 1


def test_a_wage_expenditure_is_read_only_and_nothing_is_added_or_deleted_here(
    client, cast, project
):
    wages = services.record_expenditure(
        project,
        kind="wages",
        amount="9800",
        date=dt.date(2019, 1, 31),
        description="2019-01 工资",
        by_user=None,
    )
    Payroll.objects.create(
        project=project, month="2019-01", status=PayrollStatus.LOCKED, expenditure=wages
    )
    client.force_login(cast.admin_user)
    page = client.get(f"/admin/finance/expenditure/{wages.pk}/change/").content.decode()
    assert 'name="description"' not in page and "2019-01" in page
    assert client.get("/admin/finance/expenditure/add/").status_code == 403
    assert client.get(f"/admin/finance/expenditure/{wages.pk}/delete/").status_code == 403
    assert Expenditure.objects.count() == 1
