"""/finance/: the budget projects list, a project's page with its forms, the Excel export."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.factories import SubdistrictFactory
from wangge.assets.services import equipment_create
from wangge.finance import services
from wangge.finance.models import (
    Allocation,
    BudgetProject,
    Expenditure,
    Payroll,
    PayrollStatus,
    PurchaseItem,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(cast, clerk):
    project = services.project_create(
        subdistrict=cast.subdistrict, year=2019, name="五进网格精细化管理经费", by_user=clerk
    )
    services.allocation_add(
        project,
        kind="initial",
        amount="597500.00",
        date=dt.date(2019, 1, 10),
        document_no="呈财预〔2019〕1号",
        by_user=clerk,
    )
    services.allocation_add(
        project, kind="adjustment", amount="27800.00", date=dt.date(2019, 8, 1), by_user=clerk
    )
    handheld = equipment_create(category="handheld", name="处置通", serial="CZT-0001", value="2980")
    services.record_expenditure(
        project,
        kind="equipment",
        amount="62530.00",
        date=dt.date(2019, 6, 1),
        description="采购处置通",
        voucher_no="记-0601",
        equipment=[handheld],
        by_user=clerk,
    )
    return project


def _field_block(page: str, name: str, form: str = "") -> str:
    """The markup of one form field (label, input, errors), in the form of that id if given."""
    if form:
        page = page.split(f'id="{form}"', 1)[1]
    match = re.search(rf'data-field="{name}">(.*?)</div>', page, re.S)
    assert match, f"no field {name}"
    return match.group(1)


def test_the_list_shows_each_project_in_yuan_and_wan(client, clerk, project):
    client.force_login(clerk)
    page = client.get("/finance/").content.decode()
    assert "五进网格精细化管理经费" in page
    assert "625300.00" in page and "62.53" in page  # allocated
    assert "562770.00" in page and "56.28" in page  # balance
    assert "10.00 %" in page  # execution rate 62530 / 625300
    assert "New project" in page
    assert "五进网格" not in client.get("/finance/?year=2020").content.decode()
    for bad in ("²", "20x9"):  # not a year: every project shown
        r = client.get("/finance/", {"year": bad})
        assert r.status_code == 200 and "五进网格" in r.content.decode()
    r = client.get("/finance/", {"year": "99999999999999999999999"})  # a year with no project
    assert r.status_code == 200 and "五进网格" not in r.content.decode()


def test_the_project_page_shows_allocations_expenditures_and_the_items_bought(
    client, clerk, project
):
    client.force_login(clerk)
    page = client.get(f"/finance/projects/{project.pk}/").content.decode()
    assert "呈财预〔2019〕1号" in page and "fiscal adjustment" in page
    assert "采购处置通" in page and "记-0601" in page
    assert "/equipment/?q=CZT-0001" in page
    assert 'id="allocation-form"' in page and 'id="expenditure-form"' in page


def test_a_bad_allocation_shows_the_error_by_its_field_and_writes_nothing(client, clerk, project):
    client.force_login(clerk)
    before = Allocation.objects.count()
    r = client.post(
        f"/finance/projects/{project.pk}/allocations/",
        {"kind": "adjustment", "amount": "1.234", "date": "2019-10-01"},
    )
    assert r.status_code == 400
    block = _field_block(r.content.decode(), "amount", "allocation-form")
    assert "has more than 2 decimal places (fen)" in block
    r = client.post(
        f"/finance/projects/{project.pk}/allocations/",
        {"kind": "initial", "amount": "1000", "date": "2019-10-01"},
    )
    assert "record a fiscal adjustment instead" in _field_block(
        r.content.decode(), "kind", "allocation-form"
    )
    r = client.post(
        f"/finance/projects/{project.pk}/allocations/",
        {"kind": "adjustment", "amount": "1000", "date": "2020-01-01"},
    )
    assert "outside the project" in _field_block(r.content.decode(), "date", "allocation-form")
    assert Allocation.objects.count() == before


def test_an_allocation_is_recorded_from_the_page(client, clerk, project):
    client.force_login(clerk)
    r = client.post(
        f"/finance/projects/{project.pk}/allocations/",
        {"kind": "adjustment", "amount": "1,000.50", "date": "2019-10-01", "document_no": "X1"},
    )
    assert r.status_code == 302
    assert Allocation.objects.filter(project=project, document_no="X1", amount="1000.50").exists()


def test_an_expenditure_beyond_the_balance_shows_the_shortfall_and_writes_nothing(
    client, clerk, project
):
    client.force_login(clerk)
    r = client.post(
        f"/finance/projects/{project.pk}/expenditures/",
        {"kind": "other", "amount": "600000", "date": "2019-11-01", "description": "培训"},
    )
    assert r.status_code == 400
    block = _field_block(r.content.decode(), "amount", "expenditure-form")
    assert "balance of 562,770.00 yuan" in block and "37,230.00 yuan more" in block
    assert Expenditure.objects.count() == 1


def test_an_equipment_purchase_is_recorded_from_the_page_and_cancelled(client, clerk, project):
    van = equipment_create(category="electric_van", name="电动巡逻车", serial="VAN-01")
    client.force_login(clerk)
    page = client.get(f"/finance/projects/{project.pk}/").content.decode()
    assert "VAN-01" in _field_block(page, "equipment")
    assert "CZT-0001" not in _field_block(page, "equipment")  # already paid for
    r = client.post(
        f"/finance/projects/{project.pk}/expenditures/",
        {"kind": "equipment", "amount": "45000", "date": "2019-12-01", "description": "巡逻车"},
    )
    assert r.status_code == 400
    assert "choose at least one" in _field_block(r.content.decode(), "equipment")
    r = client.post(
        f"/finance/projects/{project.pk}/expenditures/",
        {
            "kind": "equipment",
            "amount": "45000",
            "date": "2019-12-01",
            "description": "巡逻车",
            "equipment": [van.pk],
        },
    )
    assert r.status_code == 302
    bought = PurchaseItem.objects.get(equipment=van).expenditure
    r = client.post(f"/finance/expenditures/{bought.pk}/cancel/", {"reason": ""})
    assert r.status_code == 400 and "say why" in r.content.decode()
    r = client.post(f"/finance/expenditures/{bought.pk}/cancel/", {"reason": "重复录入"})
    assert r.status_code == 302 and not Expenditure.objects.filter(pk=bought.pk).exists()


def test_an_equipment_id_beyond_any_database_id_is_refused_on_the_form(client, clerk, project):
    client.force_login(clerk)
    r = client.post(
        f"/finance/projects/{project.pk}/expenditures/",
        {
            "kind": "equipment",
            "amount": "45000",
            "date": "2019-12-01",
            "description": "巡逻车",
            "equipment": [str(10**30)],
        },
    )
    assert r.status_code == 400
    assert "not one of the available choices" in _field_block(r.content.decode(), "equipment")
    assert Expenditure.objects.count() == 1


def test_wages_are_not_typed_in_on_the_page(client, clerk, project):
    client.force_login(clerk)
    r = client.post(
        f"/finance/projects/{project.pk}/expenditures/",
        {"kind": "wages", "amount": "100", "date": "2019-12-01", "description": "工资"},
    )
    assert r.status_code == 400 and Expenditure.objects.count() == 1


def test_a_project_is_created_from_the_page(client, clerk, cast, project):
    client.force_login(clerk)
    assert client.get("/finance/projects/new/").status_code == 200
    r = client.post(
        "/finance/projects/new/",
        {"subdistrict": cast.subdistrict.pk, "year": "2019", "name": "五进网格精细化管理经费"},
    )
    assert r.status_code == 400
    assert "already has a project named" in _field_block(r.content.decode(), "name")
    r = client.post(
        "/finance/projects/new/",
        {"subdistrict": cast.subdistrict.pk, "year": "2020", "name": "五进网格精细化管理经费"},
    )
    assert r.status_code == 302 and BudgetProject.objects.filter(year=2020).exists()


def test_a_grid_supervisor_may_not_see_the_budget(client, cast, project):
    client.force_login(cast.supervisor.user)
    assert client.get("/finance/").status_code == 403
    assert client.get(f"/finance/projects/{project.pk}/").status_code == 403
    assert client.get(f"/finance/projects/{project.pk}/export.xlsx").status_code == 403


def test_subdistrict_and_district_users_read_but_do_not_write(client, cast, project):
    client.force_login(cast.operator.user)
    page = client.get("/finance/").content.decode()
    assert "五进网格精细化管理经费" in page and "New project" not in page
    detail = client.get(f"/finance/projects/{project.pk}/").content.decode()
    assert 'id="allocation-form"' not in detail
    r = client.post(
        f"/finance/projects/{project.pk}/allocations/",
        {"kind": "adjustment", "amount": "10", "date": "2019-10-01"},
    )
    assert r.status_code == 403 and Allocation.objects.count() == 2
    assert client.get("/finance/projects/new/").status_code == 403
    client.force_login(cast.district_leader.user)
    assert client.get(f"/finance/projects/{project.pk}/").status_code == 200


def test_another_subdistricts_project_is_not_found(client, cast, clerk):
    other = SubdistrictFactory(district=cast.district, code="099", name="吴家营街道")
    theirs = services.project_create(subdistrict=other, year=2019, name="经费", by_user=None)
    client.force_login(clerk)
    assert client.get(f"/finance/projects/{theirs.pk}/").status_code == 404
    assert "吴家营街道" not in client.get("/finance/").content.decode()


def test_the_excel_export_opens_with_the_figures_and_the_money(client, clerk, project):
    client.force_login(clerk)
    r = client.get(f"/finance/projects/{project.pk}/export.xlsx")
    assert r.status_code == 200
    book = load_workbook(BytesIO(r.content))
    assert book.sheetnames == ["Figures", "Execution rate", "Allocations", "Expenditures"]
    figures = {row[0]: row[1:] for row in book["Figures"].iter_rows(min_row=4, values_only=True)}
    assert figures["Allocated"][0] == 625300.0 and figures["Allocated"][1] == 62.53
    assert figures["Balance"][0] == 562770.0
    assert "allocated − spent" in figures["Balance"][2]
    assert book["Execution rate"]["A4"].value == pytest.approx(0.1)
    assert book["Execution rate"]["A3"].comment is not None  # the formula note
    allocations = list(book["Allocations"].iter_rows(min_row=4, values_only=True))
    assert [a[2] for a in allocations] == [597500.0, 27800.0]
    expenditures = list(book["Expenditures"].iter_rows(min_row=4, values_only=True))
    assert expenditures[0][2] == "采购处置通" and "CZT-0001" in expenditures[0][6]


def test_every_bad_field_of_an_expenditure_is_shown_at_once(client, clerk, project):
    client.force_login(clerk)
    r = client.post(
        f"/finance/projects/{project.pk}/expenditures/",
        {"kind": "other", "amount": "abc", "date": "2019-11-01", "description": ""},
    )
    page = r.content.decode()
    assert r.status_code == 400
    assert "is not a number" in _field_block(page, "amount", "expenditure-form")
    assert "required" in _field_block(page, "description", "expenditure-form")
    assert "is not a number" not in _field_block(page, "amount", "allocation-form")
    # The two forms on the page keep their input ids apart.
    assert page.count('id="expenditure_amount"') == 1 and page.count('id="allocation_amount"') == 1
    assert Expenditure.objects.count() == 1


def test_a_project_is_edited_from_the_page(client, clerk, cast, project):
    client.force_login(clerk)
    url = f"/finance/projects/{project.pk}/edit/"
    assert "五进网格精细化管理经费" in client.get(url).content.decode()
    r = client.post(url, {"year": "2020", "name": "五进网格精细化管理经费"})
    assert r.status_code == 400
    assert "cannot change" in _field_block(r.content.decode(), "year")
    r = client.post(
        url, {"year": "2019", "name": "五进网格经费", "management_rules": "专款专用\n定期公示"}
    )
    assert r.status_code == 302
    project.refresh_from_db()
    assert project.name == "五进网格经费" and project.management_rules == "专款专用\n定期公示"
    client.force_login(cast.operator.user)
    assert client.get(url).status_code == 403


def test_a_wage_expenditure_links_its_locked_sheet_and_cannot_be_cancelled(client, clerk, project):
    wages = services.record_expenditure(
        project,
        kind="wages",
        amount="9800",
        date=dt.date(2019, 1, 31),
        description="2019-01 工资",
        by_user=clerk,
    )
    Payroll.objects.create(
        project=project, month="2019-01", status=PayrollStatus.LOCKED, expenditure=wages
    )
    client.force_login(clerk)
    page = client.get(f"/finance/projects/{project.pk}/").content.decode()
    row = page.split(f'id="expenditure-{wages.pk}"')[1].split("</tr>")[0]
    assert f"/finance/payroll/{project.pk}/2019-01/" in row and "locked wage sheet" in row
    assert "/cancel/" not in row
    r = client.post(f"/finance/expenditures/{wages.pk}/cancel/", {"reason": "wrong"})
    assert r.status_code == 400 and "locked wage sheet" in r.content.decode()
    assert Expenditure.objects.filter(pk=wages.pk).exists()
