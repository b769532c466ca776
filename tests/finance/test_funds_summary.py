"""finance.selectors.funds_summary: the money of 洛龙街道's 2019, built by hand.

The seed: 62.53万元 = 59.75万 initial budget + 2.78万 fiscal adjustment; wages paid monthly;
2 new staff hired; equipment bought. The wage sheets here are made directly with the ORM
(locked Payroll and PayrollLine rows), independent of the payroll services.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from decimal import Decimal

import pytest

from tests.factories import PersonFactory, SubdistrictFactory
from wangge.assets.services import equipment_create
from wangge.finance import services
from wangge.finance.models import Payroll, PayrollLine, PayrollStatus
from wangge.finance.selectors import (
    FUNDS_DEFINITIONS,
    FUNDS_DEFINITIONS_ZH,
    PAID_MONTHLY_DEFINITION_ZH,
    FundsSummary,
    funds_summary,
    to_wan,
)

pytestmark = pytest.mark.django_db


def _sheet(project, month, people, status=PayrollStatus.LOCKED):
    payroll = Payroll.objects.create(project=project, month=month, status=status)
    for person in people:
        PayrollLine.objects.create(payroll=payroll, person=person, days=30, base=Decimal("2450.00"))
    return payroll


@pytest.fixture
def year_2019(cast):
    sub = cast.subdistrict
    wages = services.project_create(
        subdistrict=sub,
        year=2019,
        name="五进网格精细化管理经费",
        principles="专款专用\n按月足额发放",
        management_rules="严格执行财务制度\n资金使用接受审计",
        by_user=None,
    )
    kit = services.project_create(
        subdistrict=sub,
        year=2019,
        name="网格化装备经费",
        principles="专款专用\n厉行节约",
        management_rules="严格执行财务制度",
        by_user=None,
    )
    services.allocation_add(
        wages,
        kind="initial",
        amount="597,500.00",
        date=dt.date(2019, 1, 10),
        document_no="呈财预〔2019〕1号",
        by_user=None,
    )
    services.allocation_add(
        kit,
        kind="adjustment",
        amount="27,800.00",
        date=dt.date(2019, 8, 20),
        document_no="呈财调〔2019〕35号",
        note="新增人员装备",
        by_user=None,
    )
    # Another year and another subdistrict do not count.
    services.allocation_add(
        services.project_create(subdistrict=sub, year=2020, name="经费", by_user=None),
        kind="initial",
        amount="1000",
        date=dt.date(2020, 1, 1),
        by_user=None,
    )
    other = SubdistrictFactory(district=cast.district, code="099", name="吴家营街道")
    services.allocation_add(
        services.project_create(subdistrict=other, year=2019, name="经费", by_user=None),
        kind="initial",
        amount="5000",
        date=dt.date(2019, 1, 1),
        by_user=None,
    )
    handhelds = [
        equipment_create(category="handheld", name="处置通", serial=f"CZT-{n}", value="2000")
        for n in range(2)
    ]
    uniform = equipment_create(category="uniform", name="工作服", value="300")
    services.record_expenditure(
        kit,
        kind="equipment",
        amount="4,300.00",
        date=dt.date(2019, 9, 1),
        description="新增人员装备",
        equipment=[*handhelds, uniform],
        by_user=None,
    )
    services.record_expenditure(
        wages,
        kind="wages",
        amount="9,800.00",
        date=dt.date(2019, 2, 5),
        description="2019-01 工资",
        by_user=None,
    )
    old_a = PersonFactory(name="网格员甲", start_date=dt.date(2017, 3, 1))
    old_b = PersonFactory(name="网格员乙", start_date=dt.date(2018, 6, 1))
    new_c = PersonFactory(name="网格员丙", start_date=dt.date(2019, 2, 1))
    new_d = PersonFactory(name="网格员丁", start_date=dt.date(2019, 3, 1))
    unpaid = PersonFactory(name="网格员戊", start_date=dt.date(2019, 4, 1))
    _sheet(wages, "2019-01", [old_a, old_b])
    _sheet(wages, "2019-02", [old_a, old_b, new_c])
    _sheet(wages, "2019-03", [old_a, new_c, new_d])
    _sheet(wages, "2019-04", [old_a, unpaid], status=PayrollStatus.DRAFT)  # not locked
    return wages, kit


def test_the_2019_funds_add_up_like_the_seed(cast, year_2019):
    s = funds_summary(cast.subdistrict, 2019)
    assert isinstance(s, FundsSummary) and s.year == 2019
    assert s.projects == ["五进网格精细化管理经费", "网格化装备经费"]
    assert s.initial == Decimal("597500.00")
    assert s.adjustments == Decimal("27800.00")
    assert s.allocated == Decimal("625300.00")
    assert (to_wan(s.allocated), to_wan(s.initial), to_wan(s.adjustments)) == (
        Decimal("62.53"),
        Decimal("59.75"),
        Decimal("2.78"),
    )
    assert s.spent == Decimal("14100.00")
    assert s.spent_by_kind == {
        "wages": Decimal("9800.00"),
        "equipment": Decimal("4300.00"),
        "other": Decimal("0.00"),
    }
    assert s.balance == Decimal("611200.00")
    assert s.execution_rate == Decimal("0.0225")  # 14100 / 625300 = 0.02254…


def test_the_allocations_are_listed_by_date_with_their_documents(cast, year_2019):
    rows = funds_summary(cast.subdistrict, 2019).allocations
    assert [(r.project, r.kind, r.date, r.document_no, r.amount) for r in rows] == [
        (
            "五进网格精细化管理经费",
            "initial",
            dt.date(2019, 1, 10),
            "呈财预〔2019〕1号",
            Decimal("597500.00"),
        ),
        (
            "网格化装备经费",
            "adjustment",
            dt.date(2019, 8, 20),
            "呈财调〔2019〕35号",
            Decimal("27800.00"),
        ),
    ]
    assert rows[0].kind_label == "initial budget" and rows[1].note == "新增人员装备"


def test_wages_count_the_people_on_locked_sheets_only(cast, year_2019):
    s = funds_summary(cast.subdistrict, 2019)
    assert s.wage_months == 3
    assert s.paid_people == 4
    assert s.paid_per_month == {"2019-01": 2, "2019-02": 3, "2019-03": 3}
    assert s.new_hires_paid == 2  # 丙 and 丁 started in 2019; 戊 is only on a draft


def test_equipment_bought_is_counted_by_category(cast, year_2019):
    bought = funds_summary(cast.subdistrict, 2019).equipment_bought
    assert bought["handheld"] == 2 and bought["uniform"] == 1
    assert bought["computer"] == 0 and sum(bought.values()) == 3


def test_principles_and_rules_are_the_projects_lines_without_repeats(cast, year_2019):
    s = funds_summary(cast.subdistrict, 2019)
    assert s.principles == ["专款专用", "按月足额发放", "厉行节约"]
    assert s.management_rules == ["严格执行财务制度", "资金使用接受审计"]


def test_a_year_without_projects_is_empty_and_has_no_rate(cast, year_2019):
    s = funds_summary(cast.subdistrict, 2018)
    assert s.projects == [] and s.allocations == []
    assert s.allocated == s.spent == s.balance == Decimal("0.00")
    assert s.execution_rate is None
    assert s.wage_months == s.paid_people == s.new_hires_paid == 0
    assert set(s.spent_by_kind) == {"wages", "equipment", "other"}


def test_paid_monthly_is_the_size_of_most_months_sheets(cast, year_2019):
    s = funds_summary(cast.subdistrict, 2019)
    assert s.paid_monthly == 3  # January 2, February and March 3
    # a mid-month replacement: the leaver and the successor are both on July's sheet
    months = {f"2019-{m:02d}": 20 for m in range(1, 13)} | {"2019-07": 21}
    assert replace(s, paid_per_month=months).paid_monthly == 20
    assert max(months.values()) == 21


def test_paid_monthly_on_a_tie_is_the_larger_and_0_without_sheets(cast, year_2019):
    s = funds_summary(cast.subdistrict, 2019)
    tie = {"2019-01": 19, "2019-02": 19, "2019-03": 20, "2019-04": 20, "2019-05": 21}
    assert replace(s, paid_per_month=tie).paid_monthly == 20
    assert funds_summary(cast.subdistrict, 2018).paid_monthly == 0


def test_every_figure_has_a_definition():
    assert set(FUNDS_DEFINITIONS) == set(FundsSummary.__dataclass_fields__)


CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def test_every_figure_has_a_chinese_definition():
    assert set(FUNDS_DEFINITIONS_ZH) == set(FUNDS_DEFINITIONS)
    for name, text in [*FUNDS_DEFINITIONS_ZH.items(), ("paid_monthly", PAID_MONTHLY_DEFINITION_ZH)]:
        assert CJK.search(text), name
        assert not ENGLISH_WORD.search(text), name
    assert "支出合计 ÷ 到位资金合计" in FUNDS_DEFINITIONS_ZH["execution_rate"]
    assert PAID_MONTHLY_DEFINITION_ZH.startswith("各月工资表人数的众数（多数月份的发放人数）")


@pytest.mark.parametrize(
    ("yuan", "wan"),
    [
        ("625300.00", "62.53"),
        ("597500.00", "59.75"),
        ("27800.00", "2.78"),
        ("50.00", "0.01"),  # 0.005 rounds half up
        ("49.99", "0.00"),
        ("0", "0.00"),
    ],
)
def test_wan_is_yuan_over_ten_thousand_rounded_half_up(yuan, wan):
    assert to_wan(Decimal(yuan)) == Decimal(wan)
