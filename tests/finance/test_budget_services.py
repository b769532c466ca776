"""finance.services: amounts, projects, allocations, expenditures (the budget's rules)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import GridCenterFactory, SubdistrictFactory
from wangge.assets.services import equipment_create
from wangge.core.errors import DomainError
from wangge.core.models import AuditEntry
from wangge.finance import services
from wangge.finance.models import (
    Allocation,
    BudgetProject,
    Expenditure,
    Payroll,
    PayrollStatus,
    PurchaseItem,
)
from wangge.finance.selectors import project_figures, purchasable_equipment

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(cast, clerk):
    return services.project_create(
        subdistrict=cast.subdistrict,
        year=2019,
        name="五进网格精细化管理经费",
        principles="专款专用\n按月发放",
        by_user=clerk,
    )


def _fund(project, clerk, amount="597,500.00"):
    return services.allocation_add(
        project,
        kind="initial",
        amount=amount,
        date=dt.date(2019, 1, 15),
        document_no="呈财预〔2019〕1号",
        by_user=clerk,
    )


# --- amounts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1,000.50", Decimal("1000.50")),
        (" 597,500.00 ", Decimal("597500.00")),
        ("1 000", Decimal("1000.00")),
        (12, Decimal("12.00")),
        (Decimal("12.5"), Decimal("12.50")),
        ("0.01", Decimal("0.01")),
        ("999999999999.99", Decimal("999999999999.99")),
    ],
)
def test_amounts_people_write_are_read_to_the_fen(value, expected):
    amount = services.parse_amount(value)
    assert amount == expected
    assert amount.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "must be more than 0"),
        ("-0.01", "must be more than 0"),
        ("0", "must be more than 0"),
        ("abc", "is not a number"),
        ("12元", "is not a number"),
        ("NaN", "is not a number"),
        ("Infinity", "is not a number"),
        ("1.234", "has more than 2 decimal places (fen)"),
        ("0.001", "has more than 2 decimal places (fen)"),
        (1.5, "not as a floating-point number"),
        (True, "is not a number"),
        ("", "enter the amount"),
        ("   ", "enter the amount"),
        (None, "enter the amount"),
        ("1000000000000", "too large"),
        ("99999999999999999999999999999.123", "too large"),
        ("1e-40", "has more than 2 decimal places (fen)"),
    ],
)
def test_bad_amounts_are_refused_with_a_reason(value, message):
    with pytest.raises(DomainError) as exc:
        services.parse_amount(value)
    assert message in exc.value.message
    assert exc.value.field == "amount"


def test_zero_is_allowed_only_when_asked_and_the_field_is_named():
    assert services.parse_amount("0", allow_zero=True) == Decimal("0.00")
    with pytest.raises(DomainError, match="cannot be negative") as exc:
        services.parse_amount("-5", field="deductions", allow_zero=True)
    assert exc.value.field == "deductions"


# --- projects ----------------------------------------------------------------------------------


def test_a_project_is_created_once_per_name_and_year(cast, clerk, project):
    assert project.year == 2019 and project.subdistrict == cast.subdistrict
    assert AuditEntry.objects.filter(action="finance.project_create").count() == 1
    with pytest.raises(DomainError, match="already has a project named") as exc:
        services.project_create(
            subdistrict=cast.subdistrict, year=2019, name=" 五进网格精细化管理经费 ", by_user=clerk
        )
    assert exc.value.field == "name"
    services.project_create(
        subdistrict=cast.subdistrict, year=2020, name="五进网格精细化管理经费", by_user=clerk
    )
    assert BudgetProject.objects.count() == 2


@pytest.mark.parametrize(("year", "message"), [(1999, "between 2000 and 2100"), ("x", "number")])
def test_a_project_year_outside_2000_to_2100_is_refused(cast, clerk, year, message):
    with pytest.raises(DomainError, match=message):
        services.project_create(subdistrict=cast.subdistrict, year=year, name="经费", by_user=clerk)
    assert not BudgetProject.objects.exists()


def test_a_project_year_cannot_move_away_from_its_dated_money(clerk, project):
    services.project_update(project, by_user=clerk, notes="二〇一九年")
    _fund(project, clerk)
    with pytest.raises(DomainError, match="cannot change"):
        services.project_update(project, by_user=clerk, year=2020)
    project.refresh_from_db()
    assert project.year == 2019 and project.notes == "二〇一九年"


# --- allocations -------------------------------------------------------------------------------


def test_a_second_initial_budget_is_refused(clerk, project):
    _fund(project, clerk)
    with pytest.raises(DomainError, match="record a fiscal adjustment instead") as exc:
        _fund(project, clerk, amount="1000")
    assert exc.value.field == "kind"
    assert Allocation.objects.count() == 1
    services.allocation_add(
        project, kind="adjustment", amount="27,800.00", date=dt.date(2019, 9, 1), by_user=clerk
    )
    figures = project_figures(project)
    assert figures.allocated == Decimal("625300.00")
    assert figures.adjustments == Decimal("27800.00")


@pytest.mark.parametrize("date", [dt.date(2018, 12, 31), dt.date(2020, 1, 1), "2020-01-01"])
def test_an_allocation_dated_outside_the_project_year_is_refused(clerk, project, date):
    with pytest.raises(DomainError, match="outside the project's year 2019") as exc:
        services.allocation_add(project, kind="initial", amount="10", date=date, by_user=clerk)
    assert exc.value.field == "date"
    assert not Allocation.objects.exists()


def test_an_allocation_of_an_unknown_kind_or_bad_amount_writes_nothing(clerk, project):
    with pytest.raises(DomainError, match="kind must be one of"):
        services.allocation_add(
            project, kind="bonus", amount="10", date=dt.date(2019, 2, 1), by_user=clerk
        )
    with pytest.raises(DomainError, match="more than 2 decimal places"):
        services.allocation_add(
            project, kind="initial", amount="10.001", date=dt.date(2019, 2, 1), by_user=clerk
        )
    assert not Allocation.objects.exists()


# --- expenditures ------------------------------------------------------------------------------


def test_an_expenditure_beyond_the_balance_is_refused_until_an_adjustment_covers_it(clerk, project):
    _fund(project, clerk, amount="1000.00")
    services.record_expenditure(
        project,
        kind="other",
        amount="400",
        date=dt.date(2019, 3, 1),
        description="办公用品",
        by_user=clerk,
    )
    audits = AuditEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        services.record_expenditure(
            project,
            kind="other",
            amount="700.50",
            date=dt.date(2019, 4, 1),
            description="宣传材料",
            by_user=clerk,
        )
    assert exc.value.field == "amount"
    assert "balance of 600.00 yuan" in exc.value.message
    assert "100.50 yuan more" in exc.value.message
    assert "Record a fiscal adjustment first" in exc.value.message
    assert Expenditure.objects.count() == 1 and AuditEntry.objects.count() == audits

    services.allocation_add(
        project, kind="adjustment", amount="100.50", date=dt.date(2019, 4, 1), by_user=clerk
    )
    services.record_expenditure(
        project,
        kind="other",
        amount="700.50",
        date=dt.date(2019, 4, 2),
        description="宣传材料",
        by_user=clerk,
    )
    figures = project_figures(project)
    assert figures.balance == Decimal("0.00")
    assert figures.execution_rate == Decimal("1")
    assert figures.spent_by_kind == {
        "wages": Decimal("0.00"),
        "equipment": Decimal("0.00"),
        "other": Decimal("1100.50"),
    }


def test_an_expenditure_dated_outside_the_year_or_without_a_description_is_refused(clerk, project):
    _fund(project, clerk)
    with pytest.raises(DomainError, match="outside the project's year"):
        services.record_expenditure(
            project,
            kind="other",
            amount="1",
            date=dt.date(2020, 1, 2),
            description="x",
            by_user=clerk,
        )
    with pytest.raises(DomainError, match="say what the money was spent on"):
        services.record_expenditure(
            project,
            kind="other",
            amount="1",
            date=dt.date(2019, 1, 2),
            description=" ",
            by_user=clerk,
        )
    assert not Expenditure.objects.exists()


@pytest.fixture
def items(cast):
    handheld = equipment_create(
        category="handheld", name="处置通", serial="CZT-0001", value="2980", person=cast.supervisor
    )
    van = equipment_create(
        category="electric_van",
        name="电动巡逻车",
        serial="VAN-01",
        value="45000",
        purchased_on=dt.date(2019, 5, 20),
    )
    return handheld, van


def test_an_equipment_purchase_links_its_items_and_dates_them(clerk, project, items):
    handheld, van = items
    _fund(project, clerk)
    assert set(purchasable_equipment(project)) == {handheld, van}
    spent = services.record_expenditure(
        project,
        kind="equipment",
        amount="47,980.00",
        date=dt.date(2019, 6, 1),
        description="采购处置通及电动巡逻车",
        voucher_no="记-0601",
        equipment=[handheld, van],
        by_user=clerk,
    )
    assert {p.equipment_id for p in spent.items.all()} == {handheld.pk, van.pk}
    handheld.refresh_from_db()
    van.refresh_from_db()
    assert handheld.purchased_on == dt.date(2019, 6, 1)  # was empty: the expenditure's date
    assert van.purchased_on == dt.date(2019, 5, 20)  # already known: kept
    # The date was written through the assets service: the item's own audit trail has it.
    assert AuditEntry.objects.filter(action="equipment.update", object_id=str(handheld.pk)).exists()
    assert not purchasable_equipment(project).exists()


def test_the_inventory_shows_the_expenditure_that_paid_for_each_item(client, clerk, project, items):
    handheld, _van = items
    _fund(project, clerk)
    services.record_expenditure(
        project,
        kind="equipment",
        amount="2980",
        date=dt.date(2019, 6, 1),
        description="采购处置通",
        voucher_no="记-0601",
        equipment=[handheld],
        by_user=clerk,
    )
    client.force_login(clerk)
    page = client.get("/equipment/").content.decode()
    assert f'href="/finance/projects/{project.pk}/">2019-06-01 记-0601</a>' in page
    csv = client.get("/equipment/export.csv").content.decode()
    rows = {line.split(",")[2]: line for line in csv.splitlines()[1:]}
    assert rows["CZT-0001"].endswith("2019-06-01 记-0601 (2019 五进网格精细化管理经费)")


def test_an_item_cannot_be_paid_for_twice(clerk, project, items):
    handheld, van = items
    _fund(project, clerk)
    services.record_expenditure(
        project,
        kind="equipment",
        amount="2980",
        date=dt.date(2019, 6, 1),
        description="处置通",
        equipment=[handheld],
        by_user=clerk,
    )
    with pytest.raises(DomainError, match="already paid for by the expenditure of 2019-06-01") as e:
        services.record_expenditure(
            project,
            kind="equipment",
            amount="48000",
            date=dt.date(2019, 7, 1),
            description="again",
            equipment=[van, handheld],
            by_user=clerk,
        )
    assert e.value.field == "equipment"
    assert Expenditure.objects.count() == 1 and PurchaseItem.objects.count() == 1
    van.refresh_from_db()
    assert van.purchased_on == dt.date(2019, 5, 20)


def test_equipment_goes_with_equipment_purchases_only(clerk, project, items):
    _fund(project, clerk)
    common = {"amount": "10", "date": dt.date(2019, 6, 1), "description": "x", "by_user": clerk}
    with pytest.raises(DomainError, match="choose at least one"):
        services.record_expenditure(project, kind="equipment", **common)
    with pytest.raises(DomainError, match="only an equipment purchase"):
        services.record_expenditure(project, kind="other", equipment=[items[0]], **common)
    with pytest.raises(DomainError, match="kind must be one of"):
        services.record_expenditure(project, kind="travel", **common)
    assert not Expenditure.objects.exists()


def test_a_project_pays_only_for_its_own_subdistricts_equipment(cast, clerk, project):
    other = SubdistrictFactory(district=cast.district, code="099", name="吴家营街道")
    elsewhere = equipment_create(
        category="computer",
        name="电脑",
        center=GridCenterFactory(subdistrict=other, name="吴家营街道中心"),
    )
    _fund(project, clerk)
    assert elsewhere not in purchasable_equipment(project)
    with pytest.raises(DomainError, match="held outside 洛龙街道"):
        services.record_expenditure(
            project,
            kind="equipment",
            amount="5000",
            date=dt.date(2019, 6, 1),
            description="电脑",
            equipment=[elsewhere],
            by_user=clerk,
        )
    assert not PurchaseItem.objects.exists()


def test_cancelling_an_expenditure_frees_its_items_and_keeps_the_record(clerk, project, items):
    handheld, _van = items
    _fund(project, clerk)
    spent = services.record_expenditure(
        project,
        kind="equipment",
        amount="2980",
        date=dt.date(2019, 6, 1),
        description="处置通",
        equipment=[handheld],
        by_user=clerk,
    )
    with pytest.raises(DomainError, match="say why"):
        services.expenditure_cancel(spent, by_user=clerk, reason=" ")
    services.expenditure_cancel(spent, by_user=clerk, reason="录入错误")
    assert not Expenditure.objects.exists() and not PurchaseItem.objects.exists()
    entry = AuditEntry.objects.get(action="finance.expenditure_cancel")
    assert entry.data["reason"] == "录入错误" and entry.data["amount"] == "2980.00"
    assert entry.data["equipment"] == [handheld.pk]
    assert handheld in purchasable_equipment(project)
    assert project_figures(project).balance == Decimal("597500.00")


def test_a_wage_expenditure_of_a_locked_payroll_cannot_be_cancelled(clerk, project):
    _fund(project, clerk)
    wages = services.record_expenditure(
        project,
        kind="wages",
        amount="49,000.00",
        date=dt.date(2019, 1, 31),
        description="2019-01 工资",
        by_user=clerk,
    )
    Payroll.objects.create(
        project=project, month="2019-01", status=PayrollStatus.LOCKED, expenditure=wages
    )
    with pytest.raises(DomainError, match="locked wage sheet"):
        services.expenditure_cancel(wages, by_user=clerk, reason="wrong")
    with pytest.raises(DomainError, match="locked wage sheet"):
        services.expenditure_update(wages, by_user=clerk, description="changed")
    assert Expenditure.objects.filter(pk=wages.pk, description="2019-01 工资").exists()


def test_only_the_finance_group_and_superusers_manage_the_budget(cast, clerk):
    assert services.can_manage_budget(clerk)
    assert services.can_manage_budget(cast.admin_user)
    assert not services.can_manage_budget(cast.operator.user)
    assert not services.can_manage_budget(cast.supervisor.user)
    assert not services.can_manage_budget(None)
