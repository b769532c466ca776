"""The annual performance self-evaluation report (项目支出绩效自评报告), written from the data.

``self_evaluation(subdistrict, year)`` returns a :class:`~wangge.reports.document.Document`
that follows the seed's structure (洛龙街道 2019):

  一、项目基本情况      area, base grids per community with their names, staff per role, funds
  二、项目资金使用及管理情况  allocations, wages, equipment, spending, balance, the rules
  三、项目组织和实施情况   leader chain, the eight-step workflow and six tiers, duties, assessment,
                          staffing standard
  四、项目绩效情况       case figures against the previous year (cases.rates), patrol coverage
                          (duty days), linkage response times (field.linkage)
  五、存在的问题        only what crosses a limit of ``ProblemThresholds``
  附录：数据来源         one row per number printed: the number, what it is, where it comes from

The report is an official Chinese document, so its text is Chinese whatever the interface
language. Every number is read from the other apps' selectors (funds: ``finance.selectors``;
turnover: ``people.turnover``; case figures: ``cases.rates``); this module only lays them out and
compares them with the thresholds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from wangge.assessment.models import Indicator, Scheme, WageBase, YearEndRule
from wangge.assets.models import Equipment, EquipmentAssignment, EquipmentCategory
from wangge.cases import rates
from wangge.cases.models import Case, CaseStatus, TierRule
from wangge.cases.selectors import cases_visible
from wangge.cases.workflow import TRANSITIONS
from wangge.core.errors import DomainError, NotFound
from wangge.field.duty.models import DutyDay
from wangge.field.linkage.selectors import response_times
from wangge.finance.models import AllocationKind, BudgetProject
from wangge.finance.selectors import (
    FUNDS_DEFINITIONS_ZH,
    PAID_MONTHLY_DEFINITION_ZH,
    FundsSummary,
    funds_summary,
    to_wan,
)
from wangge.org.models import Grid, Subdistrict
from wangge.org.territory import Territory
from wangge.people.models import (
    GridRole,
    LeaderLevel,
    LeaderPost,
    Person,
    RoleKind,
    StaffingStandard,
)
from wangge.people.turnover import TURNOVER_DEFINITIONS_ZH, TurnoverFigures, turnover_year
from wangge.reports.document import Document, Heading, Paragraph, Table
from wangge.reports.models import ProblemThresholds

NUMERALS = "一二三四五六七八九十"
CENT = Decimal("0.01")

# The roles' names in the report, in the seed's order (三.5: 1/2/2/1/1).
ROLE_NAMES: dict[str, str] = {
    RoleKind.SUPERVISOR.value: "网格监督员",
    RoleKind.ENFORCER.value: "城管执法人员",
    RoleKind.SANITATION.value: "环卫保洁人员",
    RoleKind.POLICE.value: "社区民警",
    RoleKind.COMMUNITY_WORKER.value: "社区专职工作人员",
}
LEVEL_NAMES: dict[str, str] = {
    LeaderLevel.CHIEF.value: "总网格长",
    LeaderLevel.LEVEL1.value: "一级网格长",
    LeaderLevel.LEVEL1_DEPUTY.value: "一级副网格长",
    LeaderLevel.LEVEL2.value: "二级网格长",
    LeaderLevel.LEVEL3.value: "三级网格长",
    LeaderLevel.LEVEL4.value: "四级网格长",
}
EQUIPMENT_NAMES: dict[str, tuple[str, str]] = {  # category → (name, measure word)
    EquipmentCategory.COMPUTER.value: ("电脑", "台"),
    EquipmentCategory.ELECTRIC_VAN.value: ("电瓶车", "辆"),
    EquipmentCategory.ELECTRIC_MOTORCYCLE.value: ("电动摩托车", "辆"),
    EquipmentCategory.HANDHELD.value: ("处置通", "台"),
    EquipmentCategory.UNIFORM.value: ("服装", "套"),
    EquipmentCategory.BADGE.value: ("工作证", "个"),
    EquipmentCategory.TOOL.value: ("处置工具", "套"),
    EquipmentCategory.OTHER.value: ("其他装备", "件"),
}
SPENDING_NAMES = {"wages": "人员工资", "equipment": "装备购置", "other": "其他支出"}
ALLOCATION_NAMES = {
    AllocationKind.INITIAL.value: "年初预算",
    AllocationKind.ADJUSTMENT.value: "财政调节经费",
}
# The eight steps (八步工作流程): the step, the state a case is in after it, and the action of
# workflow.TRANSITIONS that takes it there (collection is the report itself: services.report).
EIGHT_STEPS: tuple[tuple[str, str, str | None], ...] = (
    ("信息采集", CaseStatus.REPORTED.value, None),
    ("事件立案", CaseStatus.FILED.value, "file"),
    ("任务派遣", CaseStatus.DISPATCHED.value, "dispatch"),
    ("任务处置", CaseStatus.HANDLING.value, "accept"),
    ("结果反馈", CaseStatus.HANDLED.value, "feedback"),
    ("核实结案", CaseStatus.CLOSED.value, "verify"),
    ("综合评价", CaseStatus.EVALUATED.value, "evaluate"),
    ("绩效考核", CaseStatus.ASSESSED.value, "assess"),
)
STATE_NAMES = {
    CaseStatus.REPORTED.value: "已上报",
    CaseStatus.REJECTED.value: "不予立案",
    CaseStatus.FILED.value: "已立案",
    CaseStatus.DISPATCHED.value: "已派遣",
    CaseStatus.HANDLING.value: "处置中",
    CaseStatus.SUSPENDED.value: "挂账",
    CaseStatus.HANDLED.value: "已反馈",
    CaseStatus.CLOSED.value: "已结案",
    CaseStatus.EVALUATED.value: "已评价",
    CaseStatus.ASSESSED.value: "已考核",
    CaseStatus.SELF_HANDLED.value: "自行处置",
}
CAPACITY_NAMES = {
    "is_intake": "处置中心受理员",
    "is_dispatcher": "处置中心派遣员",
    "is_centre": "处置中心",
    "is_supervisor": "网格监督员",
    "is_five_role": "五员",
    "is_handler": "处置单位或处置人员",
    "is_leader": "网格长",
    "is_level4_leader": "四级网格长",
    "is_level1_leader": "一级网格长",
    "is_system": "系统",
    "is_assessor": "考核组",
}
# Where staff rankings go (seed 三.4(3)); the wage link itself is data (assessment.WageBase).
RANKING_RECIPIENTS = {
    RoleKind.POLICE.value: "通报区公安分局",
    RoleKind.SANITATION.value: "通报区城管局",
    RoleKind.SUPERVISOR.value: "通报区网格中心",
}

HELD = (
    "12月31日由本街道处置中心、社区工作站或在本街道任职的人员持有、且购置日期不晚于当日的装备件数"
    "（按领用记录，遗失、报废或退回库存的不计）。"
)
NO_PROBLEMS = (
    "经对照设定的问题阈值，本年度人员流动、临时聘用、五员联动、案件超期及岗位空缺等方面"
    "均未发现超出阈值的问题。"
)
TIERS = (
    "案件难易程度类别（TierRule）的条数：类别、说明和牵头的网格长层级均为可在管理后台修改的数据。"
)
INDICATOR = "assessment.Indicator.max_points"
THRESHOLD = "存在问题的判定阈值（reports.ProblemThresholds，可在管理后台修改）。"

FUNDS_WHERE = "finance.selectors.funds_summary"
TURNOVER_WHERE = "people.turnover.turnover_year"


# --- small formatting helpers ----------------------------------------------------------------


def percent(value: Decimal | float | None, places: str = "0.01") -> str:
    """A rate 0..1 as a percentage, e.g. Decimal("0.9650") → "96.50%"; "无数据" for None."""
    if value is None:
        return "无数据"
    return f"{(Decimal(str(value)) * 100).quantize(Decimal(places), ROUND_HALF_UP)}%"


def _num(value: Decimal | float | int | None, places: str = "0.01") -> str:
    if value is None:
        return "无数据"
    if isinstance(value, int):
        return str(value)
    return format(Decimal(str(value)).quantize(Decimal(places), ROUND_HALF_UP), "f")


def _date_zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class SourceRow:
    number: str
    what: str
    where: str
    definition: str


@dataclass
class _Sources:
    """The appendix: every number printed, registered as it is written."""

    rows: list[SourceRow] = field(default_factory=list)

    def __call__(self, number: str, what: str, where: str, definition: str = "") -> str:
        self.rows.append(SourceRow(number, what, where, definition))
        return number


# --- reads that belong to this report ------------------------------------------------------------


def subdistrict_for(code: str, territory: Territory | None = None) -> Subdistrict:
    """The subdistrict of a 9-digit code (district + subdistrict), or of a 3-digit code when only
    one subdistrict has it; limited to ``territory`` when given."""
    text = (code or "").strip()
    qs = Subdistrict.objects.select_related("district")
    if territory is not None:
        qs = qs.filter(territory.subdistrict_q()).distinct()
    if re.fullmatch(r"\d{9}", text):
        found = list(qs.filter(district__code=text[:6], code=text[6:]))
    elif re.fullmatch(r"\d{3}", text):
        found = list(qs.filter(code=text))
        if len(found) > 1:
            raise DomainError(
                gettext(
                    "%(code)s is the code of %(n)s subdistricts: give the 9-digit code"
                    " (district + subdistrict)"
                )
                % {"code": text, "n": len(found)},
                field="subdistrict",
            )
    else:
        raise DomainError(
            gettext(
                "%(code)s is not a subdistrict code: use 9 digits (district + subdistrict),"
                " e.g. 530114005"
            )
            % {"code": repr(code)},
            field="subdistrict",
        )
    if not found:
        message = (
            gettext("no subdistrict with code %(code)s in your territory")
            if territory is not None
            else gettext("no subdistrict with code %(code)s")
        )
        raise NotFound(message % {"code": text}, field="subdistrict")
    return found[0]


def _year(value: int | str) -> int:
    return int(rates.Period.year(value).label)


def _missing(subdistrict: Subdistrict, year: int) -> list[str]:
    period = rates.Period.year(year)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    missing = []
    if not Case.objects.filter(
        Q(reported_at__gte=period.start, reported_at__lt=period.end)
        | Q(closed_at__gte=period.start, closed_at__lt=period.end),
        subdistrict=subdistrict,
    ).exists():
        missing.append(gettext("no cases"))
    if not BudgetProject.objects.filter(subdistrict=subdistrict, year=year).exists():
        missing.append(gettext("no budget project"))
    if (
        not GridRole.objects.filter(grid__community__subdistrict=subdistrict, start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .exists()
    ):
        missing.append(gettext("no staff in its grids"))
    return missing


def equipment_held(subdistrict: Subdistrict, year: int) -> dict[str, int]:
    """Equipment per category held in the subdistrict at the end of the year: bought by 31
    December, and with a holder of the subdistrict (its centre, a workstation of its
    communities, or a person working there) at that moment, by the assignment history — so an
    item lost, retired or returned to store by then is not counted."""
    end = rates.Period.year(year).end
    active = EquipmentAssignment.objects.filter(started_at__lt=end).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=end)
    )
    staff = Person.objects.filter(
        Q(roles__grid__community__subdistrict=subdistrict)
        | Q(center__subdistrict=subdistrict)
        | Q(workstation__community__subdistrict=subdistrict)
        | Q(leader_posts__subdistrict=subdistrict)
        | Q(leader_posts__community__subdistrict=subdistrict)
    ).values("pk")
    held = active.filter(
        Q(center__subdistrict=subdistrict)
        | Q(workstation__community__subdistrict=subdistrict)
        | Q(person__in=staff)
    )
    items = Equipment.objects.filter(pk__in=held.values("equipment_id")).filter(
        Q(purchased_on__isnull=True) | Q(purchased_on__lte=dt.date(year, 12, 31))
    )
    counts = dict(items.values_list("category").annotate(n=Count("pk")).order_by())
    return {c: counts[c] for c in EQUIPMENT_NAMES if counts.get(c)}


def _territory(subdistrict: Subdistrict) -> Territory:
    return Territory(subdistrict_ids=frozenset({subdistrict.pk}))


def _cases(subdistrict: Subdistrict) -> QuerySet[Case]:
    return cases_visible(_territory(subdistrict))


# --- the report ---------------------------------------------------------------------------------


@dataclass
class _Report:
    sub: Subdistrict
    year: int
    written_on: dt.date
    doc: Document
    src: _Sources
    funds: FundsSummary
    turnover: TurnoverFigures
    grids: list[Grid]
    now: dt.datetime
    linkage_row: Any = None

    @property
    def office(self) -> str:
        return f"{self.sub.name}办事处"

    @cached_property
    def standards(self) -> dict[str, StaffingStandard]:
        """The staffing standard by role (read once: three sections quote it)."""
        return {s.role: s for s in StaffingStandard.objects.all()}

    # 一、项目基本情况 ----------------------------------------------------------------------------

    def basics(self) -> None:
        S, year = self.src, self.year
        self.doc.add(Heading(1, "一、项目基本情况"), Heading(2, "（一）基本情况"))
        area = self.sub.area
        area_text = (
            S(
                _num(area),
                "辖区面积（平方公里）",
                "org.Subdistrict.area_km2",
                "街道辖区面积，按边界多边形在WGS84椭球面上计算。",
            )
            if area is not None
            else "未登记"
        )
        built = (
            S(
                _num(self.sub.built_up_km2),
                "建成区面积（平方公里）",
                "org.Subdistrict.built_up_km2",
                "登记的建成区面积。",
            )
            if self.sub.built_up_km2 is not None
            else "未登记"
        )
        n_grids = S(
            str(len(self.grids)),
            "基础网格数",
            "org.Grid（本街道各社区的网格）",
            "本街道各社区所辖基础网格的个数。",
        )
        by_community: dict[str, list[str]] = defaultdict(list)
        for g in self.grids:
            by_community[g.community.name].append(g.name)
        parts = []
        for community, names in by_community.items():
            count = S(
                str(len(names)),
                f"{community}网格数",
                "org.Grid",
                f"{community}所辖基础网格的个数。",
            )
            parts.append(f"{community}划分为{count}个，分别是：{'，'.join(names)}")
        text = (
            f"{self.sub.name}辖区面积{area_text}平方公里，建成区面积{built}平方公里，"
            f"按照方便通达、无缝衔接、工作量相对均衡的要求，将基础网格划为{n_grids}个。"
        )
        if parts:
            text += "其中，" + "；".join(parts) + "。"
        funds = self.funds
        total = self._money(funds.allocated, f"{year}年区级财政安排经费（万元）", "allocated")
        project_names = "、".join(funds.projects)
        text += f"{year}年区级财政安排{project_names}经费{total}万元。"
        self.doc.add(Paragraph(text))
        self.staff()
        self.doc.add(Heading(2, "（二）绩效目标设定及指标完成情况"))
        initial = self._money(funds.initial, "年初预算（万元）", "initial")
        adjustments = funds.adjustments
        sentence = f"{year}年除街道年初预算的人员工资{initial}万元的基础上，"
        if adjustments:
            adj = self._money(adjustments, "财政调节经费（万元）", "adjustments")
            sentence += (
                f"另有{adj}万元财政调节经费下达至街道，全面保障了工作人员及工作装备的及时到位。"
            )
        else:
            sentence += "本年度无财政调节经费。"
        self.doc.add(
            Paragraph(sentence),
            Paragraph(
                "资金到位后，街道按照资金支出计划合理安排支出，纳入绩效自评范围，细化自评指标，提高资金使用效率。"
            ),
        )

    def staff(self) -> None:
        S = self.src
        last = dt.date(self.year, 12, 31)
        active = GridRole.objects.active_on(last).filter(grid__in=self.grids)
        counts = dict(active.values_list("role").annotate(n=Count("pk")).order_by())
        standards = self.standards
        rows: list[list[str | int | Decimal | None]] = []
        n = len(self.grids)
        for role, name in ROLE_NAMES.items():
            std = standards.get(role)
            per = std.per_grid if std else 0
            need = S(
                str(per * n),
                f"{name}应配人数",
                "people.StaffingStandard.per_grid × 网格数",
                "每网格配置标准乘以基础网格数。",
            )
            have = S(
                str(counts.get(role, 0)),
                f"{name}年末在岗人数",
                "people.GridRole（12月31日在岗）",
                f"{self.year}年12月31日在本街道网格任职的{name}人数。",
            )
            rows.append([name, per, need, have])
        total = S(
            str(sum(counts.values())),
            "年末在岗网格员总数",
            "people.GridRole（12月31日在岗）",
            "12月31日在本街道网格任职的五员人数之和。",
        )
        self.doc.add(
            Paragraph(
                f"至{self.year}年末，街道各基础网格共有在岗网格员{total}人，按岗位配置情况如下："
            ),
            Table(
                columns=["岗位", "每网格配置标准（人）", "应配人数", "年末在岗人数"],
                rows=rows,
                widths=[2.2, 1.6, 1.2, 1.4],
                align=["left", "center", "center", "center"],
            ),
        )
        t, where, defs = self.turnover, TURNOVER_WHERE, TURNOVER_DEFINITIONS_ZH
        hires = S(str(t.hires), "全年新聘人数", where, defs["hires"])
        departures = S(str(t.departures), "全年离职人数", where, defs["departures"])
        self.doc.add(Paragraph(f"全年新聘网格员{hires}人，离职{departures}人。"))

    def _money(self, amount: Decimal, what: str, key: str) -> str:
        definition = FUNDS_DEFINITIONS_ZH[key]
        return self.src(
            format(to_wan(amount), "f"),
            what,
            FUNDS_WHERE,
            definition.rstrip("。") + "；报告中以万元列示（元÷10000，四舍五入保留两位小数）。",
        )

    # 二、项目资金使用及管理情况 ------------------------------------------------------------------

    def money(self) -> None:
        S, funds, year = self.src, self.funds, self.year
        self.doc.add(
            Heading(1, "二、项目资金使用及管理情况"), Heading(2, "（一）项目资金的到位情况")
        )
        total = format(to_wan(funds.allocated), "f")
        self.doc.add(
            Paragraph(
                f"{year}年区级财政安排{'、'.join(funds.projects)}经费{total}万元，到位明细如下："
            )
        )
        rows: list[list[str | int | Decimal | None]] = []
        for a in funds.allocations:
            amount = self._money(
                a.amount, f"到位资金：{a.document_no or a.kind_label}（万元）", "allocations"
            )
            rows.append(
                [
                    _date_zh(a.date),
                    a.document_no,
                    ALLOCATION_NAMES.get(a.kind, a.kind_label),
                    amount,
                ]
            )
        self.doc.add(
            Table(
                columns=["到位日期", "文号", "类别", "金额（万元）"],
                rows=rows,
                widths=[1.4, 2.4, 1.4, 1.2],
                align=["center", "left", "center", "right"],
            )
        )
        self.doc.add(Heading(2, "（二）项目资金的使用情况"))
        where, defs = FUNDS_WHERE, FUNDS_DEFINITIONS_ZH
        months = S(str(funds.wage_months), "发放工资月数", where, defs["wage_months"])
        # the staff paid every month: the usual sheet's size, not the largest (a mid-month
        # replacement puts both the leaver and the successor on that month's sheet)
        people = S(
            str(funds.paid_monthly),
            "按月发放工资人数",
            "finance.selectors.FundsSummary.paid_monthly",
            PAID_MONTHLY_DEFINITION_ZH,
        )
        if funds.wage_months:
            wages = (
                f"1.做到人员到位。资金到位后我街道按月、及时发放了{people}名网格员工资，"
                f"全年共发放{months}个月。"
            )
        else:
            wages = f"1.做到人员到位。本年度本项目尚无已锁定的工资表（发放工资{months}个月）。"
        self.doc.add(Paragraph(wages))
        # the year's hires of grid staff (as in 一(一)), not the wage project's new payees
        hires = S(
            str(self.turnover.hires),
            "全年新招录网格员人数",
            TURNOVER_WHERE,
            TURNOVER_DEFINITIONS_ZH["hires"],
        )
        bought_def = defs["equipment_bought"]
        bought_parts = []
        for category, count in funds.equipment_bought.items():
            if not count:
                continue
            name, unit = EQUIPMENT_NAMES.get(category, (category, "件"))
            n = S(str(count), f"年内购置{name}数", where, bought_def)
            bought_parts.append(f"{name}{n}{unit}")
        bought = "、".join(bought_parts)
        text = f"2.确保装备到位。{year}年街道新招录网格员{hires}名，保障新招录人员工资的同时"
        text += f"，购置了{bought}。" if bought else "，本年度未以本项目资金购置装备。"
        held_parts = []
        for category, count in equipment_held(self.sub, year).items():
            name, unit = EQUIPMENT_NAMES[category]
            n = S(str(count), f"年末在用{name}数", "reports.self_evaluation.equipment_held", HELD)
            held_parts.append(f"{name}{n}{unit}")
        if held_parts:
            text += f"目前，{self.sub.name}共配备{'；'.join(held_parts)}。"
        self.doc.add(Paragraph(text))
        spent_rows: list[list[str | int | Decimal | None]] = []
        for kind, name in SPENDING_NAMES.items():
            spent = funds.spent_by_kind.get(kind, Decimal("0"))
            spent_rows.append([name, self._money(spent, f"支出：{name}（万元）", "spent_by_kind")])
        spent_rows.append(["合计", self._money(funds.spent, "支出合计（万元）", "spent")])
        balance = self._money(funds.balance, "结余（万元）", "balance")
        rate = S(
            percent(funds.execution_rate),
            "预算执行率",
            where,
            defs["execution_rate"],
        )
        self.doc.add(
            Paragraph(
                f"3.资金支出情况。全年支出{format(to_wan(funds.spent), 'f')}万元，"
                f"结余{balance}万元，预算执行率{rate}。"
            ),
            Table(
                columns=["支出类别", "金额（万元）"],
                rows=spent_rows,
                widths=[2, 1],
                align=["left", "right"],
            ),
        )
        self.doc.add(Heading(2, "（三）项目资金的管理情况"))
        principles = "、".join(p.rstrip("。；;") for p in funds.principles)
        self.doc.add(
            Paragraph(
                f"1.资金的使用原则：{principles}。" if principles else "1.资金的使用原则：未配置。"
            )
        )
        self.doc.add(Paragraph("2.资金的管理办法"))
        if funds.management_rules:
            for k, rule in enumerate(funds.management_rules, 1):
                self.doc.add(Paragraph(f"（{k}）{rule}"))
        else:
            self.doc.add(Paragraph("未配置资金管理办法。"))

    # 三、项目组织和实施情况 ----------------------------------------------------------------------

    def organisation(self) -> None:
        self.doc.add(Heading(1, "三、项目组织和实施情况"))
        self.leaders()
        self.workflow()
        self.duties()
        self.assessment()
        self.staffing()

    def leaders(self) -> None:
        sub = self.sub
        posts = (
            LeaderPost.objects.filter(
                Q(district=sub.district_id)
                | Q(subdistrict=sub)
                | Q(community__subdistrict=sub)
                | Q(grid__community__subdistrict=sub)
            )
            .select_related("person", "community", "grid", "department")
            .order_by("id")
        )
        by_level: dict[str, list[str]] = defaultdict(list)
        for post in posts:
            holder = post.person.name if post.person else "空缺"
            where = post.community.name if post.community else post.grid.name if post.grid else ""
            who = f"{post.title}{holder}" if post.title else holder
            # "吴家营社区社区书记孙建华", not "吴家营社区吴家营社区社区书记孙建华"
            named = where and where not in post.title
            by_level[post.level].append(f"{where}{who}" if named else who)
        parts = [
            f"{LEVEL_NAMES[level]}：{'、'.join(by_level[level])}"
            for level in LEVEL_NAMES
            if by_level.get(level)
        ]
        n = self.src(
            str(sum(len(v) for v in by_level.values())),
            "网格长岗位数",
            "people.LeaderPost",
            "本区、本街道及其社区、网格的各级网格长岗位数（含空缺）。",
        )
        text = (
            "1.建立网格管理制度。全面建立“区、街道、社区、基础网格”四级网格长责任制，"
            f"共设网格长岗位{n}个"
        )
        text += "。" + "；".join(parts) + "。" if parts else "，尚未登记网格长。"
        self.doc.add(Paragraph(text))

    def workflow(self) -> None:
        centre = getattr(self.sub, "center", None)
        name = centre.name if centre is not None else f"{self.sub.name}网格化综合管理处置中心"
        self.doc.add(
            Paragraph(
                f"2.建立案件处置机制。街道设立了{name}，案件派遣按照属地管理原则，"
                "按照“"
                + "、".join(s for s, _, _ in EIGHT_STEPS)
                + "”八步工作流程办理，建立健全“一单式”办理体系："
            )
        )
        rows: list[list[str | int | Decimal | None]] = []
        for n, (step, status, action) in enumerate(EIGHT_STEPS, 1):
            transition = TRANSITIONS.get(action) if action else None
            if action and transition is None:
                continue
            if transition is None:
                rows.append([n, step, "上报（已上报）", "—", "五员、公众、热线等"])
                continue
            sources = "、".join(STATE_NAMES.get(s, s) for s in transition.sources)
            who = "、".join(CAPACITY_NAMES.get(w, w) for w in transition.who)
            entered = STATE_NAMES.get(status, status)
            with translation.override("zh-hans"):
                action = str(transition.label)
            rows.append([n, step, f"{action}（{entered}）", sources, who])
        self.doc.add(
            Table(
                columns=["序号", "步骤", "动作（进入状态）", "前一状态", "执行者"],
                rows=rows,
                widths=[0.6, 1.2, 2.0, 1.6, 2.0],
                align=["center", "left", "left", "left", "left"],
                note="来源：cases.workflow.TRANSITIONS（状态转换表）。",
            )
        )
        tiers = list(TierRule.objects.order_by("tier"))
        count = self.src(str(len(tiers)), "案件处置类别数", "cases.models.TierRule", TIERS)
        self.doc.add(Paragraph(f"并按照案件处置的难易程度将案件分为{count}个类别："))
        for t in tiers:
            leader = LEVEL_NAMES.get(t.leader_level, t.leader_level or "未指定")
            outside = not t.closed_loop and "闭环" not in t.description
            loop = "，不进入网格管理闭环处置流程" if outside else ""
            self.doc.add(
                Paragraph(
                    f"（{t.tier}）{t.name}：{t.description or t.name}（牵头：{leader}{loop}）。"
                )
            )

    def duties(self) -> None:
        self.doc.add(Paragraph("3.建立岗位职责制度。街道对“五员”制定了相应的工作职责："))
        standards = self.standards
        for n, (role, name) in enumerate(ROLE_NAMES.items(), 1):
            std = standards.get(role)
            duties = std.duties.strip() if std is not None else ""
            self.doc.add(Paragraph(f"（{n}）{name}工作职责。{duties or '未配置。'}"))

    def assessment(self) -> None:
        S = self.src
        last = dt.date(self.year, 12, 31)
        self.doc.add(Paragraph("4.建立绩效考核机制。具体考核方式如下："))
        by_subject, by_role, tops = _schemes_in_force(last)
        community = by_subject.get("community")
        if community is None:
            self.doc.add(Paragraph("（1）对各社区的考核：未配置启用的社区考核方案。"))
        else:
            definition = f"考核方案“{community.name}”第{community.version}版的一级指标分值。"
            items = "、".join(
                f"{i.name}（"
                + S(_points(i.max_points), f"社区考核：{i.name}分值", INDICATOR, definition)
                + "分）"
                for i in tops[community.pk]
            )
            cadence = "每月" if community.period == "monthly" else "每年"
            text = (
                f"（1）对各社区的考核：按“{community.name}”方案{cadence}对各社区进行考核，"
                f"考核内容包括：{items}。"
            )
            rule = YearEndRule.objects.filter(pk=1).first() or YearEndRule()
            top = S(
                str(rule.top_n),
                "年度奖励名次（前N名）",
                "assessment.YearEndRule.top_n",
                "年度综合考核排名前N名给予奖励。",
            )
            bottom = S(
                str(rule.bottom_n),
                "年度扣罚名次（后N名）",
                "assessment.YearEndRule.bottom_n",
                "年度综合考核排名最后N名扣罚。",
            )
            pct = S(
                f"{_points(rule.deduction_percent)}%",
                "扣罚比例",
                "assessment.YearEndRule.deduction_percent",
                "扣除当年目标管理绩效考核兑现奖的比例。",
            )
            text += (
                f"考核结果每月进行排名及通报，年度综合考核排名前{top}名的给予一定奖励，"
                f"最后{bottom}名扣除当年街道对社区目标管理绩效考核兑现奖的{pct}，并在一定范围内给予通报批评。"
            )
            self.doc.add(Paragraph(text))
        units = by_subject.get("unit")
        if units is not None:
            self.doc.add(
                Paragraph(
                    f"（2）对街道各办（中心）的考核：按“{units.name}”方案考核，作为年底评先评优的依据。"
                )
            )
        linked = set(WageBase.objects.values_list("role", flat=True))
        parts = []
        for role, name in ROLE_NAMES.items():
            scheme = by_role.get(role)
            if scheme is None:
                continue
            definition = f"考核方案“{scheme.name}”第{scheme.version}版的一级指标分值。"
            items = "、".join(
                i.name
                + S(_points(i.max_points), f"{name}考核：{i.name}分值", INDICATOR, definition)
                + "分"
                for i in tops[scheme.pk]
            )
            use = (
                "排名成绩与月工资挂钩"
                if role in linked
                else RANKING_RECIPIENTS.get(role, "排名通报")
            )
            parts.append(f"{name}按“{scheme.name}”（{items}）每月考核排名，{use}")
        if parts:
            self.doc.add(Paragraph("（3）对网格员的考核：" + "；".join(parts) + "。"))
        else:
            self.doc.add(Paragraph("（3）对网格员的考核：未配置启用的网格员考核方案。"))

    def staffing(self) -> None:
        standards = self.standards
        parts = [
            name
            + self.src(
                str(standards[role].per_grid if role in standards else 0),
                f"每网格{name}配置标准",
                "people.StaffingStandard.per_grid",
                "每个基础网格应配置的该岗位人数。",
            )
            + "名"
            for role, name in ROLE_NAMES.items()
        ]
        self.doc.add(
            Paragraph(
                f"5.实行“5员驱动”。每个基础网格配置{'、'.join(parts)}，实现重心下移，靠前服务，"
                "达到有人巡查、有人报告、有人负责、有人处置、有人督查。"
            )
        )

    # 四、项目绩效情况 ----------------------------------------------------------------------------

    def performance(self) -> rates.Figures:
        S, year = self.src, self.year
        cases = _cases(self.sub)
        this = rates.figures(cases, rates.Period.year(year), now=self.now)
        last = rates.figures(cases, rates.Period.year(year - 1), now=self.now)
        self.doc.add(Heading(1, "四、项目绩效情况"))
        where = "cases.rates.figures"
        rows: list[list[str | int | Decimal | None]] = []
        for name in (
            "to_close",
            "closed",
            "closed_on_time",
            "closure_rate",
            "on_time_rate",
            "overdue_rate",
            "avg_handling_hours",
        ):
            label = rates.LABELS[name]
            definition = rates.DEFINITIONS_ZH[name]
            cells = []
            for y, fig in ((year - 1, last), (year, this)):
                value = getattr(fig, name)
                text = percent(value) if name in rates.RATES else _num(value)
                cells.append(S(text, f"{y}年{label}", where, definition))
            rows.append([label, *cells])
        closure, on_time = percent(this.closure_rate), percent(this.on_time_rate)
        text = (
            f"1.案件处置情况。{year}年应结案{this.to_close}件，结案{this.closed}件，结案率{closure}；"
            f"按期结案{this.closed_on_time}件，按期结案率{on_time}；平均处置时长{_num(this.avg_handling_hours)}工作小时。"
        )
        text += self._compare("结案率", this.closure_rate, last.closure_rate)
        text += self._compare("按期结案率", this.on_time_rate, last.on_time_rate)
        self.doc.add(
            Paragraph(text),
            Table(
                columns=["指标", f"{year - 1}年", f"{year}年"],
                rows=rows,
                widths=[2.4, 1.2, 1.2],
                align=["left", "right", "right"],
                note="口径见附录；数据来源：cases.rates。",
            ),
        )
        self.patrol()
        self.linkage()
        return this

    @staticmethod
    def _compare(label: str, now: Decimal | None, before: Decimal | None) -> str:
        if now is None:
            return ""
        if before is None:
            return f"上年无可比的{label}。"
        diff = ((now - before) * 100).quantize(CENT, ROUND_HALF_UP)
        if diff > 0:
            return f"{label}比上年提高{diff}个百分点。"
        if diff < 0:
            return f"{label}比上年降低{-diff}个百分点。"
        return f"{label}与上年持平。"

    def patrol(self) -> None:
        days = DutyDay.objects.filter(
            date__year=self.year, grid__community__subdistrict=self.sub
        ).aggregate(n=Count("pk"), mean=Avg("coverage"))
        if not days["n"]:
            self.doc.add(Paragraph("2.巡查覆盖情况。本年度无在岗巡查（值班）数据。"))
            return
        n = self.src(
            str(days["n"]),
            "在岗巡查人日数",
            "field.duty.DutyDay",
            "本年度本街道网格内已统计的值班人日数。",
        )
        mean = self.src(
            percent(days["mean"]),
            "平均巡查覆盖率",
            "field.duty.DutyDay.coverage（平均）",
            "每人每日巡查轨迹（两侧缓冲）覆盖其主网格面积的比例，按人日平均（field.duty.summary）。",
        )
        self.doc.add(
            Paragraph(f"2.巡查覆盖情况。全年共统计在岗巡查{n}人日，平均巡查覆盖率{mean}。")
        )

    def linkage(self) -> None:
        """The linkage paragraph; the year's row is kept for the problems section."""
        period = rates.Period.year(self.year)
        rows = response_times(_territory(self.sub), period.start, period.end, by=())
        row = rows[0] if rows else None
        self.linkage_row = row
        if row is None or not row.calls:
            self.doc.add(Paragraph("3.五员联动情况。本年度无联动呼叫数据。"))
            return
        where = "field.linkage.selectors.response_times"
        S = self.src
        calls = S(
            str(row.calls), "联动呼叫次数", where, "本年度本街道网格内的联动呼叫数（不含已取消）。"
        )
        ack = S(
            _num(row.median_ack_min, "0.1"),
            "联动响应时间中位数（分钟）",
            where,
            "从呼叫到被呼叫人确认的分钟数（自然时间）的中位数。",
        )
        arrive = S(
            _num(row.median_arrive_min, "0.1"),
            "联动到场时间中位数（分钟）",
            where,
            "从呼叫到被呼叫人到达现场的分钟数（自然时间）的中位数。",
        )
        self.doc.add(
            Paragraph(
                f"3.五员联动情况。全年发起联动呼叫{calls}次，响应时间中位数{ack}分钟，到场时间中位数{arrive}分钟。"
            )
        )

    # 五、存在的问题 ------------------------------------------------------------------------------

    def problems(self, figures: rates.Figures) -> None:
        S, limits, t = self.src, ProblemThresholds.current(), self.turnover
        tw, td = TURNOVER_WHERE, TURNOVER_DEFINITIONS_ZH

        def limit(text: str, what: str) -> str:
            return S(text, what, "reports.ProblemThresholds", THRESHOLD)

        found: list[str] = []
        if t.turnover_rate is not None and t.turnover_rate > limits.max_turnover_rate:
            value = S(
                percent(t.turnover_rate),
                "年度人员流动率",
                tw,
                td["turnover_rate"],
            )
            cap = limit(percent(limits.max_turnover_rate), "人员流动率上限")
            found.append(
                f"人员流动性大：全年离职{t.departures}人，流动率{value}，超过设定上限{cap}"
            )
        if t.temporary_share is not None and t.temporary_share > limits.max_temporary_share:
            value = S(
                percent(t.temporary_share),
                "临时聘用人员占比",
                tw,
                td["temporary_share"],
            )
            cap = limit(percent(limits.max_temporary_share), "临时聘用人员占比上限")
            found.append(
                f"“五员”大部分为临时聘用人员：年末临时聘用人员占比{value}，超过设定上限{cap}"
            )
        row = self.linkage_row
        arrive = row.median_arrive_min if row is not None else None
        if arrive is not None and arrive > limits.max_linkage_response_minutes:
            cap = limit(str(limits.max_linkage_response_minutes), "联动到场时间上限（分钟）")
            found.append(
                f"工作缺乏有效联动：联动到场时间中位数{_num(arrive, '0.1')}分钟，"
                f"超过设定上限{cap}分钟"
            )
        if figures.overdue_rate is not None and figures.overdue_rate > limits.max_overdue_rate:
            overdue = S(
                str(figures.overdue),
                f"{self.year}年超期数",
                "cases.rates.figures",
                rates.DEFINITIONS_ZH["overdue"],
            )
            value = S(
                percent(figures.overdue_rate),
                f"{self.year}年超期率",
                "cases.rates.figures",
                rates.DEFINITIONS_ZH["overdue_rate"],
            )
            cap = limit(percent(limits.max_overdue_rate), "超期率上限")
            found.append(f"案件超期较多：全年超期{overdue}件，超期率{value}，超过设定上限{cap}")
        long_open = [p for p in t.open_posts if p.days_open > limits.max_open_post_days]
        at_end = [p for p in t.open_posts if p.filled is None]
        # A vacancy is a problem when it stayed open longer than the limit; the sentence also
        # says how many posts are still open at the year's end.
        if long_open:
            longest = max(long_open, key=lambda p: p.days_open)
            n = S(
                str(len(long_open)),
                "空缺超过上限天数的岗位数",
                tw,
                td["open_post"] + td["days_open"],
            )
            cap = limit(str(limits.max_open_post_days), "岗位空缺天数上限")
            text = f"岗位空缺未能及时补充：{n}个岗位空缺超过{cap}天，"
            if at_end:
                n = S(
                    str(len(at_end)),
                    "年末空缺岗位数",
                    tw,
                    td["open_at_end"],
                )
                text += f"年末仍有{n}个岗位空缺，"
            role = ROLE_NAMES.get(longest.role, longest.role_label)
            days = S(
                str(longest.days_open),
                "空缺最久岗位的年内空缺天数",
                tw,
                td["days_open"],
            )
            text += f"空缺最久的为{longest.grid_name}{role}（{days}天）"
            found.append(text)
        self.doc.add(Heading(1, "五、存在的问题"))
        if not found:
            self.doc.add(Paragraph(NO_PROBLEMS))
            return
        for k, problem in enumerate(found, 1):
            self.doc.add(Paragraph(f"{k}.{problem}。"))

    # 附录 ----------------------------------------------------------------------------------------

    def appendix(self) -> None:
        self.doc.add(
            Heading(1, "附录：数据来源"),
            Table(
                columns=["数值", "含义", "来源", "口径"],
                rows=[[r.number, r.what, r.where, r.definition] for r in self.src.rows],
                widths=[1.0, 2.0, 2.2, 3.4],
                align=["right", "left", "left", "left"],
            ),
        )

    def footer(self) -> None:
        self.doc.add(Paragraph(self.office), Paragraph(_date_zh(self.written_on)))


def _schemes_in_force(
    last: dt.date,
) -> tuple[dict[str, Scheme], dict[str, Scheme], dict[int, list[Indicator]]]:
    """The active schemes in force on ``last`` (the latest ``valid_from``, then version): by
    subject, the staff ones by role; and each of those schemes' top-level indicators in order.
    Two queries."""
    by_subject: dict[str, Scheme] = {}
    by_role: dict[str, Scheme] = {}
    for scheme in Scheme.objects.filter(active=True, valid_from__lte=last).order_by(
        "-valid_from", "-version"
    ):
        by_subject.setdefault(scheme.subject, scheme)
        if scheme.subject == "staff" and scheme.role:
            by_role.setdefault(scheme.role, scheme)
    tops: dict[int, list[Indicator]] = defaultdict(list)
    chosen = {s.pk for s in (*by_subject.values(), *by_role.values())}
    for indicator in Indicator.objects.filter(scheme_id__in=chosen, parent__isnull=True).order_by(
        "order", "id"
    ):
        tops[indicator.scheme_id].append(indicator)
    return by_subject, by_role, tops


def _points(value: Decimal) -> str:
    return format(value.normalize() if value == value.to_integral() else value, "f")


def self_evaluation(
    subdistrict: Subdistrict,
    year: int | str,
    *,
    written_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Document:
    """The subdistrict's self-evaluation report of ``year``; a year with no cases, no budget
    project or no staff in the subdistrict is refused with a DomainError naming what is
    missing. ``written_on`` is the date under the signature (today by default)."""
    y = _year(year)
    missing = _missing(subdistrict, y)
    if missing:
        raise DomainError(
            gettext("no data for %(subdistrict)s in %(year)s: %(missing)s")
            % {"subdistrict": subdistrict.name, "year": y, "missing": ", ".join(missing)},
            field="year",
        )
    funds = funds_summary(subdistrict, y)
    turnover = turnover_year(subdistrict, y)
    grids = list(
        Grid.objects.filter(community__subdistrict=subdistrict)
        .select_related("community")
        .order_by("community__code", "code")
    )
    title = f"{subdistrict.name}{y}年区级预算支出 —{'、'.join(funds.projects)}绩效自评报告"
    report = _Report(
        sub=subdistrict,
        year=y,
        written_on=written_on or timezone.localdate(),
        doc=Document(title=title),
        src=_Sources(),
        funds=funds,
        turnover=turnover,
        grids=grids,
        now=now or timezone.now(),
    )
    report.basics()
    report.money()
    report.organisation()
    figures = report.performance()
    report.problems(figures)
    report.appendix()
    report.footer()
    return report.doc


def file_name(subdistrict: Subdistrict, year: int | str, ext: str) -> str:
    """The download's name, e.g. "洛龙街道2019年绩效自评报告.pdf"."""
    return f"{subdistrict.name}{_year(year)}年绩效自评报告.{ext}"
