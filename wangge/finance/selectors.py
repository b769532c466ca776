"""Reads about the budget, scoped by territory: projects, their figures, and the funds
summary of a subdistrict's year that the self-evaluation report's part 二 (项目资金使用及管理情况)
is written from.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext

from wangge.assets.models import Equipment, EquipmentCategory
from wangge.assets.selectors import equipment_visible
from wangge.core.errors import NotFound
from wangge.org.models import Subdistrict
from wangge.org.territory import Territory

from .models import (
    ZERO,
    Allocation,
    AllocationKind,
    BudgetProject,
    Expenditure,
    ExpenditureKind,
    PayrollLine,
    PayrollStatus,
    PurchaseItem,
)

FEN = Decimal("0.01")
WAN = Decimal("10000")
RATE_PLACES = Decimal("0.0001")  # an execution rate to 0.01 %
MAX_ID = 2**63 - 1  # the largest key a database id column holds; beyond it an id is unknown


def to_wan(amount: Decimal) -> Decimal:
    """Yuan → 万元 (ten thousand yuan), 2 places, half up: 625300.00 → 62.53."""
    return (Decimal(amount) / WAN).quantize(FEN, rounding=ROUND_HALF_UP)


def _fen(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(FEN)


def _rate(spent: Decimal, allocated: Decimal) -> Decimal | None:
    if not allocated:
        return None
    return (spent / allocated).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


# --- who may read ------------------------------------------------------------------------------


def can_read_budget(user: Any, territory: Territory) -> bool:
    """District and subdistrict users (and everyone who sees everything) read the budget;
    community and grid staff do not."""
    if user is None or not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return bool(territory.everything or territory.district_ids or territory.subdistrict_ids)


# --- projects ----------------------------------------------------------------------------------


def projects_visible(territory: Territory) -> QuerySet[BudgetProject]:
    """The one scoping selector for budget projects: a district user sees the district's
    subdistricts' projects, a subdistrict user their subdistrict's; users whose territory is
    a community or grids see none."""
    qs = BudgetProject.objects.select_related("subdistrict__district")
    if territory.everything:
        return qs
    q = Q(pk__in=[])
    if territory.district_ids:
        q |= Q(subdistrict__district_id__in=sorted(territory.district_ids))
    if territory.subdistrict_ids:
        q |= Q(subdistrict_id__in=sorted(territory.subdistrict_ids))
    return qs.filter(q)


def project_get(territory: Territory, pk: int) -> BudgetProject:
    try:
        return projects_visible(territory).get(pk=pk)
    except BudgetProject.DoesNotExist:
        raise NotFound(
            gettext("no budget project %(id)s in your territory") % {"id": pk}, field="id"
        ) from None


def subdistricts_visible(territory: Territory) -> QuerySet[Subdistrict]:
    """The subdistricts a user may open projects for (district or subdistrict territory)."""
    qs = Subdistrict.objects.select_related("district")
    if territory.everything:
        return qs
    q = Q(pk__in=[])
    if territory.district_ids:
        q |= Q(district_id__in=sorted(territory.district_ids))
    if territory.subdistrict_ids:
        q |= Q(pk__in=sorted(territory.subdistrict_ids))
    return qs.filter(q)


def project_years(projects: QuerySet[BudgetProject]) -> list[int]:
    return sorted(set(projects.values_list("year", flat=True)), reverse=True)


@dataclass(frozen=True)
class ProjectFigures:
    initial: Decimal
    adjustments: Decimal
    allocated: Decimal
    spent: Decimal
    spent_by_kind: dict[str, Decimal]  # every ExpenditureKind value as key
    balance: Decimal
    execution_rate: Decimal | None  # spent / allocated, 0..1; None when nothing is allocated

    @property
    def allocated_wan(self) -> Decimal:
        return to_wan(self.allocated)

    @property
    def spent_wan(self) -> Decimal:
        return to_wan(self.spent)

    @property
    def balance_wan(self) -> Decimal:
        return to_wan(self.balance)

    @property
    def execution_percent(self) -> Decimal | None:
        return None if self.execution_rate is None else (self.execution_rate * 100).quantize(FEN)


def _figures(allocations: dict[str, Decimal], spent_by_kind: dict[str, Decimal]) -> ProjectFigures:
    # Sums come back from the database without their scale on some backends (SQLite: 625300).
    initial = _fen(allocations.get(AllocationKind.INITIAL, ZERO))
    adjustments = _fen(allocations.get(AllocationKind.ADJUSTMENT, ZERO))
    allocated = initial + adjustments
    by_kind = {k: _fen(spent_by_kind.get(k, ZERO)) for k in ExpenditureKind.values}
    spent = sum(by_kind.values(), ZERO)
    return ProjectFigures(
        initial=initial,
        adjustments=adjustments,
        allocated=allocated,
        spent=spent,
        spent_by_kind=by_kind,
        balance=allocated - spent,
        execution_rate=_rate(spent, allocated),
    )


def _sums(qs: QuerySet[Any], key: str) -> dict[tuple[int, str], Decimal]:
    rows = qs.values("project_id", key).annotate(s=Sum("amount")).order_by()
    return {(r["project_id"], r[key]): r["s"] or ZERO for r in rows}


def figures_of(projects: list[BudgetProject]) -> dict[int, ProjectFigures]:
    """The figures of several projects in two queries, by project id."""
    ids = [p.pk for p in projects]
    allocated = _sums(Allocation.objects.filter(project_id__in=ids), "kind")
    spent = _sums(Expenditure.objects.filter(project_id__in=ids), "kind")
    result = {}
    for pk in ids:
        a = {kind: s for (p, kind), s in allocated.items() if p == pk}
        e = {kind: s for (p, kind), s in spent.items() if p == pk}
        result[pk] = _figures(a, e)
    return result


def project_figures(project: BudgetProject) -> ProjectFigures:
    """Initial budget, adjustments, allocated, spent (by kind), balance and execution rate."""
    return figures_of([project])[project.pk]


def projects_with_figures(
    projects: QuerySet[BudgetProject],
) -> list[tuple[BudgetProject, ProjectFigures]]:
    listed = list(projects)
    figures = figures_of(listed)
    return [(p, figures[p.pk]) for p in listed]


def allocations_of(project: BudgetProject) -> QuerySet[Allocation]:
    return project.allocations.select_related("created_by").order_by("date", "id")


def expenditures_of(project: BudgetProject) -> QuerySet[Expenditure]:
    return (
        project.expenditures.select_related("created_by", "payroll")
        .prefetch_related("items__equipment")
        .order_by("date", "id")
    )


# --- equipment a project may pay for -----------------------------------------------------------


def subdistrict_equipment(subdistrict: Subdistrict) -> QuerySet[Equipment]:
    """The subdistrict's equipment: items held inside it (a person, its centre, a workstation
    of its communities) and items in store (no holder yet, so not anyone else's)."""
    held = equipment_visible(Territory(subdistrict_ids=frozenset({subdistrict.pk})))
    return Equipment.objects.filter(
        Q(pk__in=held.values("pk"))
        | Q(person__isnull=True, center__isnull=True, workstation__isnull=True)
    )


def purchasable_equipment(project: BudgetProject) -> QuerySet[Equipment]:
    """Items a purchase of this project may list: the subdistrict's, not yet paid for."""
    return (
        subdistrict_equipment(project.subdistrict)
        .filter(purchase__isnull=True)
        .select_related("person", "center", "workstation")
        .order_by("category", "name", "serial", "id")
    )


def equipment_by_ids(ids: list[int]) -> list[Equipment]:
    """The items of these ids, in this order; an unknown id is a DomainError (field
    ``equipment``). Whether each may be bought is the service's check."""
    found = Equipment.objects.in_bulk([i for i in ids if 0 < i <= MAX_ID])  # no overflow
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(
            gettext("no equipment item %(ids)s") % {"ids": ", ".join(str(i) for i in missing)},
            field="equipment",
        )
    return [found[i] for i in ids]


# --- the funds summary of a year (the report's 二) --------------------------------------------


@dataclass(frozen=True)
class AllocationRow:
    project: str
    kind: str
    kind_label: str
    date: dt.date
    document_no: str
    amount: Decimal
    note: str


@dataclass(frozen=True)
class FundsSummary:
    year: int
    projects: list[str]  # names of that year's projects of the subdistrict
    allocations: list[AllocationRow]
    initial: Decimal
    adjustments: Decimal
    allocated: Decimal
    spent: Decimal
    spent_by_kind: dict[str, Decimal]  # every ExpenditureKind value as key
    balance: Decimal
    execution_rate: Decimal | None  # spent / allocated, 0..1; None when nothing allocated
    wage_months: int  # locked payroll months of the year
    paid_people: int  # distinct persons on the year's locked wage sheets
    paid_per_month: dict[str, int]  # "YYYY-MM" -> persons on that month's locked sheet
    new_hires_paid: int  # persons on the year's locked sheets whose start_date is in the year
    equipment_bought: dict[str, int]  # EquipmentCategory value -> items bought by the purchases
    principles: list[str]
    management_rules: list[str]  # the projects' lines, de-duplicated, in order

    @property
    def paid_monthly(self) -> int:
        """The number of people on the wage sheets of most months: the mode of
        ``paid_per_month`` (ties → the larger number); 0 when no month is locked. A mid-month
        replacement puts both the leaver and the successor on that month's sheet, so the
        maximum over the months would overstate the staff paid every month."""
        counts = Counter(self.paid_per_month.values())
        if not counts:
            return 0
        return max(counts, key=lambda n: (counts[n], n))


FUNDS_DEFINITIONS: dict[str, str] = {
    "year": "The report year: the projects whose year it is.",
    "projects": "The subdistrict's budget projects whose year is the report year, by name.",
    "allocations": "Every allocation of those projects (initial budget and fiscal adjustments),"
    " by date, with its document number.",
    "initial": "Sum of the projects' initial-budget allocations (yuan).",
    "adjustments": "Sum of the projects' fiscal-adjustment allocations (yuan).",
    "allocated": "initial + adjustments: the funds received (yuan).",
    "spent": "Sum of the projects' expenditures (wages, equipment purchases, other) (yuan).",
    "spent_by_kind": "Sum of the projects' expenditures of each kind (yuan).",
    "balance": "allocated − spent (yuan).",
    "execution_rate": "spent ÷ allocated, to 0.01 %; none when nothing is allocated.",
    "wage_months": "Number of distinct months with a locked wage sheet on the projects.",
    "paid_people": "Number of distinct persons with a line on the projects' locked wage sheets.",
    "paid_per_month": "For each month with a locked wage sheet, the number of distinct persons"
    " on it.",
    "new_hires_paid": "Persons on the projects' locked wage sheets whose start date (people"
    " register) falls in the report year.",
    "equipment_bought": "Equipment items listed by the projects' equipment purchases, counted"
    " by category.",
    "principles": "The projects' principles of use, one per line, repeated lines left out.",
    "management_rules": "The projects' management rules, one per line, repeated lines left out.",
}
# The same definitions in Chinese, for the annual report (an official Chinese document).
FUNDS_DEFINITIONS_ZH: dict[str, str] = {
    "year": "报告年度：项目所属年度为该年度的预算项目纳入统计。",
    "projects": "本街道项目年度为报告年度的预算项目，按名称列示。",
    "allocations": "上述项目的每一笔到位资金（年初预算和财政调节经费），按到位日期列示并注明文号。",
    "initial": "上述项目年初预算到位资金之和（元）。",
    "adjustments": "上述项目财政调节经费到位资金之和（元）。",
    "allocated": "到位资金合计 = 年初预算 + 财政调节经费（元）。",
    "spent": "支出合计：上述项目各项支出（人员工资、装备购置、其他支出）之和（元）。",
    "spent_by_kind": "上述项目按支出类别（人员工资、装备购置、其他支出）分别汇总的支出金额（元）。",
    "balance": "结余 = 到位资金合计 − 支出合计（元）。",
    "execution_rate": "预算执行率 = 支出合计 ÷ 到位资金合计，以百分比表示，保留两位小数；"
    "无到位资金时不计算。",
    "wage_months": "上述项目已锁定工资表的月份数（同一月份只计一次）。",
    "paid_people": "上述项目已锁定工资表上出现的不同人员人数（同一人只计一次）。",
    "paid_per_month": "每个已锁定工资表的月份，该月工资表上的不同人员人数。",
    "new_hires_paid": "上述项目已锁定工资表上、人员登记的入职日期在报告年度内的人数。",
    "equipment_bought": "上述项目装备购置支出所列的装备件数，按装备类别分别统计。",
    "principles": "上述项目登记的资金使用原则，每行一条，重复的不再列出。",
    "management_rules": "上述项目登记的资金管理办法，每行一条，重复的不再列出。",
}
# FundsSummary.paid_monthly (a property, so not in the dicts above, which follow the fields).
PAID_MONTHLY_DEFINITION = (
    "The mode of paid_per_month: the number of people on the locked wage sheets of most months"
    " (on a tie, the larger number)."
)
PAID_MONTHLY_DEFINITION_ZH = (
    "各月工资表人数的众数（多数月份的发放人数）：统计每个已锁定工资表月份的发放人数，"
    "取出现月份最多的人数，并列时取较大者。"
)
# How every 万元 figure is made from yuan (to_wan).
WAN_DEFINITION = "Amounts in 万元 are yuan ÷ 10,000, rounded half up to 2 places."


def _lines(texts: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for text in texts:
        for line in (text or "").splitlines():
            line = line.strip()
            if line and line not in seen:
                seen[line] = None
    return list(seen)


def funds_summary(subdistrict: Subdistrict, year: int) -> FundsSummary:
    """The money of a subdistrict's year: funds received, spent and how, wages paid, equipment
    bought, and the management rules as configured (FUNDS_DEFINITIONS says how each figure is
    computed)."""
    projects = list(
        BudgetProject.objects.filter(subdistrict=subdistrict, year=year).order_by("name", "id")
    )
    ids = [p.pk for p in projects]
    names = {p.pk: p.name for p in projects}
    allocations = [
        AllocationRow(
            project=names[a.project_id],
            kind=a.kind,
            kind_label=str(a.get_kind_display()),
            date=a.date,
            document_no=a.document_no,
            amount=a.amount,
            note=a.note,
        )
        for a in Allocation.objects.filter(project_id__in=ids).order_by("date", "id")
    ]
    by_allocation: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in allocations:
        by_allocation[row.kind] += row.amount
    spent = {
        r["kind"]: r["s"] or ZERO
        for r in Expenditure.objects.filter(project_id__in=ids)
        .values("kind")
        .annotate(s=Sum("amount"))
        .order_by()
    }
    figures = _figures(by_allocation, spent)
    lines = PayrollLine.objects.filter(
        payroll__project_id__in=ids, payroll__status=PayrollStatus.LOCKED
    )
    per_month = {
        r["payroll__month"]: r["n"]
        for r in lines.values("payroll__month")
        .annotate(n=Count("person", distinct=True))
        .order_by("payroll__month")
    }
    people = lines.values("person").distinct().order_by()
    new_hires = (
        lines.filter(person__start_date__year=year).values("person").distinct().order_by().count()
    )
    bought = {
        r["equipment__category"]: r["n"]
        for r in PurchaseItem.objects.filter(expenditure__project_id__in=ids)
        .values("equipment__category")
        .annotate(n=Count("id"))
        .order_by()
    }
    return FundsSummary(
        year=year,
        projects=[p.name for p in projects],
        allocations=allocations,
        initial=figures.initial,
        adjustments=figures.adjustments,
        allocated=figures.allocated,
        spent=figures.spent,
        spent_by_kind=figures.spent_by_kind,
        balance=figures.balance,
        execution_rate=figures.execution_rate,
        wage_months=len(per_month),
        paid_people=people.count(),
        paid_per_month=per_month,
        new_hires_paid=new_hires,
        equipment_bought={c: bought.get(c, 0) for c in EquipmentCategory.values},
        principles=_lines([p.principles for p in projects]),
        management_rules=_lines([p.management_rules for p in projects]),
    )
