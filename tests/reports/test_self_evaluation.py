"""The annual self-evaluation report (绩效自评报告), written from a hand-built 2019 of 洛龙街道.

The year: 62.53万元 (59.75万 initial budget + 2.78万 fiscal adjustment), two locked wage months,
two computers bought and held at the centre (a third retired in June, a fourth bought in 2020),
cases in 2018 and 2019, one linkage call, and the cast's staff plus a police officer.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.factories import PersonFactory
from wangge.assets.models import Equipment, EquipmentAssignment
from wangge.cases import rates
from wangge.cases.models import Case
from wangge.cases.selectors import cases_visible
from wangge.core.errors import DomainError, NotFound
from wangge.field.duty.models import DutyDay
from wangge.field.linkage.models import LinkageCall
from wangge.finance import payroll as payroll_module
from wangge.finance.models import (
    Allocation,
    BudgetProject,
    Expenditure,
    Payroll,
    PayrollLine,
    PurchaseItem,
)
from wangge.finance.selectors import (
    FUNDS_DEFINITIONS,
    PAID_MONTHLY_DEFINITION,
    PAID_MONTHLY_DEFINITION_ZH,
    WAN_DEFINITION,
    funds_summary,
)
from wangge.org.territory import Territory
from wangge.people.models import GridRole, StaffingStandard
from wangge.people.services import role_assign
from wangge.people.turnover import TURNOVER_DEFINITIONS, TURNOVER_DEFINITIONS_ZH, turnover_year
from wangge.reports.document import Document, Paragraph, Table
from wangge.reports.models import ProblemThresholds
from wangge.reports.self_evaluation import equipment_held, self_evaluation, subdistrict_for

TZ = ZoneInfo("Asia/Shanghai")
PROJECT = "五进网格精细化管理经费、专职人员工资"


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), TZ)


def text_of(doc: Document) -> str:
    """Everything a reader sees: title, paragraphs and table cells."""
    parts = [doc.title]
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, Table):
            parts.extend(str(c) for c in block.columns)
            parts.extend(str(c) for row in block.rows for c in row)
    return "\n".join(parts)


def table_with(doc: Document, first_column: str) -> Table:
    return next(b for b in doc.blocks if isinstance(b, Table) and b.columns[0] == first_column)


_numbers = iter(range(1, 10_000))


def make_case(cast, *, reported: dt.datetime, closed: dt.datetime | None, on_time: bool) -> Case:
    """A filed, dispatched case of 吴家营社区东网格, closed (on time or late) or still open."""
    due = reported + dt.timedelta(days=2)
    handled = closed - dt.timedelta(hours=2) if closed else None
    return Case.objects.create(
        number=f"T{next(_numbers):06d}",
        source="supervisor",
        status="closed" if closed else "handling",
        description="暴露垃圾",
        lon=Decimal("102.8475"),
        lat=Decimal("24.875"),
        grid=cast.east,
        community=cast.wujiaying,
        subdistrict=cast.subdistrict,
        reported_at=reported,
        filed_at=reported + dt.timedelta(minutes=30),
        dispatched_at=reported + dt.timedelta(hours=1),
        handled_at=handled,
        closed_at=closed,
        handling_due_at=due,
        on_time=on_time if closed else None,
        tier=2,
    )


@dataclass
class Year:
    cast: object
    project: BudgetProject
    police: object


@pytest.fixture
def year2019(cast) -> Year:
    return build_year(cast)


def build_year(cast) -> Year:
    """The hand-built 2019 (the module's docstring)."""
    sub = cast.subdistrict
    sub.area_km2 = Decimal("17.76")
    sub.built_up_km2 = Decimal("13.32")
    sub.save(update_fields=["area_km2", "built_up_km2"])
    cast.supervisor.start_date = dt.date(2018, 9, 21)  # joined at the pilot's mobilisation
    cast.supervisor.save(update_fields=["start_date"])
    police = PersonFactory(name="民警辛", start_date=dt.date(2019, 3, 1))
    role_assign(person=police, grid=cast.west, role="police", start_date=dt.date(2019, 3, 1))
    StaffingStandard.objects.filter(role="supervisor").update(
        duties="负责按标准在网格内巡查、上报。"
    )

    project = BudgetProject.objects.create(
        subdistrict=sub,
        year=2019,
        name=PROJECT,
        principles="依法管理原则\n厉行节约原则\n合理支出原则\n专款专用原则",
        management_rules="经费按照《洛龙街道财务管理规定》管理和使用。\n按照民主集中制的原则研究。",
    )
    Allocation.objects.create(
        project=project,
        kind="initial",
        amount=Decimal("597500.00"),
        date=dt.date(2019, 1, 15),
        document_no="呈财预〔2019〕1号",
    )
    Allocation.objects.create(
        project=project,
        kind="adjustment",
        amount=Decimal("27800.00"),
        date=dt.date(2019, 8, 20),
        document_no="呈财调〔2019〕45号",
    )
    for month, people in (("2019-01", [cast.supervisor]), ("2019-03", [cast.supervisor, police])):
        spent = Expenditure.objects.create(
            project=project,
            kind="wages",
            amount=Decimal("3000.00") * len(people),
            date=dt.date(2019, int(month[5:]), 28),
            description=f"{month} 工资",
        )
        payroll = Payroll.objects.create(
            project=project, month=month, status="locked", expenditure=spent
        )
        for person in people:
            PayrollLine.objects.create(
                payroll=payroll, person=person, days=30, base=Decimal("3000.00")
            )
    purchase = Expenditure.objects.create(
        project=project,
        kind="equipment",
        amount=Decimal("9998.00"),
        date=dt.date(2019, 3, 1),
        description="台式电脑2台",
    )
    for n in (1, 2):
        pc = Equipment.objects.create(
            category="computer",
            name="台式电脑",
            serial=f"PC-{n}",
            purchased_on=dt.date(2019, 3, 1),
            status="in_use",
            center=cast.center,
        )
        EquipmentAssignment.objects.create(
            equipment=pc, center=cast.center, started_at=at(dt.date(2019, 3, 5))
        )
        PurchaseItem.objects.create(expenditure=purchase, equipment=pc)
    old = Equipment.objects.create(
        category="computer", name="旧电脑", purchased_on=dt.date(2016, 1, 1), status="retired"
    )
    EquipmentAssignment.objects.create(
        equipment=old,
        center=cast.center,
        started_at=at(dt.date(2018, 9, 21)),
        ended_at=at(dt.date(2019, 6, 1)),
    )
    EquipmentAssignment.objects.create(equipment=old, started_at=at(dt.date(2019, 6, 1)))
    later = Equipment.objects.create(
        category="computer", name="新电脑", purchased_on=dt.date(2020, 2, 1), status="in_use"
    )
    EquipmentAssignment.objects.create(
        equipment=later, center=cast.center, started_at=at(dt.date(2019, 12, 30))
    )

    # 2018: 2 cases, 1 on time. 2019: 4 cases, 3 on time, 1 late.
    make_case(cast, reported=at(dt.date(2018, 5, 2)), closed=at(dt.date(2018, 5, 3)), on_time=True)
    make_case(cast, reported=at(dt.date(2018, 6, 2)), closed=at(dt.date(2018, 6, 9)), on_time=False)
    for day in (dt.date(2019, 4, 1), dt.date(2019, 5, 6), dt.date(2019, 9, 2)):
        make_case(cast, reported=at(day), closed=at(day, 15), on_time=True)
    make_case(
        cast, reported=at(dt.date(2019, 10, 8)), closed=at(dt.date(2019, 10, 18)), on_time=False
    )
    return Year(cast=cast, project=project, police=police)


def call(cast, *, minutes_to_arrive: int) -> LinkageCall:
    case = Case.objects.filter(subdistrict=cast.subdistrict).order_by("reported_at").last()
    called = at(dt.date(2019, 10, 8), 10)
    return LinkageCall.objects.create(
        case=case,
        grid=cast.east,
        role="sanitation",
        status="arrived",
        called_at=called,
        acknowledged_at=called + dt.timedelta(minutes=2),
        arrived_at=called + dt.timedelta(minutes=minutes_to_arrive),
    )


def relaxed(**limits: object) -> ProblemThresholds:
    """Thresholds nothing in the hand-built year crosses, but for those given."""
    values: dict[str, object] = {
        "max_turnover_rate": Decimal("1"),
        "max_temporary_share": Decimal("1"),
        "max_linkage_response_minutes": 600,
        "max_overdue_rate": Decimal("1"),
        "max_open_post_days": 400,
    }
    values.update(limits)
    row = ProblemThresholds(pk=1, **values)
    row.save()
    return row


# --- the report's content ------------------------------------------------------------------


def test_title_and_funds_in_wan_yuan(year2019):
    doc = self_evaluation(year2019.cast.subdistrict, 2019, written_on=dt.date(2020, 3, 17))
    text = text_of(doc)
    assert doc.title == f"洛龙街道2019年区级预算支出 —{PROJECT}绩效自评报告"
    assert f"2019年区级财政安排{PROJECT}经费62.53万元" in text
    assert "年初预算的人员工资59.75万元的基础上，另有2.78万元财政调节经费" in text
    allocations = table_with(doc, "到位日期")
    assert allocations.rows == [
        ["2019年1月15日", "呈财预〔2019〕1号", "年初预算", "59.75"],
        ["2019年8月20日", "呈财调〔2019〕45号", "财政调节经费", "2.78"],
    ]
    # spent 3000 + 6000 wages + 9998 equipment = 18998 → 1.90万, balance 60.63万
    assert "全年支出1.90万元，结余60.63万元，预算执行率3.04%" in text
    assert "依法管理原则、厉行节约原则、合理支出原则、专款专用原则" in text
    assert "（1）经费按照《洛龙街道财务管理规定》管理和使用。" in text
    assert text.endswith("洛龙街道办事处\n2020年3月17日")


def test_area_grids_per_community_and_staff_per_role(year2019):
    text = text_of(self_evaluation(year2019.cast.subdistrict, 2019))
    assert "辖区面积17.76平方公里，建成区面积13.32平方公里" in text
    assert "将基础网格划为3个" in text
    assert "吴家营社区划分为2个，分别是：吴家营社区东网格，吴家营社区西网格" in text
    assert "洛龙社区划分为1个，分别是：洛龙社区南网格" in text
    staff = table_with(self_evaluation(year2019.cast.subdistrict, 2019), "岗位")
    rows = {row[0]: row[1:] for row in staff.rows}
    assert rows["网格监督员"] == [1, "3", "1"]
    assert rows["城管执法人员"] == [2, "6", "0"]
    assert rows["环卫保洁人员"] == [2, "6", "1"]
    assert rows["社区民警"] == [1, "3", "1"]
    assert "共有在岗网格员3人" in text
    # the cast started on 1 January 2019 and the police officer in March: all hired in 2019
    assert "全年新聘网格员3人，离职0人" in text


def test_wages_equipment_and_what_is_held_at_year_end(year2019):
    text = text_of(self_evaluation(year2019.cast.subdistrict, 2019))
    assert "按月、及时发放了2名网格员工资，全年共发放2个月" in text
    # the year's hires of grid staff, as in 一(一) (the cast on 1 January, the police officer
    # in March), not the wage project's new payees (only the police officer)
    assert "新招录网格员3名" in text
    assert "购置了电脑2台" in text
    # the retired computer and the one bought in 2020 are not counted
    assert "共配备电脑2台" in text
    assert equipment_held(year2019.cast.subdistrict, 2019) == {"computer": 2}
    assert equipment_held(year2019.cast.subdistrict, 2018) == {"computer": 1}


def appendix_row(doc: Document, what: str) -> list:
    return next(row for row in table_with(doc, "数值").rows if row[1] == what)


def add_sheet(year: Year, month: str, people: list) -> None:
    sheet = Payroll.objects.create(project=year.project, month=month, status="locked")
    for person in people:
        PayrollLine.objects.create(payroll=sheet, person=person, days=30, base=Decimal("3000"))


def test_paid_monthly_is_the_size_of_most_months_sheets_not_the_largest(year2019):
    cast, police = year2019.cast, year2019.police
    for month in ("2019-04", "2019-05", "2019-06", "2019-08"):
        add_sheet(year2019, month, [cast.supervisor, police])
    # July: the sanitation worker replaced someone mid-month, so three people are on the sheet
    add_sheet(year2019, "2019-07", [cast.supervisor, police, cast.sanitation_other])
    summary = funds_summary(cast.subdistrict, 2019)
    assert max(summary.paid_per_month.values()) == 3  # what the report must not say
    doc = self_evaluation(cast.subdistrict, 2019)
    assert "按月、及时发放了2名网格员工资，全年共发放7个月" in text_of(doc)
    row = appendix_row(doc, "按月发放工资人数")
    assert row[0] == "2"
    assert row[2] == "finance.selectors.FundsSummary.paid_monthly"
    assert row[3] == PAID_MONTHLY_DEFINITION_ZH
    assert row[3].startswith("各月工资表人数的众数（多数月份的发放人数）")


def test_new_hires_are_the_years_hires_of_grid_staff(year2019):
    sub = year2019.cast.subdistrict
    hires = turnover_year(sub, 2019).hires
    assert hires == 3 and funds_summary(sub, 2019).new_hires_paid == 1  # they differ here
    doc = self_evaluation(sub, 2019)
    text = text_of(doc)
    assert f"全年新聘网格员{hires}人" in text
    assert f"2019年街道新招录网格员{hires}名" in text
    row = appendix_row(doc, "全年新招录网格员人数")
    assert row[0] == str(hires)
    assert row[2] == "people.turnover.turnover_year"
    assert row[3] == TURNOVER_DEFINITIONS_ZH["hires"]
    # the wage project's new payees are printed nowhere
    assert not any("工资人数" in r[1] and "新" in r[1] for r in table_with(doc, "数值").rows)


CJK = re.compile(r"[\u4e00-\u9fff]")
# dotted names of modules and fields (finance.selectors.funds_summary, org.Subdistrict.area_km2)
DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+")
ENGLISH_PHRASE = re.compile(r"[A-Za-z]{2,}[ ,;:'’-]+[A-Za-z]{2,}")


def test_no_english_definition_in_the_report(year2019):
    cast = year2019.cast
    # every problem of 五 is found, so that every definition the report can quote is in it
    cast.sanitation_other.employment = "temporary"
    cast.sanitation_other.save(update_fields=["employment"])
    GridRole.objects.filter(person=cast.supervisor).update(end_date=dt.date(2019, 6, 30))
    call(cast, minutes_to_arrive=45)
    DutyDay.objects.create(
        person=cast.supervisor,
        date=dt.date(2019, 5, 6),
        grid=cast.east,
        role="supervisor",
        coverage=0.5,
        computed_at=at(dt.date(2019, 5, 6), 23),
    )
    relaxed(
        max_turnover_rate=Decimal("0.01"),
        max_temporary_share=Decimal("0.01"),
        max_linkage_response_minutes=1,
        max_overdue_rate=Decimal("0.01"),
        max_open_post_days=1,
    )
    doc = self_evaluation(cast.subdistrict, 2019)
    text = text_of(doc)
    assert "人员流动性大" in text and "岗位空缺未能及时补充" in text and "案件超期较多" in text
    english = [
        *FUNDS_DEFINITIONS.values(),
        *TURNOVER_DEFINITIONS.values(),
        *payroll_module.PAYROLL_DEFINITIONS.values(),
        *rates.DEFINITIONS_EN.values(),
        PAID_MONTHLY_DEFINITION,
        WAN_DEFINITION,
    ]
    for sentence in english:
        assert sentence not in text
    assert ENGLISH_PHRASE.findall(DOTTED.sub("", text)) == []
    for row in table_with(doc, "数值").rows:
        assert CJK.search(row[3]), row
        assert not ENGLISH_PHRASE.search(DOTTED.sub("", row[3])), row


def test_organisation_comes_from_the_configured_data(year2019):
    text = text_of(self_evaluation(year2019.cast.subdistrict, 2019))
    assert "一级网格长：副区长区领导丁" in text
    assert "信息采集、事件立案、任务派遣、任务处置、结果反馈、核实结案、综合评价、绩效考核" in text
    assert (
        "（1）轻微易处置：五员及四级网格长巡查中及时发现、及时处置，不进入闭环处置流程（牵头：四级网格长）"
        in text
    )
    assert "核实结案 | 核查结案（已结案） | 已反馈 | 网格监督员" in text.replace("\n", " | ")
    assert "（5）跨部门、跨街道的重大疑难案件" in text and "牵头：一级网格长" in text
    assert "网格监督员工作职责。负责按标准在网格内巡查、上报。" in text
    assert (
        "管理体制（10分）、案件处置（67分）、重点案件督办机制（15分）、城市运行体系建设（8分）"
        in text
    )
    assert "前3名的给予一定奖励，最后2名扣除当年街道对社区目标管理绩效考核兑现奖的3%" in text
    assert (
        "每个基础网格配置网格监督员1名、城管执法人员2名、环卫保洁人员2名、社区民警1名、"
        "社区专职工作人员1名" in text
    )


def test_a_changed_tier_rule_changes_the_report(year2019):
    from wangge.cases.models import TierRule

    TierRule.objects.filter(tier=5).update(leader_level="chief")
    text = text_of(self_evaluation(year2019.cast.subdistrict, 2019))
    assert "（5）跨部门、跨街道的重大疑难案件" in text
    assert "重大的疑难案件：一级网格长召集联席会议专题研究（牵头：总网格长）" in text


def _scheme_version(subject: str, role: str, valid_from: dt.date, *, active: bool = True):
    from wangge.assessment.models import Indicator, Scheme

    old = Scheme.objects.filter(subject=subject, role=role, active=True).earliest("valid_from")
    new = Scheme.objects.create(
        code=old.code,
        name=f"{old.name}（{valid_from:%Y-%m}版）",
        subject=subject,
        role=role,
        period=old.period,
        version=old.version + Scheme.objects.filter(code=old.code).count(),
        valid_from=valid_from,
        active=active,
    )
    Indicator.objects.create(
        scheme=new, code="Z", name="新增指标", max_points=Decimal("5"), order=2, kind="manual"
    )
    Indicator.objects.create(
        scheme=new, code="A", name="首项指标", max_points=Decimal("95"), order=1, kind="manual"
    )
    return new


def test_the_assessment_quotes_the_schemes_in_force_on_31_december(year2019):
    _scheme_version("community", "", dt.date(2019, 7, 1))  # in force from July: quoted
    _scheme_version("community", "", dt.date(2020, 1, 1))  # later: not yet
    _scheme_version("staff", "police", dt.date(2019, 7, 1))
    _scheme_version("staff", "sanitation", dt.date(2019, 7, 1), active=False)  # switched off
    text = text_of(self_evaluation(year2019.cast.subdistrict, 2019))
    assert "按“社区月度考核（2019-07版）”方案每月对各社区进行考核" in text
    assert "考核内容包括：首项指标（95分）、新增指标（5分）。" in text
    assert "2020-01版" not in text
    assert "社区民警按“社区民警月度考核（2019-07版）”（首项指标95分、新增指标5分）" in text
    assert "环卫保洁人员按“环卫保洁人员月度考核”（在岗在线40分" in text
    assert "按“街道各办（中心）年度案件处置考核”方案考核" in text


def pct(value: Decimal | None) -> str:
    assert value is not None
    return f"{value * 100:.2f}%"


def test_performance_figures_equal_the_rates_module(year2019):
    sub = year2019.cast.subdistrict
    cases = cases_visible(Territory(subdistrict_ids=frozenset({sub.pk})))
    this = rates.figures(cases, rates.Period.year(2019))
    last = rates.figures(cases, rates.Period.year(2018))
    assert (this.to_close, this.closed, this.closed_on_time) == (4, 4, 3)  # the data is as meant

    doc = self_evaluation(sub, 2019)
    table = table_with(doc, "指标")
    assert table.columns == ["指标", "2018年", "2019年"]
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["结案率"] == [pct(last.closure_rate), pct(this.closure_rate)]
    assert rows["按期结案率"] == [pct(last.on_time_rate), pct(this.on_time_rate)]
    assert rows["超期率"] == [pct(last.overdue_rate), pct(this.overdue_rate)]
    assert rows["应结案数"] == [str(last.to_close), str(this.to_close)]
    assert rows[rates.LABELS["avg_handling_hours"]] == [
        f"{last.avg_handling_hours:.2f}",
        f"{this.avg_handling_hours:.2f}",
    ]
    text = text_of(doc)
    assert f"结案率{pct(this.closure_rate)}" in text
    assert f"按期结案率{pct(this.on_time_rate)}" in text
    assert "按期结案率比上年提高25.00个百分点" in text  # 50% → 75%


def test_patrol_coverage_and_linkage(year2019):
    sub = year2019.cast.subdistrict
    text = text_of(self_evaluation(sub, 2019))
    assert "本年度无在岗巡查（值班）数据" in text
    assert "本年度无联动呼叫数据" in text
    for day, coverage in ((dt.date(2019, 5, 6), 0.5), (dt.date(2019, 5, 7), 0.7)):
        DutyDay.objects.create(
            person=year2019.cast.supervisor,
            date=day,
            grid=year2019.cast.east,
            role="supervisor",
            coverage=coverage,
            computed_at=at(day, 23),
        )
    call(year2019.cast, minutes_to_arrive=12)
    text = text_of(self_evaluation(sub, 2019))
    assert "全年共统计在岗巡查2人日，平均巡查覆盖率60.00%" in text
    assert "全年发起联动呼叫1次，响应时间中位数2.0分钟，到场时间中位数12.0分钟" in text


def test_every_number_has_a_source_in_the_appendix(year2019):
    doc = self_evaluation(year2019.cast.subdistrict, 2019)
    appendix = table_with(doc, "数值")
    assert appendix.columns == ["数值", "含义", "来源", "口径"]
    sources = {(row[0], row[1]): row[2] for row in appendix.rows}
    assert sources[("62.53", "2019年区级财政安排经费（万元）")] == "finance.selectors.funds_summary"
    assert sources[("3", "基础网格数")].startswith("org.Grid")
    assert sources[("2", "年末在用电脑数")] == "reports.self_evaluation.equipment_held"
    closure = next(row for row in appendix.rows if row[1] == "2019年结案率")
    assert closure[2] == "cases.rates.figures"
    assert closure[3] == rates.DEFINITIONS_ZH["closure_rate"]


# --- 五、存在的问题: only what crosses a threshold --------------------------------------------


def problems(doc: Document) -> str:
    blocks = doc.blocks
    start = next(i for i, b in enumerate(blocks) if getattr(b, "text", "") == "五、存在的问题")
    end = next(i for i, b in enumerate(blocks) if getattr(b, "text", "") == "附录：数据来源")
    return "\n".join(b.text for b in blocks[start + 1 : end] if isinstance(b, Paragraph))


def test_within_every_limit_there_is_no_problem(year2019):
    relaxed()
    text = problems(self_evaluation(year2019.cast.subdistrict, 2019))
    assert "均未发现超出阈值的问题" in text


def test_the_overdue_rate_over_its_limit_is_a_problem(year2019):
    relaxed(max_overdue_rate=Decimal("0.20"))  # 1 of 4 overdue: 25%
    text = problems(self_evaluation(year2019.cast.subdistrict, 2019))
    assert "案件超期较多：全年超期1件，超期率25.00%，超过设定上限20.00%" in text
    relaxed(max_overdue_rate=Decimal("0.25"))
    assert "案件超期较多：" not in problems(self_evaluation(year2019.cast.subdistrict, 2019))


def test_slow_linkage_is_a_problem(year2019):
    call(year2019.cast, minutes_to_arrive=45)
    relaxed(max_linkage_response_minutes=30)
    text = problems(self_evaluation(year2019.cast.subdistrict, 2019))
    assert "工作缺乏有效联动：联动到场时间中位数45.0分钟，超过设定上限30分钟" in text
    relaxed(max_linkage_response_minutes=45)
    assert "工作缺乏有效联动：" not in problems(self_evaluation(year2019.cast.subdistrict, 2019))


def test_turnover_and_temporary_hires_over_their_limits(year2019):
    cast = year2019.cast
    cast.sanitation_other.employment = "temporary"
    cast.sanitation_other.save(update_fields=["employment"])
    GridRole.objects.filter(person=cast.supervisor).update(end_date=dt.date(2019, 6, 30))
    relaxed(max_turnover_rate=Decimal("0.20"), max_temporary_share=Decimal("0.40"))
    text = problems(self_evaluation(cast.subdistrict, 2019))
    assert "人员流动性大：全年离职1人" in text
    # at the year's end: the sanitation worker (temporary) and the police officer
    assert "“五员”大部分为临时聘用人员：年末临时聘用人员占比50.00%，超过设定上限40.00%" in text
    relaxed()
    text = problems(self_evaluation(cast.subdistrict, 2019))
    assert "人员流动性大：" not in text and "大部分为临时聘用人员：" not in text


def test_posts_left_open_too_long_are_a_problem(year2019):
    relaxed(max_open_post_days=300)
    text = problems(self_evaluation(year2019.cast.subdistrict, 2019))
    assert "岗位空缺未能及时补充" in text
    assert "超过300天" in text and "年末仍有" in text
    relaxed(max_open_post_days=365)
    assert "岗位空缺未能及时补充：" not in problems(
        self_evaluation(year2019.cast.subdistrict, 2019)
    )


def test_default_thresholds_without_a_row(db):
    limits = ProblemThresholds.current()
    assert limits.pk == 1 and not ProblemThresholds.objects.exists()
    assert limits.max_turnover_rate == Decimal("0.20")
    assert limits.max_linkage_response_minutes == 30
    assert limits.max_overdue_rate == Decimal("0.05")
    assert limits.max_open_post_days == 30
    assert limits.max_temporary_share == Decimal("0.50")


# --- refusals --------------------------------------------------------------------------------


def test_a_year_without_data_says_what_is_missing(year2019):
    with pytest.raises(DomainError) as err:
        self_evaluation(year2019.cast.subdistrict, 2017)
    assert err.value.message == (
        "no data for 洛龙街道 in 2017: no cases, no budget project, no staff in its grids"
    )


def test_a_year_with_staff_but_no_cases_and_no_budget(year2019):
    with pytest.raises(
        DomainError, match=r"^no data for 洛龙街道 in 2020: no cases, no budget project$"
    ):
        self_evaluation(year2019.cast.subdistrict, 2020)


@pytest.mark.parametrize("year", ["19", "20199", "1800", "year"])
def test_a_malformed_year_is_refused(year2019, year):
    with pytest.raises(DomainError, match="is not a year"):
        self_evaluation(year2019.cast.subdistrict, year)


def test_subdistrict_codes(year2019):
    sub = year2019.cast.subdistrict
    assert subdistrict_for("530114005") == sub
    assert subdistrict_for("005") == sub
    with pytest.raises(NotFound, match="no subdistrict with code 530114009"):
        subdistrict_for("530114009")
    with pytest.raises(DomainError, match="'x5' is not a subdistrict code"):
        subdistrict_for("x5")
    with pytest.raises(NotFound, match="in your territory"):
        subdistrict_for("530114005", Territory.none())
