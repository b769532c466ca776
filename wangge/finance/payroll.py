"""Wage sheets (人员工资): who a budget project pays (payees) and each month's payroll.

A month's sheet is drafted from the payees active in it: the base wage pro rata for the days the
person is both a payee and employed, the performance part from the assessment's wage link
(``wangge.assessment.selectors.performance_wages``), and the deductions finance enters. A sheet
is then approved (it can be reopened with a reason) and locked: locking books the net total as
one wage expenditure on the project, and a locked month never changes again.

Every change here is audited and atomic; on any DomainError nothing is written.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from wangge.assessment.selectors import performance_wages
from wangge.cases.rates import Period
from wangge.core import audit
from wangge.core.errors import DomainError, Forbidden, NotFound
from wangge.org.territory import Territory
from wangge.people.models import Person, RoleKind

from .models import (
    ZERO,
    BudgetProject,
    ExpenditureKind,
    Payee,
    Payroll,
    PayrollLine,
    PayrollStatus,
)
from .selectors import FEN, projects_visible
from .services import can_manage_budget, parse_amount, record_expenditure

# A performance part typed in by hand carries this prefix in its source, so a regenerated
# draft keeps it instead of taking the assessment's figure again.
MANUAL = "手工录入："
NO_ASSESSMENT = "当月无已发布的考核结果"

# Column → how it is computed: the Excel header notes and the page's legend (English msgids:
# pass them through gettext where they are shown).
PAYROLL_DEFINITIONS: dict[str, str] = {
    "days": gettext_noop(
        "Days of the month the person is both a payee of the project (from … to) and employed"
        " (start date … end date), both ends included."
    ),
    "base": gettext_noop(
        "Monthly base wage × days ÷ days in the month, rounded to the fen (half up); summed over"
        " the person's payee periods in the month."
    ),
    "performance": gettext_noop(
        "The person's performance wage of the month from the latest published assessment run of"
        " their role (base performance wage × the band's coefficient); 0 when none is published;"
        " or an amount entered by hand with a note."
    ),
    "deductions": gettext_noop(
        "Entered by finance, with a note; never more than base + performance."
    ),
    "net": gettext_noop("Base + performance − deductions."),
}
# The same definitions in Chinese (same keys), for Chinese documents.
PAYROLL_DEFINITIONS_ZH: dict[str, str] = {
    "days": "当月既在本项目发放期间内（起止日期）又处于在职状态（入职日期至离职日期）的天数，"
    "首尾两日均计入。",
    "base": "基本工资 = 月基本工资 × 计薪天数 ÷ 当月天数，四舍五入到分；"
    "当月有多段发放期间的分段计算后相加。",
    "performance": "绩效工资：取本人岗位最近一次已发布的当月绩效考核结果"
    "（基础绩效工资 × 所在档次系数）；未发布的为0；也可由财务人员手工录入并注明原因。",
    "deductions": "扣款：由财务人员录入并注明原因，不得超过基本工资与绩效工资之和。",
    "net": "实发工资 = 基本工资 + 绩效工资 − 扣款。",
}


# --- permissions and scoping -----------------------------------------------------------------


def can_write(user: Any) -> bool:
    """The finance group and superusers keep the wage sheets (as they keep the budget)."""
    return can_manage_budget(user)


def require_write(user: Any) -> None:
    if not can_write(user):
        raise Forbidden(gettext("only the finance group may change wage sheets"))


def wage_projects_visible(user: Any, territory: Territory) -> QuerySet[BudgetProject]:
    """The one scoping selector for wage sheets: the finance group sees every project; anyone
    else the projects of the subdistricts their territory covers whole (a subdistrict or a
    district). Someone whose territory is a community or grids only may not read wages."""
    if can_write(user):
        return BudgetProject.objects.select_related("subdistrict")
    if not (territory.everything or territory.subdistrict_ids or territory.district_ids):
        raise Forbidden(
            gettext("wage sheets are for finance staff and the subdistrict or district offices")
        )
    return projects_visible(territory)  # the budget pages' scope


def project_get(projects: QuerySet[BudgetProject], pk: int) -> BudgetProject:
    try:
        return projects.get(pk=pk)
    except BudgetProject.DoesNotExist:
        raise NotFound(
            gettext("no budget project %(id)s that you may see") % {"id": pk}, field="project_id"
        ) from None


# --- months ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last(self) -> dt.date:
        return dt.date(self.year, self.month, self.days)

    @property
    def days(self) -> int:
        return calendar.monthrange(self.year, self.month)[1]


def parse_month(value: Any, project: BudgetProject | None = None) -> Month:
    """``YYYY-MM`` (the rules of ``cases.rates.Period.month``); with a project, a month of the
    project's year that has begun."""
    text = str(value if value is not None else "").strip()
    try:
        label = Period.month(text).label
    except DomainError:  # said again here in the user's language, on the month field
        raise DomainError(
            gettext(
                "%(value)s is not a month: use YYYY-MM with a month from 01 to 12, e.g. 2019-05"
            )
            % {"value": repr(text[:40])},
            field="month",
        ) from None
    month = Month(int(label[:4]), int(label[5:]))
    if project is not None:
        if month.year != project.year:
            raise DomainError(
                gettext("%(month)s is not in %(year)s, the year of project %(project)s")
                % {"month": month.label, "year": project.year, "project": project.name},
                field="month",
            )
        if month.first > timezone.localdate():
            raise DomainError(
                gettext("%(month)s has not started yet; a wage sheet is drafted once it has")
                % {"month": month.label},
                field="month",
            )
    return month


# --- payees ----------------------------------------------------------------------------------


def _overlaps(
    a_start: dt.date, a_end: dt.date | None, b_start: dt.date, b_end: dt.date | None
) -> bool:
    return (a_end is None or a_end >= b_start) and (b_end is None or b_end >= a_start)


def _check_in_year(project: BudgetProject, day: dt.date, field: str) -> None:
    if day.year != project.year:
        raise DomainError(
            gettext("%(day)s is outside %(year)s, the year of project %(project)s")
            % {"day": day.isoformat(), "year": project.year, "project": project.name},
            field=field,
        )


def _check_dates(
    project: BudgetProject, person: Person, start: dt.date, end: dt.date | None
) -> None:
    _check_in_year(project, start, "start")
    if end is not None:
        _check_in_year(project, end, "end")
        if end < start:
            raise DomainError(
                gettext("the end (%(end)s) is before the start (%(start)s)")
                % {"end": end.isoformat(), "start": start.isoformat()},
                field="end",
            )
    if person.end_date is not None and person.end_date < start:
        raise DomainError(
            gettext("%(name)s left on %(day)s, before %(start)s")
            % {"name": person.name, "day": person.end_date.isoformat(), "start": start.isoformat()},
            field="person",
        )


@transaction.atomic
def payee_add(
    project: BudgetProject,
    *,
    person: Person,
    role: str,
    base_wage: Any,
    start: dt.date,
    end: dt.date | None = None,
    by_user: Any,
) -> Payee:
    """Put someone on the project's wage list from ``start`` to ``end`` (open: still paid)."""
    role = (role or "").strip()
    if role and role not in RoleKind.values:
        raise DomainError(
            gettext("unknown role %(role)s; the roles are: %(known)s")
            % {"role": repr(role), "known": ", ".join(RoleKind.values)},
            field="role",
        )
    wage = parse_amount(base_wage, field="base_wage", allow_zero=True)
    _check_dates(project, person, start, end)
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one add per person at a time
    for other in Payee.objects.filter(project=project, person=person):
        if _overlaps(other.start, other.end, start, end):
            raise DomainError(
                gettext("%(name)s is already a payee of this project from %(start)s to %(end)s")
                % {
                    "name": person.name,
                    "start": other.start.isoformat(),
                    "end": other.end.isoformat() if other.end else gettext("now"),
                },
                field="start",
            )
    payee = Payee.objects.create(
        project=project, person=person, role=role, base_wage=wage, start=start, end=end
    )
    audit.record(
        actor=by_user,
        action="payee.add",
        object_type="payee",
        object_id=payee.pk,
        summary=f"{project} {person.name} {wage} {start}..{end or ''}",
        data={"project": project.pk, "person": person.pk, "base_wage": str(wage)},
    )
    return payee


@transaction.atomic
def payee_end(payee: Payee, *, end: dt.date, by_user: Any) -> Payee:
    """Stop paying someone after ``end`` (their last paid day)."""
    payee = Payee.objects.select_for_update().select_related("project", "person").get(pk=payee.pk)
    project = payee.project
    _check_in_year(project, end, "end")
    if end < payee.start:
        raise DomainError(
            gettext("the end (%(end)s) is before the start (%(start)s)")
            % {"end": end.isoformat(), "start": payee.start.isoformat()},
            field="end",
        )
    before = payee.end
    payee.end = end
    payee.save(update_fields=["end", "updated_at"])
    audit.record(
        actor=by_user,
        action="payee.end",
        object_type="payee",
        object_id=payee.pk,
        summary=f"{project} {payee.person.name} until {end}",
        data={"before": before.isoformat() if before else None, "end": end.isoformat()},
    )
    return payee


def payees_of(project: BudgetProject) -> QuerySet[Payee]:
    return (
        Payee.objects.filter(project=project)
        .select_related("person")
        .order_by("person__name", "start")
    )


# --- drafting a month ------------------------------------------------------------------------


def _days(payee: Payee, month: Month) -> int:
    """Days of the month the person is a payee and employed."""
    first = max(d for d in (month.first, payee.start, payee.person.start_date) if d is not None)
    last = min(d for d in (month.last, payee.end, payee.person.end_date) if d is not None)
    return max(0, (last - first).days + 1)


def _refuse_if_not_draft(payroll: Payroll) -> None:
    if payroll.status == PayrollStatus.LOCKED:
        raise DomainError(
            gettext("the wage sheet of %(month)s is locked and cannot change")
            % {"month": payroll.month},
            field="month",
            code="locked",
        )
    if payroll.status == PayrollStatus.APPROVED:
        raise DomainError(
            gettext("the wage sheet of %(month)s is approved; reopen it first to change it")
            % {"month": payroll.month},
            field="month",
            code="approved",
        )


def _source(line: Any, of: int) -> str:
    # Stored on the line, so written in the platform's language (Chinese), not the user's.
    return (
        f"{line.period}考核第{line.rank}名（共{of}人），"
        f"档次{line.band}，系数×{line.coefficient:.2f}"
    )


@transaction.atomic
def payroll_draft(project: BudgetProject, month: str, *, by_user: Any) -> Payroll:
    """Create, or regenerate while it is a draft, the month's wage sheet of the project."""
    m = parse_month(month, project)
    BudgetProject.objects.select_for_update().filter(pk=project.pk).first()
    payroll = Payroll.objects.select_for_update().filter(project=project, month=m.label).first()
    created = payroll is None
    if payroll is None:
        payroll = Payroll.objects.create(project=project, month=m.label)
    else:
        _refuse_if_not_draft(payroll)

    # One line per person: their payee periods in the month add up.
    active = (
        Payee.objects.filter(project=project, start__lte=m.last)
        .filter(Q(end__isnull=True) | Q(end__gte=m.first))
        .select_related("person")
        .order_by("start", "id")
    )
    lines: dict[int, dict[str, Any]] = {}
    for payee in active:
        days = _days(payee, m)
        if days == 0:
            continue
        base = (payee.base_wage * days / m.days).quantize(FEN, ROUND_HALF_UP)
        entry = lines.setdefault(
            payee.person_id, {"person": payee.person, "role": payee.role, "days": 0, "base": ZERO}
        )
        entry["days"] += days
        entry["base"] += base
        entry["role"] = payee.role  # the latest period's post

    wages = performance_wages(m.label)
    per_role: dict[str, int] = {}
    for w in wages:
        per_role[w.role] = per_role.get(w.role, 0) + 1
    by_person: dict[int, list[Any]] = {}
    for w in wages:
        by_person.setdefault(w.person_id, []).append(w)

    kept = {line.person_id: line for line in payroll.lines.all()}
    payroll.lines.exclude(person_id__in=list(lines)).delete()
    for person_id, entry in lines.items():
        line = kept.get(person_id) or PayrollLine(payroll=payroll, person=entry["person"])
        line.role = entry["role"]
        line.days = entry["days"]
        line.base = entry["base"]
        if not line.performance_source.startswith(MANUAL):
            found = by_person.get(person_id, [])
            wage = next((w for w in found if w.role == entry["role"]), found[0] if found else None)
            if wage is not None:
                line.performance = wage.amount
                line.performance_source = _source(wage, per_role[wage.role])[:200]
            else:
                line.performance = ZERO
                line.performance_source = NO_ASSESSMENT
        line.save()
    payroll.save(update_fields=["updated_at"])
    audit.record(
        actor=by_user,
        action="payroll.draft" if created else "payroll.regenerate",
        object_type="payroll",
        object_id=payroll.pk,
        summary=f"{project} {m.label}: {len(lines)} people",
        data={"project": project.pk, "month": m.label, "people": len(lines)},
    )
    return payroll


# --- lines -----------------------------------------------------------------------------------


def _locked_payroll(payroll: Payroll) -> Payroll:
    return Payroll.objects.select_for_update().select_related("project").get(pk=payroll.pk)


@transaction.atomic
def line_update(
    line: PayrollLine,
    *,
    by_user: Any,
    deductions: Any = None,
    deduction_note: str | None = None,
    performance: Any = None,
    performance_note: str | None = None,
) -> PayrollLine:
    """Change a draft line's deductions (and their note) or, with a note, its performance part."""
    payroll = _locked_payroll(line.payroll)
    _refuse_if_not_draft(payroll)
    line = PayrollLine.objects.select_related("person").get(pk=line.pk)
    before = {
        "deductions": str(line.deductions),
        "deduction_note": line.deduction_note,
        "performance": str(line.performance),
        "performance_source": line.performance_source,
    }
    if performance is not None and performance != "":
        amount = parse_amount(performance, field="performance", allow_zero=True)
        if amount != line.performance:
            note = (performance_note or "").strip()
            if not note:
                raise DomainError(
                    gettext("say why the performance part of %(name)s is changed by hand")
                    % {"name": line.person.name},
                    field="performance_note",
                )
            line.performance = amount
            line.performance_source = f"{MANUAL}{note}"[:200]
    if deductions is not None and deductions != "":
        line.deductions = parse_amount(deductions, field="deductions", allow_zero=True)
    if deduction_note is not None:
        line.deduction_note = deduction_note.strip()[:300]
    if line.deductions > line.base + line.performance:
        raise DomainError(
            gettext(
                "the deductions of %(name)s (%(deductions)s) are more than the wage"
                " (%(wage)s = base + performance)"
            )
            % {
                "name": line.person.name,
                "deductions": line.deductions,
                "wage": line.base + line.performance,
            },
            field="deductions",
        )
    if line.deductions > 0 and not line.deduction_note:
        raise DomainError(
            gettext("say what the deductions of %(name)s are for") % {"name": line.person.name},
            field="deduction_note",
        )
    line.save()
    audit.record(
        actor=by_user,
        action="payroll.line",
        object_type="payroll_line",
        object_id=line.pk,
        summary=f"{payroll} {line.person.name}: −{line.deductions}, +{line.performance}",
        data={
            "before": before,
            "deductions": str(line.deductions),
            "performance": str(line.performance),
        },
    )
    return line


# --- approve, reopen, lock -------------------------------------------------------------------


def _refuse_if_locked(payroll: Payroll) -> None:
    if payroll.status == PayrollStatus.LOCKED:
        raise DomainError(
            gettext("the wage sheet of %(month)s is locked and cannot change")
            % {"month": payroll.month},
            field="month",
            code="locked",
        )


@transaction.atomic
def approve(payroll: Payroll, *, by_user: Any) -> Payroll:
    """A checked draft becomes approved (ready to lock); an empty sheet is refused."""
    payroll = _locked_payroll(payroll)
    _refuse_if_locked(payroll)
    if payroll.status == PayrollStatus.APPROVED:
        raise DomainError(
            gettext("the wage sheet of %(month)s is already approved") % {"month": payroll.month},
            field="month",
        )
    lines = list(payroll.lines.select_related("person"))
    if not lines:
        raise DomainError(
            gettext("the wage sheet of %(month)s has no one on it; add payees and draft it again")
            % {"month": payroll.month},
            field="month",
        )
    for line in lines:
        if line.net < 0:
            raise DomainError(
                gettext("the deductions of %(name)s are more than the wage; correct them first")
                % {"name": line.person.name},
                field="deductions",
            )
    payroll.status = PayrollStatus.APPROVED
    payroll.approved_by = by_user if getattr(by_user, "is_authenticated", False) else None
    payroll.approved_at = timezone.now()
    payroll.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    totals = payroll_totals(payroll)
    audit.record(
        actor=by_user,
        action="payroll.approve",
        object_type="payroll",
        object_id=payroll.pk,
        summary=f"{payroll.project} {payroll.month}: {totals.people} people, net {totals.net}",
        data={"net": str(totals.net)},
    )
    return payroll


@transaction.atomic
def reopen(payroll: Payroll, *, by_user: Any, reason: str) -> Payroll:
    """An approved sheet goes back to draft, with the reason why."""
    payroll = _locked_payroll(payroll)
    _refuse_if_locked(payroll)
    if payroll.status != PayrollStatus.APPROVED:
        raise DomainError(
            gettext("the wage sheet of %(month)s is not approved; there is nothing to reopen")
            % {"month": payroll.month},
            field="month",
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(gettext("say why the wage sheet is reopened"), field="reason")
    payroll.status = PayrollStatus.DRAFT
    payroll.approved_by = None
    payroll.approved_at = None
    payroll.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit.record(
        actor=by_user,
        action="payroll.reopen",
        object_type="payroll",
        object_id=payroll.pk,
        summary=f"{payroll.project} {payroll.month}: {reason}",
        data={"reason": reason[:300]},
    )
    return payroll


@transaction.atomic
def lock(payroll: Payroll, *, by_user: Any) -> Payroll:
    """An approved sheet is locked and its net total booked as the month's wage expenditure.
    If the budget refuses the expenditure, the lock is refused and nothing changes."""
    payroll = _locked_payroll(payroll)
    _refuse_if_locked(payroll)
    if payroll.status != PayrollStatus.APPROVED:
        raise DomainError(
            gettext("the wage sheet of %(month)s is a draft; approve it first")
            % {"month": payroll.month},
            field="month",
        )
    totals = payroll_totals(payroll)
    if totals.net <= 0:
        raise DomainError(
            gettext("the net total of %(month)s is %(net)s; there is nothing to book")
            % {"month": payroll.month, "net": totals.net},
            field="month",
        )
    m = parse_month(payroll.month)
    expenditure = record_expenditure(
        payroll.project,
        kind=ExpenditureKind.WAGES,
        amount=totals.net,
        date=m.last,
        # Stored, so written in the platform's language (Chinese), not the locker's.
        description=f"{payroll.month} 工资（{totals.people}人）",
        by_user=by_user,
    )
    payroll.status = PayrollStatus.LOCKED
    payroll.locked_by = by_user if getattr(by_user, "is_authenticated", False) else None
    payroll.locked_at = timezone.now()
    payroll.expenditure = expenditure
    payroll.save(update_fields=["status", "locked_by", "locked_at", "expenditure", "updated_at"])
    audit.record(
        actor=by_user,
        action="payroll.lock",
        object_type="payroll",
        object_id=payroll.pk,
        summary=f"{payroll.project} {payroll.month}: booked {totals.net}",
        data={"net": str(totals.net), "expenditure": expenditure.pk},
    )
    return payroll


@transaction.atomic
def payroll_delete(payroll: Payroll, *, by_user: Any) -> None:
    """Throw away a draft sheet (an approved one must be reopened first; a locked one stays)."""
    payroll = _locked_payroll(payroll)
    _refuse_if_not_draft(payroll)
    label = f"{payroll.project} {payroll.month}"
    pk = payroll.pk
    payroll.delete()
    audit.record(
        actor=by_user,
        action="payroll.delete",
        object_type="payroll",
        object_id=pk,
        summary=label,
    )


# --- reads -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PayrollTotals:
    people: int
    base: Decimal
    performance: Decimal
    deductions: Decimal
    net: Decimal


def _sums() -> dict[str, Any]:
    return {
        "n_people": Count("lines"),
        "sum_base": Coalesce(Sum("lines__base"), ZERO),
        "sum_performance": Coalesce(Sum("lines__performance"), ZERO),
        "sum_deductions": Coalesce(Sum("lines__deductions"), ZERO),
    }


def _totals(people: int, base: Decimal, performance: Decimal, deductions: Decimal) -> PayrollTotals:
    # SQLite's SUM of decimals comes back with spurious places: the fen is the unit.
    base, performance, deductions = (
        Decimal(v).quantize(FEN, ROUND_HALF_UP) for v in (base, performance, deductions)
    )
    return PayrollTotals(
        people=people,
        base=base,
        performance=performance,
        deductions=deductions,
        net=base + performance - deductions,
    )


def payroll_totals(payroll: Payroll) -> PayrollTotals:
    row = Payroll.objects.filter(pk=payroll.pk).aggregate(**_sums())
    return _totals(row["n_people"], row["sum_base"], row["sum_performance"], row["sum_deductions"])


def payrolls_of(project: BudgetProject) -> QuerySet[Payroll]:
    """The project's months, oldest first, each with its sums annotated."""
    return (
        Payroll.objects.filter(project=project)
        .select_related("expenditure", "approved_by", "locked_by")
        .annotate(**_sums())
        .order_by("month")
    )


def totals_of(payroll: Payroll) -> PayrollTotals:
    """The totals of a payroll from ``payrolls_of`` (annotated), else from the database."""
    if hasattr(payroll, "n_people"):
        p: Any = payroll
        return _totals(p.n_people, p.sum_base, p.sum_performance, p.sum_deductions)
    return payroll_totals(payroll)


def payroll_get(project: BudgetProject, month: str) -> Payroll:
    m = parse_month(month)
    payroll = Payroll.objects.filter(project=project, month=m.label).first()
    if payroll is None:
        raise NotFound(
            gettext("%(project)s has no wage sheet for %(month)s yet; draft it first")
            % {"project": project, "month": m.label},
            field="month",
        )
    payroll.project = project  # the pages and the export show it: no second query
    return payroll


def lines_of(payroll: Payroll) -> QuerySet[PayrollLine]:
    return payroll.lines.select_related("person").order_by("person__name", "id")


def line_get(projects: QuerySet[BudgetProject], pk: int) -> PayrollLine:
    line = (
        PayrollLine.objects.filter(pk=pk, payroll__project__in=projects)
        .select_related("payroll__project", "person")
        .first()
    )
    if line is None:
        raise NotFound(
            gettext("no wage line %(id)s that you may see") % {"id": pk}, field="line_id"
        )
    return line


@dataclass(frozen=True)
class OverviewRow:
    project: BudgetProject
    months: list[Payroll | None]  # January … December
    locked_net: Decimal  # the net total of the locked months (booked as expenditure)


def overview(projects: Iterable[BudgetProject]) -> list[OverviewRow]:
    """Projects × the twelve months: each month's sheet (annotated with its sums) or None."""
    projects = list(projects)
    sheets: dict[tuple[int, str], Payroll] = {
        (p.project_id, p.month): p
        for p in Payroll.objects.filter(project__in=projects).annotate(**_sums())
    }
    rows = []
    for project in projects:
        months = [sheets.get((project.pk, f"{project.year:04d}-{n:02d}")) for n in range(1, 13)]
        locked = sum(
            (totals_of(s).net for s in months if s and s.status == PayrollStatus.LOCKED), ZERO
        )
        rows.append(OverviewRow(project=project, months=months, locked_net=locked))
    return rows
