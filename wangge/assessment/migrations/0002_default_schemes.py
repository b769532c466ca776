"""The default schemes (seed 三.4, standards.md §4), the year-end rule and the wage bands.

All editable in the admin; a scheme whose points do not add up is refused when assessed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import migrations

VALID_FROM = dt.date(2018, 1, 1)
FULL = "没有可计的数据时（如当月无应结案件）得满分：无所欠，亦无所失。"
ZERO_EMPTY = "没有可计的数据时得 0 分。"

# (code, name, points, kind, source, curve, description, children)
Item = tuple[str, str, int, str, str, dict[str, Any], str, list[Any]]

COMMUNITY: list[Item] = [
    ("MGMT", "管理体制", 10, "manual", "", {}, "考核组评分：网格化管理机构、人员、制度落实情况（需附依据）。", []),
    (
        "CASES", "案件处置", 67, "computed", "", {}, "由以下四项按 rates 模块的案件指标计算。",
        [
            ("CLOSURE", "结案率", 25, "computed", "community.closure_rate",
             {"type": "linear", "zero_at": 0.6, "full_at": 1.0, "empty": "full"},
             "结案数/应结案数。曲线：60% 及以下 0 分，100% 满分，其间线性。" + FULL, []),
            ("ON_TIME", "按期结案率", 25, "computed", "community.on_time_rate",
             {"type": "linear", "zero_at": 0.6, "full_at": 1.0, "empty": "full"},
             "按期结案数/应结案数。曲线：60% 及以下 0 分，100% 满分，其间线性。" + FULL, []),
            ("REWORK", "返工率", 9, "computed", "community.rework_rate",
             {"type": "inverse", "empty": "full"},
             "返工数/应结案数。曲线：(1 − 返工率) × 9。" + FULL, []),
            ("OVERDUE", "超期率", 8, "computed", "community.overdue_rate",
             {"type": "inverse", "empty": "full"},
             "超期数/应结案数。曲线：(1 − 超期率) × 8。" + FULL, []),
        ],
    ),
    ("KEY", "重点案件督办机制", 15, "computed", "community.key_oversight_rate",
     {"type": "linear", "zero_at": 0, "full_at": 1, "empty": "full"},
     "计算项：当月到期的督办令中按期办结的比例 × 15（督办令按案件所在社区计）。"
     "当月无到期督办令时满分。", []),
    ("OPS", "城市运行体系建设", 8, "manual", "", {}, "考核组评分（需附依据）。", []),
]

UNIT: list[Item] = [
    ("HANDLING", "处置率", 30, "computed", "unit.closure_rate",
     {"type": "linear", "zero_at": 0, "full_at": 1, "empty": "full"},
     "处置率 × 30（金牛区公式）。rates 模块没有“处置数”，此处以 结案数/应结案数 计。" + FULL, []),
    ("ON_TIME", "按期处置率", 20, "computed", "unit.on_time_handling_rate",
     {"type": "linear", "zero_at": 0, "full_at": 1, "empty": "full"},
     "按期处置数/应处置数 × 20。" + FULL, []),
    ("REWORK", "返工率", 20, "computed", "unit.rework_rate", {"type": "inverse", "empty": "full"},
     "(1 − 返工数/应结案数) × 20。" + FULL, []),
    ("OVERDUE", "超期待处置率", 20, "computed", "unit.overdue_open_rate",
     {"type": "inverse", "empty": "full"},
     "(1 − 超期未结案数/应结案数) × 20。" + FULL, []),
    ("EXTENDED", "延期率", 10, "computed", "unit.extension_rate",
     {"type": "inverse", "empty": "full"}, "(1 − 延期数/应处置数) × 10。" + FULL, []),
]


def staff_items() -> list[Item]:
    return [
        ("ONLINE", "在岗在线", 40, "computed", "staff.online_share",
         {"type": "linear", "zero_at": 0.6, "full_at": 1.0, "empty": "full"},
         "在线分钟/计划班次分钟。曲线：60% 及以下 0 分，100% 满分，其间线性。"
         "当月没有计划班次时满分。", []),
        ("REPORTS", "有效上报", 20, "computed", "staff.valid_report_rate",
         {"type": "linear", "zero_at": 0, "full_at": 1, "empty": "zero"},
         "立案数/上报数 × 20。当月没有上报时 0 分（问题上报是本职）。", []),
        ("HANDLING", "按期处置", 20, "computed", "staff.on_time_handling_rate",
         {"type": "linear", "zero_at": 0, "full_at": 1, "empty": "full"},
         "本人处置案件的按期处置率 × 20。当月无应处置案件时满分。", []),
        (
            "DEDUCT", "扣分项", 20, "deduction", "", {}, "脱岗、漏岗、在岗不履职扣分，扣完为止。",
            [
                ("OFF_POST", "脱岗", 8, "deduction", "staff.off_post_hours",
                 {"type": "per_unit", "points": 1, "cap": 8}, "每脱岗 1 小时扣 1 分，扣完 8 分为止。", []),
                ("MISSED", "漏岗", 6, "deduction", "staff.missed_shifts",
                 {"type": "per_unit", "points": 2, "cap": 6}, "每漏岗 1 班扣 2 分，扣完 6 分为止。", []),
                ("NEGLECT", "检查发现脱岗或不履职", 6, "deduction", "staff.inspection_findings",
                 {"type": "per_unit", "points": 3, "cap": 6},
                 "网格长抽查每发现 1 次脱岗或在岗不履职扣 3 分，扣完 6 分为止。", []),
            ],
        ),
    ]


ROLES = {
    "supervisor": "网格监督员",
    "enforcer": "城管执法人员",
    "sanitation": "环卫保洁人员",
    "police": "社区民警",
    "community_worker": "社区工作人员",
}

STANDARD_SUPERVISOR: list[Item] = [
    ("VALID", "有效上报率", 40, "computed", "staff.valid_report_rate",
     {"type": "linear", "zero_at": 0, "full_at": 1, "empty": "zero"}, "有效上报数/监督员上报数 × 40。", []),
    ("MISSED", "漏报率", 20, "manual", "", {}, "(1 − 漏报数/立案数) × 20，考核组按核查结果评分。", []),
    ("VERIFY", "按时核实率", 20, "manual", "", {}, "按时核实数/应核实数 × 20。", []),
    ("CHECK", "按时核查率", 20, "manual", "", {}, "按时核查数/应核查数 × 20。", []),
]
STANDARD_DISPATCHER: list[Item] = [
    ("COUNT", "派遣数分值", 20, "manual", "", {}, "派遣数分值 × 20%。", []),
    ("ON_TIME", "按时派遣率", 40, "manual", "", {}, "按时派遣数/应派遣数 × 40。", []),
    ("ACCURATE", "准确派遣率", 40, "manual", "", {}, "(派遣数 − 返工数)/应派遣数 × 40。", []),
]
STANDARD_INTAKE: list[Item] = [
    ("COUNT", "受理数分值", 25, "manual", "", {}, "受理数分值：>2001→100，1201–2000→90，501–1200→75，301–500→60，其余 0；× 25%。", []),
    ("VERIFY", "核实按时派发率", 40, "manual", "", {}, "核实按时派发数/核实应派发数 × 40。", []),
    ("CHECK", "核查按时派发率", 35, "manual", "", {}, "核查按时派发数/核查应派发数 × 35。", []),
]


def _items(
    Indicator: Any, scheme: Any, items: list[Item], parent: Any = None, counter: list[int] | None = None
) -> None:
    counter = counter if counter is not None else [0]
    for code, name, points, kind, source, curve, description, children in items:
        counter[0] += 10
        row = Indicator.objects.create(
            scheme=scheme,
            parent=parent,
            code=code,
            name=name,
            max_points=Decimal(points),
            order=counter[0],
            kind=kind,
            source=source,
            curve=curve,
            evidence_required=kind == "manual",
            description=description,
        )
        _items(Indicator, scheme, children, row, counter)


def forwards(apps: Any, schema_editor: Any) -> None:
    Scheme = apps.get_model("assessment", "Scheme")
    Indicator = apps.get_model("assessment", "Indicator")

    def scheme(code: str, name: str, subject: str, role: str, period: str, active: bool,
               items: list[Item], description: str = "") -> None:
        if Scheme.objects.filter(code=code).exists():
            return
        row = Scheme.objects.create(
            code=code, name=name, subject=subject, role=role, period=period, version=1,
            total_points=Decimal(100), valid_from=VALID_FROM, active=active,
            description=description,
        )
        _items(Indicator, row, items)

    scheme("community-monthly", "社区月度考核", "community", "", "monthly", True, COMMUNITY,
           "种子 三.4（1）：管理体制 10、案件处置 67、重点案件督办机制 15、城市运行体系建设 8。")
    scheme("office-yearly", "街道各办（中心）年度案件处置考核", "unit", "", "yearly", True, UNIT,
           "standards.md §4.2 金牛区公式。")
    for role, label in ROLES.items():
        scheme(f"staff-{role}", f"{label}月度考核", "staff", role, "monthly", True, staff_items(),
               "种子 三.4（3）：在岗在线、问题上报、案件处置、脱岗、漏岗、在岗不履职。")
    scheme("std-supervisor", "监督员考核（标准 §4.1，备选）", "staff", "supervisor", "monthly",
           False, STANDARD_SUPERVISOR, "standards.md §4.1 综合指标值。备选方案，默认不启用。")
    scheme("std-dispatcher", "派遣员考核（标准 §4.1，备选）", "staff", "", "monthly", False,
           STANDARD_DISPATCHER, "standards.md §4.1。派遣员不是五员之一：启用前须设定对象。")
    scheme("std-intake", "受理员考核（标准 §4.1，备选）", "staff", "", "monthly", False,
           STANDARD_INTAKE, "standards.md §4.1。受理员不是五员之一：启用前须设定对象。")

    YearEndRule = apps.get_model("assessment", "YearEndRule")
    YearEndRule.objects.get_or_create(
        pk=1, defaults={"top_n": 3, "bottom_n": 2, "deduction_percent": Decimal("3.00")}
    )
    WageBase = apps.get_model("assessment", "WageBase")
    WageBand = apps.get_model("assessment", "WageBand")
    for role, amount in (("community_worker", "1000.00"), ("enforcer", "1200.00")):
        WageBase.objects.get_or_create(role=role, defaults={"amount": Decimal(amount)})
        for min_score, coefficient, label in (
            ("90", "1.20", "≥90"),
            ("80", "1.00", "80–90"),
            ("60", "0.80", "60–80"),
            ("0", "0.60", "<60"),
        ):
            WageBand.objects.get_or_create(
                role=role,
                min_score=Decimal(min_score),
                defaults={"coefficient": Decimal(coefficient), "label": label},
            )


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
