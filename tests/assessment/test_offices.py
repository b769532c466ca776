"""The yearly assessment of the subdistrict offices (standards.md §4.2, 金牛区 formulas)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.assessment.conftest import TZ, closed_case
from wangge.assessment import selectors
from wangge.assessment.services import assess
from wangge.org.models import HandlingUnit

D = Decimal


def office(cast, name: str, **kw) -> HandlingUnit:
    return HandlingUnit.objects.create(
        level=HandlingUnit.Level.SUBDISTRICT,
        name=name,
        district=cast.district,
        subdistrict=cast.subdistrict,
        **kw,
    )


def test_offices_are_scored_on_the_year_of_their_cases(cast):
    a, b, c = office(cast, "城管办"), office(cast, "规划办"), office(cast, "综治办")
    office(cast, "旧办", active=False)
    HandlingUnit.objects.create(
        level=HandlingUnit.Level.DISTRICT, name="区住建局", district=cast.district
    )
    for case in (closed_case(cast.east, 13), closed_case(cast.east, 14)):
        case.handling_unit = a
        case.save()
    a_case = closed_case(cast.south, 15)
    a_case.handling_unit, a_case.extension_count = a, 1
    a_case.save()
    late = closed_case(cast.south, 16, on_time=False)
    late.handling_unit = b
    late.save()

    runs = assess("2019", now=dt.datetime(2020, 1, 2, tzinfo=TZ))
    assert [r.scheme.code for r in runs] == ["office-yearly"]
    table = selectors.ranking("2019", "unit")
    # 城管办: 处置 3/3 → 30; 按期处置 3/3 → 20; 返工 0 → 20; 超期待处置 0 → 20;
    #   延期 1/3 → (1 − 0.3333) × 10 = 6.667 → 6.67: 96.67.
    # 规划办: 30; 按期处置 0/1 → 0; 20; 超期待处置 0/1 (closed) → 20; 延期 0 → 10: 80.
    # 综治办: no case → full points on every rate: 100. The inactive office and the district
    # department are not assessed.
    assert [(r.name, r.total, r.rank) for r in table.rows] == [
        ("综治办", D("100.00"), 1),
        ("城管办", D("96.67"), 2),
        ("规划办", D("80.00"), 3),
    ]
    assert c.pk == table.rows[0].subject_id
    assert not assess("2019", now=dt.datetime(2020, 1, 2, tzinfo=TZ))[0].is_published
