"""Wage sheets (finance.payroll): payees, drafting a month pro rata with the assessment's
performance wages, deductions, approve / reopen / lock, and booking the month on the budget.

Figures are worked out by hand: May 2019 has 31 days, June 30.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import PersonFactory
from wangge.assessment import services as assessment
from wangge.assessment.models import AssessmentRun, RunResult, RunStatus, Scheme
from wangge.core.errors import DomainError
from wangge.core.models import AuditEntry
from wangge.finance import payroll
from wangge.finance import services as budget
from wangge.finance.models import Expenditure, ExpenditureKind, Payee, Payroll, PayrollStatus
from wangge.org.territory import Territory

D = Decimal
pytestmark = pytest.mark.django_db


def make_project(cast, *, money: str = "597500.00", name: str = "专职人员工资"):
    project = budget.project_create(
        subdistrict=cast.subdistrict, year=2019, name=name, by_user=cast.admin_user
    )
    budget.allocation_add(
        project, kind="initial", amount=money, date=dt.date(2019, 1, 15), by_user=cast.admin_user
    )
    return project


def published_staff_month(role: str, period: str, totals: dict) -> AssessmentRun:
    """A published staff run of ``role`` with these totals (as the assessment's tests build
    one): its results feed assessment.selectors.performance_wages."""
    scheme = Scheme.objects.get(code=f"staff-{role}")
    run = AssessmentRun.objects.create(
        scheme=scheme, period=period, status=RunStatus.PUBLISHED, version=1
    )
    ranked = assessment.competition_ranks([(p.pk, D(v)) for p, v in totals.items()])
    names = {p.pk: p.name for p in totals}
    RunResult.objects.bulk_create(
        RunResult(run=run, subject_id=pk, subject_name=names[pk], total=t, rank=r)
        for pk, t, r in ranked
    )
    return run


@pytest.fixture
def project(cast):
    return make_project(cast)


@pytest.fixture
def staff(cast, project):
    """Three community workers paid from the project: 张三 all year, 李四 hired on 11 May,
    王五 left on 20 May."""
    zhang = PersonFactory(name="张三", start_date=dt.date(2018, 3, 1))
    li = PersonFactory(name="李四", start_date=dt.date(2019, 5, 11))
    wang = PersonFactory(name="王五", start_date=dt.date(2018, 3, 1), end_date=dt.date(2019, 5, 20))
    add = dict(role="community_worker", by_user=cast.admin_user)
    payroll.payee_add(project, person=zhang, base_wage="3100.00", start=dt.date(2019, 1, 1), **add)
    payroll.payee_add(project, person=li, base_wage="3000", start=dt.date(2019, 5, 11), **add)
    payroll.payee_add(project, person=wang, base_wage="2000.00", start=dt.date(2019, 1, 1), **add)
    return zhang, li, wang


def line_of(sheet: Payroll, person):
    return sheet.lines.get(person=person)


# --- payees ----------------------------------------------------------------------------------


def test_someone_who_has_left_cannot_become_a_payee(cast, project):
    gone = PersonFactory(name="赵六", end_date=dt.date(2019, 3, 31))
    with pytest.raises(DomainError, match="赵六 left on 2019-03-31") as err:
        payroll.payee_add(
            project,
            person=gone,
            role="supervisor",
            base_wage="2500",
            start=dt.date(2019, 4, 1),
            by_user=cast.admin_user,
        )
    assert err.value.field == "person"
    assert not Payee.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "wage", "message", "field"),
    [
        (
            dt.date(2019, 6, 1),
            None,
            "2500",
            "already a payee of this project from 2019-01-01",
            "start",
        ),
        (dt.date(2018, 12, 1), None, "2500", "outside 2019, the year of project", "start"),
        (dt.date(2019, 1, 1), dt.date(2020, 1, 31), "2500", "outside 2019", "end"),
        (dt.date(2019, 1, 1), None, "-1", "cannot be negative", "base_wage"),
        (dt.date(2019, 1, 1), None, "2500.005", "more than 2 decimal places", "base_wage"),
        (dt.date(2019, 1, 1), None, "lots", "is not a number", "base_wage"),
    ],
)
def test_a_payee_is_refused_with_a_reason(cast, project, start, end, wage, message, field):
    person = PersonFactory(name="钱七")
    if field == "start" and start.year == 2019:  # an open period from 1 January already
        payroll.payee_add(
            project,
            person=person,
            role="",
            base_wage="2400",
            start=dt.date(2019, 1, 1),
            by_user=None,
        )
    before = Payee.objects.count()
    with pytest.raises(DomainError, match=message) as err:
        payroll.payee_add(
            project, person=person, role="", base_wage=wage, start=start, end=end, by_user=None
        )
    assert err.value.field == field
    assert Payee.objects.count() == before


def test_an_ended_payee_can_be_paid_again_later(cast, project):
    person = PersonFactory(name="孙八")
    first = payroll.payee_add(
        project, person=person, role="", base_wage="2400", start=dt.date(2019, 1, 1), by_user=None
    )
    payroll.payee_end(first, end=dt.date(2019, 3, 31), by_user=cast.admin_user)
    again = payroll.payee_add(
        project, person=person, role="", base_wage="2600", start=dt.date(2019, 4, 1), by_user=None
    )
    assert again.base_wage == D("2600.00")
    assert AuditEntry.objects.filter(action="payee.end", object_id=str(first.pk)).exists()


# --- drafting --------------------------------------------------------------------------------


def test_the_base_is_pro_rata_for_a_mid_month_start_and_leave(cast, project, staff):
    sheet = payroll.payroll_draft(project, "2019-05", by_user=cast.admin_user)
    got = {(line.person.name, line.days, line.base) for line in sheet.lines.all()}
    # 张三: 31/31 of 3100; 李四: 11–31 May = 21 days, 3000 × 21/31 = 2032.258 → 2032.26;
    # 王五: 1–20 May = 20 days, 2000 × 20/31 = 1290.322 → 1290.32.
    assert got == {
        ("张三", 31, D("3100.00")),
        ("李四", 21, D("2032.26")),
        ("王五", 20, D("1290.32")),
    }
    assert sheet.status == PayrollStatus.DRAFT
    # 王五 left in May: not on June's sheet.
    june = payroll.payroll_draft(project, "2019-06", by_user=cast.admin_user)
    assert sorted(line.person.name for line in june.lines.all()) == ["张三", "李四"]
    assert AuditEntry.objects.filter(action="payroll.draft", object_id=str(sheet.pk)).exists()


def test_the_base_rounds_half_up_to_the_fen(cast, project):
    late = PersonFactory(name="周九", start_date=dt.date(2019, 6, 28))
    payroll.payee_add(
        project,
        person=late,
        role="",
        base_wage="1000.05",
        start=dt.date(2019, 6, 28),
        by_user=None,
    )
    sheet = payroll.payroll_draft(project, "2019-06", by_user=None)
    # 3 days of 30: 1000.05 × 3 / 30 = 100.005 → 100.01 (half up; half even would give 100.00).
    assert (line_of(sheet, late).days, line_of(sheet, late).base) == (3, D("100.01"))


def test_performance_comes_from_the_published_assessment(cast, project, staff):
    zhang, li, wang = staff
    # 张三 95 (≥90 ×1.20 of the 1000.00 base), 李四 85 (80–90 ×1.00); 王五 not assessed.
    published_staff_month("community_worker", "2019-05", {zhang: "95", li: "85"})
    sheet = payroll.payroll_draft(project, "2019-05", by_user=None)
    z, li_line, w = line_of(sheet, zhang), line_of(sheet, li), line_of(sheet, wang)
    assert z.performance == D("1200.00")
    assert z.performance_source == "2019-05考核第1名（共2人），档次≥90，系数×1.20"
    assert li_line.performance == D("1000.00")
    assert li_line.performance_source == "2019-05考核第2名（共2人），档次80–90，系数×1.00"
    assert (w.performance, w.performance_source) == (D("0.00"), "当月无已发布的考核结果")
    assert z.net == D("4300.00")


def test_without_a_published_assessment_performance_is_zero_with_the_reason(cast, project, staff):
    zhang, _li, _wang = staff
    run = published_staff_month("community_worker", "2019-05", {zhang: "95"})
    run.status = RunStatus.DRAFT
    run.save()
    sheet = payroll.payroll_draft(project, "2019-05", by_user=None)
    assert {(line.performance, line.performance_source) for line in sheet.lines.all()} == {
        (D("0.00"), "当月无已发布的考核结果")
    }


def test_regenerating_a_draft_keeps_deductions_and_follows_the_payees(cast, project, staff):
    zhang, li, wang = staff
    sheet = payroll.payroll_draft(project, "2019-05", by_user=None)
    payroll.line_update(
        line_of(sheet, zhang), deductions="150.50", deduction_note="迟到三次", by_user=None
    )
    payroll.line_update(
        line_of(sheet, li),
        performance="300",
        performance_note="区里补发的考核工资",
        by_user=None,
    )
    # 王五 is taken off May (paid until April only); an assessment is published meanwhile.
    payroll.payee_end(Payee.objects.get(person=wang), end=dt.date(2019, 4, 30), by_user=None)
    published_staff_month("community_worker", "2019-05", {zhang: "95", li: "95"})
    again = payroll.payroll_draft(project, "2019-05", by_user=None)
    assert again.pk == sheet.pk
    z = line_of(again, zhang)
    assert (z.deductions, z.deduction_note, z.performance) == (
        D("150.50"),
        "迟到三次",
        D("1200.00"),
    )
    li_line = line_of(again, li)  # the performance set by hand stays
    assert (li_line.performance, li_line.performance_source) == (
        D("300.00"),
        "手工录入：区里补发的考核工资",
    )
    assert not again.lines.filter(person=wang).exists()
    assert AuditEntry.objects.filter(action="payroll.regenerate").count() == 1


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2019-13", "is not a month"),
        ("May 2019", "is not a month"),
        ("0000-05", "is not a month"),  # the years of cases.rates.Period.month
        ("2019-05" * 1000, "^'2019-052019-05.{20,30} is not a month"),  # quoted short
        ("2020-01", "not in 2019"),
    ],
)
def test_a_bad_month_is_refused(cast, project, month, message):
    with pytest.raises(DomainError, match=message):
        payroll.payroll_draft(project, month, by_user=None)
    assert not Payroll.objects.exists()


def test_a_month_that_has_not_started_is_refused(cast):
    year = dt.date.today().year + 1
    project = budget.project_create(
        subdistrict=cast.subdistrict, year=year, name="明年", by_user=None
    )
    with pytest.raises(DomainError, match="has not started yet"):
        payroll.payroll_draft(project, f"{year}-01", by_user=None)


# --- lines -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message", "field"),
    [
        ({"deductions": "-5", "deduction_note": "x"}, "cannot be negative", "deductions"),
        ({"deductions": "abc", "deduction_note": "x"}, "is not a number", "deductions"),
        ({"deductions": "3100.01", "deduction_note": "x"}, "more than the wage", "deductions"),
        ({"deductions": "10"}, "say what the deductions", "deduction_note"),
        ({"performance": "500"}, "say why the performance part", "performance_note"),
    ],
)
def test_a_bad_line_change_is_refused(cast, project, staff, change, message, field):
    zhang = staff[0]
    sheet = payroll.payroll_draft(project, "2019-05", by_user=None)
    with pytest.raises(DomainError, match=message) as err:
        payroll.line_update(line_of(sheet, zhang), by_user=None, **change)
    assert err.value.field == field
    z = line_of(sheet, zhang)
    assert (z.deductions, z.performance) == (D("0.00"), D("0.00"))


# --- approve, reopen, lock -------------------------------------------------------------------


def test_an_empty_sheet_cannot_be_approved(cast, project):
    sheet = payroll.payroll_draft(project, "2019-05", by_user=None)
    with pytest.raises(DomainError, match="has no one on it"):
        payroll.approve(sheet, by_user=None)


def test_an_approved_sheet_must_be_reopened_with_a_reason_to_change(cast, project, staff):
    zhang = staff[0]
    sheet = payroll.payroll_draft(project, "2019-05", by_user=None)
    payroll.approve(sheet, by_user=cast.admin_user)
    with pytest.raises(DomainError, match="approved; reopen it first"):
        payroll.line_update(line_of(sheet, zhang), deductions="1", deduction_note="x", by_user=None)
    with pytest.raises(DomainError, match="approved; reopen it first"):
        payroll.payroll_draft(project, "2019-05", by_user=None)
    with pytest.raises(DomainError, match="say why"):
        payroll.reopen(sheet, by_user=None, reason="  ")
    payroll.reopen(sheet, by_user=cast.admin_user, reason="王五的扣款漏了")
    sheet.refresh_from_db()
    assert (sheet.status, sheet.approved_at) == (PayrollStatus.DRAFT, None)
    payroll.line_update(line_of(sheet, zhang), deductions="1", deduction_note="x", by_user=None)


def test_locking_books_one_wage_expenditure_of_the_net_total(cast, project, staff):
    zhang = staff[0]
    sheet = payroll.payroll_draft(project, "2019-05", by_user=None)
    payroll.line_update(line_of(sheet, zhang), deductions="100", deduction_note="x", by_user=None)
    with pytest.raises(DomainError, match="approve it first"):
        payroll.lock(sheet, by_user=cast.admin_user)
    payroll.approve(sheet, by_user=cast.admin_user)
    payroll.lock(sheet, by_user=cast.admin_user)
    sheet.refresh_from_db()
    totals = payroll.payroll_totals(sheet)
    # 3100.00 + 2032.26 + 1290.32 − 100.00
    assert totals == payroll.PayrollTotals(
        people=3,
        base=D("6422.58"),
        performance=D("0.00"),
        deductions=D("100.00"),
        net=D("6322.58"),
    )
    spent = Expenditure.objects.get()
    assert (spent.kind, spent.amount, spent.date, spent.description) == (
        ExpenditureKind.WAGES,
        D("6322.58"),
        dt.date(2019, 5, 31),
        "2019-05 工资（3人）",
    )
    assert sheet.status == PayrollStatus.LOCKED and sheet.expenditure == spent
    assert sheet.locked_by == cast.admin_user
    assert budget.project_balance(project) == D("597500.00") - D("6322.58")


def _snapshot(sheet: Payroll) -> tuple:
    sheet.refresh_from_db()
    return (
        sheet.status,
        sheet.expenditure_id,
        sorted(sheet.lines.values_list("person_id", "days", "base", "performance", "deductions")),
        Expenditure.objects.count(),
    )


def test_a_locked_month_refuses_every_change(cast, project, staff):
    zhang = staff[0]
    sheet = payroll.payroll_draft(project, "2019-05", by_user=None)
    payroll.approve(sheet, by_user=None)
    payroll.lock(sheet, by_user=None)
    before = _snapshot(sheet)
    locked = "the wage sheet of 2019-05 is locked and cannot change"
    with pytest.raises(DomainError, match=locked):
        payroll.line_update(line_of(sheet, zhang), deductions="1", deduction_note="x", by_user=None)
    with pytest.raises(DomainError, match=locked):
        payroll.payroll_draft(project, "2019-05", by_user=None)
    with pytest.raises(DomainError, match=locked):
        payroll.approve(sheet, by_user=None)
    with pytest.raises(DomainError, match=locked):
        payroll.reopen(sheet, by_user=None, reason="again")
    with pytest.raises(DomainError, match=locked):
        payroll.lock(sheet, by_user=None)
    with pytest.raises(DomainError, match=locked):
        payroll.payroll_delete(sheet, by_user=None)
    assert _snapshot(sheet) == before


def test_the_lock_is_refused_when_the_budget_is_short_and_nothing_changes(cast, staff):
    small = make_project(cast, money="5000.00", name="小项目")
    zhang = staff[0]
    payroll.payee_add(
        small,
        person=zhang,
        role="community_worker",
        base_wage="6000",
        start=dt.date(2019, 1, 1),
        by_user=None,
    )
    sheet = payroll.payroll_draft(small, "2019-05", by_user=None)
    payroll.approve(sheet, by_user=None)
    before = _snapshot(sheet)
    audits = AuditEntry.objects.count()
    with pytest.raises(DomainError, match=r"has a balance of 5,000\.00 yuan"):
        payroll.lock(sheet, by_user=cast.admin_user)
    assert _snapshot(sheet) == before
    assert before[0] == PayrollStatus.APPROVED and before[1] is None
    assert AuditEntry.objects.count() == audits


def test_a_draft_can_be_deleted_but_not_an_approved_one(cast, project, staff):
    sheet = payroll.payroll_draft(project, "2019-05", by_user=None)
    payroll.approve(sheet, by_user=None)
    with pytest.raises(DomainError, match="reopen it first"):
        payroll.payroll_delete(sheet, by_user=None)
    payroll.reopen(sheet, by_user=None, reason="重做")
    payroll.payroll_delete(sheet, by_user=None)
    assert not Payroll.objects.exists()


def test_the_overview_shows_each_month_of_each_project(cast, project, staff):
    may = payroll.payroll_draft(project, "2019-05", by_user=None)
    payroll.approve(may, by_user=None)
    payroll.lock(may, by_user=None)
    payroll.payroll_draft(project, "2019-06", by_user=None)
    [row] = payroll.overview(payroll.wage_projects_visible(cast.admin_user, Territory.all()))
    assert [m.month if m else None for m in row.months][3:7] == [None, "2019-05", "2019-06", None]
    assert row.locked_net == D("6422.58")
    assert [p.month for p in payroll.payrolls_of(project)] == ["2019-05", "2019-06"]
