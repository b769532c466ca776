"""The wage-sheet pages (/finance/payroll/…), their Excel export and the API under
/api/v1/finance/payroll: the finance group writes, the subdistrict's offices read, a grid
worker is refused."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from openpyxl import load_workbook

from tests.factories import PersonFactory, UserFactory
from tests.finance.test_payroll import make_project
from wangge.finance import payroll
from wangge.finance.models import Expenditure, Payee, Payroll, PayrollStatus
from wangge.people.services import token_create

D = Decimal
pytestmark = pytest.mark.django_db
API = "/api/v1/finance/payroll"


@pytest.fixture
def finance_user(cast):
    user = UserFactory(username="cashier")
    user.groups.add(Group.objects.get(name="finance"))
    return user


@pytest.fixture
def sheet(cast):
    """May 2019 drafted for 张三 (3100.00 a month) and 李四 (hired 11 May, 3000.00)."""
    project = make_project(cast)
    zhang = PersonFactory(name="张三")
    li = PersonFactory(name="李四", start_date=dt.date(2019, 5, 11))
    for person, wage in ((zhang, "3100"), (li, "3000")):
        payroll.payee_add(
            project,
            person=person,
            role="community_worker",
            base_wage=wage,
            start=dt.date(2019, 1, 1),
            by_user=None,
        )
    return payroll.payroll_draft(project, "2019-05", by_user=None)


def sheet_url(sheet: Payroll, tail: str = "") -> str:
    return f"/finance/payroll/{sheet.project_id}/{sheet.month}/{tail}"


# --- pages -----------------------------------------------------------------------------------


def test_the_overview_and_the_project_page_show_months_and_payees(cast, sheet, client):
    client.force_login(cast.operator.user)  # the centre's operator: reads the subdistrict
    page = client.get("/finance/payroll/").content.decode()
    assert "专职人员工资" in page and f"/finance/payroll/{sheet.project_id}/2019-05/" in page
    assert "5132.26" in page  # 3100.00 + 3000 × 21/31
    page = client.get(f"/finance/payroll/{sheet.project_id}/").content.decode()
    assert "张三" in page and "3100.00" in page and "2019-05" in page
    assert "payee-form" not in page  # reading only


def test_a_grid_worker_may_not_see_wages(cast, sheet, client):
    client.force_login(cast.supervisor.user)
    assert client.get("/finance/payroll/").status_code == 403
    assert client.get(sheet_url(sheet)).status_code == 403
    assert client.get(sheet_url(sheet, "export.xlsx")).status_code == 403


def test_a_reader_may_not_change_a_sheet(cast, sheet, client):
    client.force_login(cast.operator.user)
    assert client.post(sheet_url(sheet, "approve/")).status_code == 403
    sheet.refresh_from_db()
    assert sheet.status == PayrollStatus.DRAFT


def test_finance_adds_a_payee_drafts_edits_approves_and_locks(cast, finance_user, client):
    project = make_project(cast)
    wang = PersonFactory(name="王五")
    client.force_login(finance_user)
    r = client.post(
        f"/finance/payroll/{project.pk}/payees/",
        {"person": wang.pk, "role": "supervisor", "base_wage": "2480.00", "start": "2019-01-01"},
    )
    assert r.status_code == 302
    assert Payee.objects.get().base_wage == D("2480.00")
    r = client.post(f"/finance/payroll/{project.pk}/draft/", {"month": "2019-05"})
    assert r.status_code == 302 and r["Location"] == f"/finance/payroll/{project.pk}/2019-05/"
    sheet = Payroll.objects.get()
    line = sheet.lines.get()
    r = client.post(
        f"/finance/payroll/lines/{line.pk}/",
        {"deductions": "80", "deduction_note": "旷工半天", "performance": "0.00"},
    )
    assert r.status_code == 302
    page = client.get(sheet_url(sheet)).content.decode()
    assert "旷工半天" in page and "2400.00" in page and 'id="approve"' in page
    client.post(sheet_url(sheet, "approve/"))
    client.post(sheet_url(sheet, "lock/"))
    sheet.refresh_from_db()
    assert sheet.status == PayrollStatus.LOCKED
    assert Expenditure.objects.get().amount == D("2400.00")
    page = client.get(sheet_url(sheet)).content.decode()
    assert 'id="locked"' in page and 'id="approve"' not in page and 'name="deductions"' not in page


def test_a_payee_with_a_bad_wage_is_shown_the_reason(cast, finance_user, client):
    project = make_project(cast)
    client.force_login(finance_user)
    r = client.post(
        f"/finance/payroll/{project.pk}/payees/",
        {"person": cast.supervisor.pk, "role": "", "base_wage": "-100", "start": "2019-01-01"},
    )
    assert r.status_code == 400
    assert "the base wage cannot be negative" in r.content.decode()
    assert not Payee.objects.exists()


def test_a_bad_deduction_on_the_page_says_why_and_changes_nothing(
    cast, sheet, finance_user, client
):
    client.force_login(finance_user)
    line = sheet.lines.get(person__name="张三")
    r = client.post(
        f"/finance/payroll/lines/{line.pk}/",
        {"deductions": "12.345", "deduction_note": "x"},
        follow=True,
    )
    assert "more than 2 decimal places" in r.content.decode()
    line.refresh_from_db()
    assert line.deductions == D("0.00")


def test_the_excel_export_opens_with_the_formulas_in_the_header_notes(cast, sheet, client):
    client.force_login(cast.operator.user)
    r = client.get(sheet_url(sheet, "export.xlsx"))
    assert r.status_code == 200
    ws = load_workbook(BytesIO(r.content)).active
    assert ws is not None
    header = [c.value for c in ws[3]]
    assert header[:4] == ["Name", "Post", "Days", "Base (yuan)"]
    assert "days in the month" in ws.cell(3, 4).comment.text
    assert "Base + performance − deductions" in ws.cell(3, 9).comment.text
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    li = next(row for row in rows if row[0] == "李四")
    assert li[:5] == ["李四", "community worker", 21, 2032.26, 0]
    assert rows[-1][0] == "Total (2 people)" and rows[-1][8] == 5132.26


# --- API -------------------------------------------------------------------------------------


def bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_create(user=user, label='test')}"}


def test_the_api_reads_drafts_edits_approves_and_locks(cast, sheet, finance_user, client):
    h = bearer(finance_user)
    base = f"{API}/{sheet.project_id}/2019-05"
    got = client.get(base, headers=h).json()
    assert got["status"] == "draft" and got["totals"]["net"] == "5132.26"
    line_id = next(x["id"] for x in got["lines"] if x["name"] == "张三")
    r = client.patch(
        f"{API}/lines/{line_id}",
        json.dumps({"deductions": "100.00", "deduction_note": "迟到"}),
        content_type="application/json",
        headers=h,
    )
    assert r.status_code == 200 and r.json()["net"] == "3000.00"
    r = client.post(f"{base}/draft", headers=h)  # regenerating keeps the deduction
    assert r.status_code == 200 and r.json()["totals"]["deductions"] == "100.00"
    assert client.post(f"{base}/approve", headers=h).json()["status"] == "approved"
    r = client.post(f"{base}/reopen", "{}", content_type="application/json", headers=h)
    assert r.status_code == 422  # no reason
    r = client.post(
        f"{base}/reopen",
        json.dumps({"reason": "补扣款"}),
        content_type="application/json",
        headers=h,
    )
    assert r.json()["status"] == "draft"
    assert client.post(f"{base}/approve", headers=h).json()["status"] == "approved"
    locked = client.post(f"{base}/lock", headers=h).json()
    assert locked["status"] == "locked" and locked["expenditure_id"] is not None
    r = client.post(f"{base}/draft", headers=h)
    assert r.status_code == 400
    assert r.json()["message"] == "the wage sheet of 2019-05 is locked and cannot change"


def test_the_api_refuses_a_negative_deduction_and_a_grid_worker(cast, sheet, finance_user, client):
    line = sheet.lines.first()
    assert line is not None
    r = client.patch(
        f"{API}/lines/{line.pk}",
        json.dumps({"deductions": "-5", "deduction_note": "x"}),
        content_type="application/json",
        headers=bearer(finance_user),
    )
    assert r.status_code == 400 and r.json()["field"] == "deductions"
    line.refresh_from_db()
    assert line.deductions == D("0.00")
    r = client.get(f"{API}/{sheet.project_id}/2019-05", headers=bearer(cast.supervisor.user))
    assert r.status_code == 403
    r = client.get(f"{API}/{sheet.project_id}/2019-13", headers=bearer(finance_user))
    assert r.status_code == 400 and r.json()["field"] == "month"


def test_the_sheet_page_renders_in_the_default_language(
    cast, sheet, finance_user, client, settings
):
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    client.force_login(finance_user)
    r = client.get(sheet_url(sheet))
    assert r.status_code == 200 and "张三" in r.content.decode()
