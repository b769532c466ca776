"""Defaults as data: the six tiers, step time limits, working hours, and the public holidays
and adjusted working days of the State Council's notices (2018, 2019, 2024–2026).
All are editable in the admin; check each new year's notice and add it there.
"""

import datetime as dt

from django.db import migrations

TIERS = [
    (1, "轻微易处置", "五员及四级网格长巡查中及时发现、及时处置，不进入闭环处置流程", "level4", False),
    (2, "需动用大型机械或执法力量", "处置难度较大、范围较广、数量较多，需动用挖掘机、装载机等大型机械或执法力量，但能够及时处置：三级网格长现场指挥，组织五员联动处置", "level3", True),
    (3, "需街道多个办（中心）联动", "需街道层面联动多个办公室（中心）才能处置：二级网格长牵头", "level2", True),
    (4, "区级多部门交叉管辖的一般性案件", "区级多个部门交叉管辖的一般性案件：一级副网格长牵头协调", "level1_deputy", True),
    (5, "跨部门、跨街道的重大疑难案件", "区级多个部门交叉、跨街道且重大的疑难案件：一级网格长召集联席会议专题研究", "level1", True),
    (6, "需协调市级及以上单位", "需协调驻呈贡区市级及以上相关单位（部门）解决：总网格长牵头协调", "chief", True),
]

# Working hours: illustrative limits for the steps around handling (handling itself comes from
# the category's 立案结案标准).
STEPS = {"verify_report": 2, "file": 1, "dispatch": 1, "verify": 4}

PERIODS = [(dt.time(9, 0), dt.time(12, 0)), (dt.time(13, 30), dt.time(17, 30))]


def days(start, end):
    d = start
    while d <= end:
        yield d
        d += dt.timedelta(days=1)


D = dt.date
HOLIDAYS = [
    # 2018
    ("元旦", D(2018, 1, 1), D(2018, 1, 1)),
    ("春节", D(2018, 2, 15), D(2018, 2, 21)),
    ("清明节", D(2018, 4, 5), D(2018, 4, 7)),
    ("劳动节", D(2018, 4, 29), D(2018, 5, 1)),
    ("端午节", D(2018, 6, 16), D(2018, 6, 18)),
    ("中秋节", D(2018, 9, 22), D(2018, 9, 24)),
    ("国庆节", D(2018, 10, 1), D(2018, 10, 7)),
    ("元旦", D(2018, 12, 30), D(2019, 1, 1)),
    # 2019
    ("春节", D(2019, 2, 4), D(2019, 2, 10)),
    ("清明节", D(2019, 4, 5), D(2019, 4, 7)),
    ("劳动节", D(2019, 5, 1), D(2019, 5, 4)),
    ("端午节", D(2019, 6, 7), D(2019, 6, 9)),
    ("中秋节", D(2019, 9, 13), D(2019, 9, 15)),
    ("国庆节", D(2019, 10, 1), D(2019, 10, 7)),
    # 2024
    ("元旦", D(2024, 1, 1), D(2024, 1, 1)),
    ("春节", D(2024, 2, 10), D(2024, 2, 17)),
    ("清明节", D(2024, 4, 4), D(2024, 4, 6)),
    ("劳动节", D(2024, 5, 1), D(2024, 5, 5)),
    ("端午节", D(2024, 6, 10), D(2024, 6, 10)),
    ("中秋节", D(2024, 9, 15), D(2024, 9, 17)),
    ("国庆节", D(2024, 10, 1), D(2024, 10, 7)),
    # 2025
    ("元旦", D(2025, 1, 1), D(2025, 1, 1)),
    ("春节", D(2025, 1, 28), D(2025, 2, 4)),
    ("清明节", D(2025, 4, 4), D(2025, 4, 6)),
    ("劳动节", D(2025, 5, 1), D(2025, 5, 5)),
    ("端午节", D(2025, 5, 31), D(2025, 6, 2)),
    ("国庆节、中秋节", D(2025, 10, 1), D(2025, 10, 8)),
    # 2026
    ("元旦", D(2026, 1, 1), D(2026, 1, 3)),
    ("春节", D(2026, 2, 15), D(2026, 2, 23)),
    ("清明节", D(2026, 4, 4), D(2026, 4, 6)),
    ("劳动节", D(2026, 5, 1), D(2026, 5, 5)),
    ("端午节", D(2026, 6, 19), D(2026, 6, 21)),
    ("中秋节", D(2026, 9, 25), D(2026, 9, 27)),
    ("国庆节", D(2026, 10, 1), D(2026, 10, 7)),
]
WORKDAYS = [
    ("春节调休", D(2018, 2, 11)), ("春节调休", D(2018, 2, 24)), ("清明节调休", D(2018, 4, 8)),
    ("劳动节调休", D(2018, 4, 28)), ("国庆节调休", D(2018, 9, 29)), ("国庆节调休", D(2018, 9, 30)),
    ("元旦调休", D(2018, 12, 29)),
    ("春节调休", D(2019, 2, 2)), ("春节调休", D(2019, 2, 3)), ("劳动节调休", D(2019, 4, 28)),
    ("劳动节调休", D(2019, 5, 5)), ("国庆节调休", D(2019, 9, 29)), ("国庆节调休", D(2019, 10, 12)),
    ("春节调休", D(2024, 2, 4)), ("春节调休", D(2024, 2, 18)), ("清明节调休", D(2024, 4, 7)),
    ("劳动节调休", D(2024, 4, 28)), ("劳动节调休", D(2024, 5, 11)), ("中秋节调休", D(2024, 9, 14)),
    ("国庆节调休", D(2024, 9, 29)), ("国庆节调休", D(2024, 10, 12)),
    ("春节调休", D(2025, 1, 26)), ("春节调休", D(2025, 2, 8)), ("劳动节调休", D(2025, 4, 27)),
    ("国庆节调休", D(2025, 9, 28)), ("国庆节调休", D(2025, 10, 11)),
    ("元旦调休", D(2026, 1, 4)), ("春节调休", D(2026, 2, 14)), ("春节调休", D(2026, 2, 28)),
    ("劳动节调休", D(2026, 5, 9)), ("国庆节调休", D(2026, 9, 20)), ("国庆节调休", D(2026, 10, 10)),
]


def forwards(apps, schema_editor):
    TierRule = apps.get_model("cases", "TierRule")
    StepLimit = apps.get_model("cases", "StepLimit")
    WorkPeriod = apps.get_model("cases", "WorkPeriod")
    CalendarDay = apps.get_model("cases", "CalendarDay")
    for tier, name, description, level, loop in TIERS:
        TierRule.objects.get_or_create(
            tier=tier,
            defaults={"name": name, "description": description, "leader_level": level, "closed_loop": loop},
        )
    for step, hours in STEPS.items():
        StepLimit.objects.get_or_create(step=step, defaults={"hours": hours})
    if not WorkPeriod.objects.exists():
        for start, end in PERIODS:
            WorkPeriod.objects.create(start=start, end=end)
    for name, start, end in HOLIDAYS:
        for day in days(start, end):
            CalendarDay.objects.get_or_create(date=day, defaults={"kind": "holiday", "name": name})
    for name, day in WORKDAYS:
        CalendarDay.objects.get_or_create(date=day, defaults={"kind": "workday", "name": name})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
