"""The 洛龙街道 demo's money: the seed's 2019 budget project and this year's.

2019 (the seed, 二、项目资金使用及管理情况): 62.53万元 = 59.75万 of wages in the budget at the
start of the year + 2.78万 of fiscal adjustment funds; wages paid monthly to 20 community grid
workers (here: the community worker of each of the 15 grids and one full-time member of staff at
each of the 5 community workstations); the year's 2 new hires equipped (their uniforms, badges and
tools, bought in 2019, are the year's equipment purchase); the rest spent on connecting the five
communities to the e-government network (the seed: 为洛龙街道所辖的五个社区接通电子政务网), so
the project is spent in full. Every amount goes through finance.services and finance.payroll, as
the finance pages would: twelve wage sheets drafted, approved and locked, each booked as wages.

This year: a project with the months that have ended on wage sheets, their performance part from
the published assessment (the wage link), the last ended month left as a draft to approve.

Document numbers are plausible, not real. Run after the equipment and the assessment.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wangge.assets.models import Equipment
from wangge.demo import data
from wangge.demo.builder import MOBILISATION, _name, _person
from wangge.finance import payroll, services
from wangge.finance.models import (
    AllocationKind,
    BudgetProject,
    ExpenditureKind,
    PayrollStatus,
)
from wangge.org.models import Subdistrict, Workstation
from wangge.people.models import GridRole, Person, RoleKind

PROJECT_NAME = "五进网格精细化管理经费、专职人员工资"
PRINCIPLES = "依法管理原则\n厉行节约原则\n合理支出原则\n专款专用原则"
RULES = (
    "经费按照《洛龙街道财务管理规定》管理和使用，街道按照街道财务管理制度进行管理和监督\n"
    "街道做好两项费用的会计核算工作，做到支出手续完备，凭证合规、齐全，账目清楚\n"
    "按照民主集中制的原则，召开街道行政办公会议研究"
)
# Monthly base wages (yuan): the grids' community workers and the workstations' staff.
WAGE_COMMUNITY_WORKER = Decimal("2480.00")
WAGE_WORKSTATION = Decimal("2520.00")
ALLOCATIONS_2019 = [
    (
        AllocationKind.INITIAL,
        "597500.00",
        dt.date(2019, 1, 18),
        "呈财预〔2019〕12号",
        "年初预算：人员工资",
    ),
    (
        AllocationKind.ADJUSTMENT,
        "27800.00",
        dt.date(2019, 6, 20),
        "呈财调〔2019〕35号",
        "财政调节经费：保障工作人员及工作装备及时到位",
    ),
]


def _workstation_staff(sub: Subdistrict) -> list[Person]:
    """One full-time member of staff per community workstation (they hold no grid role)."""
    staff = []
    stations = Workstation.objects.filter(community__subdistrict=sub).order_by("community__code")
    for ws in stations:
        key = f"workstation:{ws.community.code}"
        staff.append(
            _person(
                key,
                _name(key),
                employment="temporary",
                workstation=ws,
                start_date=MOBILISATION,
                title=f"{ws.community.name}网格化管理工作站专职工作人员",
            )
        )
    return staff


def _year_payees(project: BudgetProject, sub: Subdistrict, year: int, user: User | None) -> None:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    roles = (
        GridRole.objects.filter(
            grid__community__subdistrict=sub,
            role=RoleKind.COMMUNITY_WORKER,
            start_date__lte=last,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .select_related("person")
        .order_by("grid__code", "start_date")
    )
    for held in roles:
        payroll.payee_add(
            project,
            person=held.person,
            role=RoleKind.COMMUNITY_WORKER,
            base_wage=WAGE_COMMUNITY_WORKER,
            start=max(held.start_date, first),
            end=min(held.end_date, last) if held.end_date else None,
            by_user=user,
        )
    for person in _workstation_staff(sub):
        start = max(person.start_date or first, first)
        payroll.payee_add(
            project, person=person, role="", base_wage=WAGE_WORKSTATION, start=start, by_user=user
        )


def _months(year: int, until: dt.date) -> list[str]:
    return [f"{year}-{m:02d}" for m in range(1, 13) if dt.date(year, m, 1) <= until]


def _lock_months(project: BudgetProject, months: list[str], user: User | None) -> None:
    for month in months:
        sheet = payroll.payroll_draft(project, month, by_user=user)
        payroll.approve(sheet, by_user=user)
        payroll.lock(sheet, by_user=user)


def _project_2019(sub: Subdistrict, user: User | None) -> BudgetProject:
    project = services.project_create(
        subdistrict=sub,
        year=2019,
        name=PROJECT_NAME,
        principles=PRINCIPLES,
        management_rules=RULES,
        by_user=user,
    )
    for kind, amount, day, number, note in ALLOCATIONS_2019:
        services.allocation_add(
            project, kind=kind, amount=amount, date=day, document_no=number, note=note, by_user=user
        )
    _year_payees(project, sub, 2019, user)
    # The new hires' kit, bought in 2019 (demo.equipment issues it): one purchase per hire.
    kit = Equipment.objects.filter(
        purchased_on__year=2019, category__in=["uniform", "badge", "tool"]
    ).order_by("purchased_on", "pk")
    by_day: dict[dt.date, list[Equipment]] = {}
    for item in kit:
        assert item.purchased_on is not None
        by_day.setdefault(item.purchased_on, []).append(item)
    for n, (day, items) in enumerate(sorted(by_day.items()), 1):
        services.record_expenditure(
            project,
            kind=ExpenditureKind.EQUIPMENT,
            amount=sum((i.value for i in items), Decimal("0.00")),
            date=day,
            description="新招录网格员装备：服装、工作证、处置工具",
            voucher_no=f"2019-ZB-{n:03d}",
            equipment=items,
            by_user=user,
        )
    _lock_months(project, _months(2019, dt.date(2019, 12, 31)), user)
    rest = services.project_balance(project)
    if rest > 0:
        services.record_expenditure(
            project,
            kind=ExpenditureKind.OTHER,
            amount=rest,
            date=dt.date(2019, 12, 20),
            description="五个社区接通电子政务网（线路租用及设备安装）",
            voucher_no="2019-QT-001",
            by_user=user,
        )
    return project


def _project_this_year(sub: Subdistrict, today: dt.date, user: User | None) -> BudgetProject | None:
    year = today.year
    last_ended = today.replace(day=1) - dt.timedelta(days=1)
    if last_ended.year != year:  # January: no month of this year has ended
        return None
    project = services.project_create(
        subdistrict=sub,
        year=year,
        name=PROJECT_NAME,
        principles=PRINCIPLES,
        management_rules=RULES,
        by_user=user,
    )
    services.allocation_add(
        project,
        kind=AllocationKind.INITIAL,
        amount="640000.00",
        date=dt.date(year, 1, 20),
        document_no=f"呈财预〔{year}〕9号",
        note="年初预算：人员工资",
        by_user=user,
    )
    _year_payees(project, sub, year, user)
    months = _months(year, last_ended)
    _lock_months(project, months[:-1], user)
    payroll.payroll_draft(project, months[-1], by_user=user)
    return project


@transaction.atomic
def build_finance(now: dt.datetime) -> str:
    """Load the 2019 and this year's budget projects and wage sheets; a one-line summary."""
    sub = Subdistrict.objects.filter(name=data.SUBDISTRICT_NAME).first()
    if sub is None:
        return "finance: no demo subdistrict yet, skipped"
    if BudgetProject.objects.filter(subdistrict=sub).exists():
        return "finance: already loaded, skipped"
    user = User.objects.filter(username="finance").first()
    project = _project_2019(sub, user)
    current = _project_this_year(sub, timezone.localdate(now), user)
    locked = project.payrolls.filter(status=PayrollStatus.LOCKED).count()
    allocated = sum((a.amount for a in project.allocations.all()), Decimal("0.00"))
    line = (
        f"finance: 2019 {PROJECT_NAME} {services.yuan(allocated)} yuan, {locked} wage sheets locked"
    )
    if current is not None:
        line += f"; {current.year}: {current.payrolls.count()} wage sheets (the last a draft)"
    return line
