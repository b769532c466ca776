"""The year's end for a hand-built 2019, and the wage link, every figure worked out by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories import CommunityFactory, PersonFactory
from wangge.assessment import selectors, services
from wangge.assessment.models import (
    AssessmentRun,
    CommunityBonus,
    RunResult,
    RunStatus,
    Scheme,
    WageBand,
    YearEndRule,
)
from wangge.core.errors import DomainError

D = Decimal


def published_month(
    scheme: Scheme, period: str, totals: dict, status=RunStatus.PUBLISHED, version: int = 1
):
    run = AssessmentRun.objects.create(scheme=scheme, period=period, status=status, version=version)
    ranked = services.competition_ranks([(k.pk, D(v)) for k, v in totals.items()])
    names = {k.pk: k.name for k in totals}
    RunResult.objects.bulk_create(
        RunResult(run=run, subject_id=pk, subject_name=names[pk], total=t, rank=r)
        for pk, t, r in ranked
    )
    return run


@pytest.fixture
def five(cast):
    extra = [
        CommunityFactory(subdistrict=cast.subdistrict, code=f"00{n}", name=name)
        for n, name in ((3, "碧潭社区"), (4, "王家营社区"), (5, "白龙潭社区"))
    ]
    return [cast.wujiaying, cast.luolong, *extra]


def test_year_end_ranks_the_mean_of_the_published_months(five):
    wjy, ll, bt, wjy2, bl = five
    scheme = Scheme.objects.get(code="community-monthly")
    published_month(scheme, "2019-01", {wjy: 90, ll: 80, bt: 70, wjy2: 60, bl: 50})
    published_month(scheme, "2019-02", {wjy: 80, ll: 90, bt: 70, wjy2: 61, bl: 40})
    # March: v1 published, then corrected as v2: v2 counts, v1 does not.
    published_month(scheme, "2019-03", {wjy: 0, ll: 0, bt: 0, wjy2: 0, bl: 0})
    published_month(scheme, "2019-03", {wjy: 85, ll: 85, bt: 100, wjy2: 59, bl: 60}, version=2)
    # April is a draft: left out.
    published_month(scheme, "2019-04", {wjy: 0, ll: 0, bt: 0, wjy2: 0, bl: 0}, RunStatus.DRAFT)
    CommunityBonus.objects.create(community=wjy2, year=2019, amount=D("12345.67"))
    CommunityBonus.objects.create(community=bl, year=2019, amount=D("50000"))

    results = services.year_end(2019)
    # Means over 3 months: 吴家营 255/3 = 85; 洛龙 85; 碧潭 240/3 = 80; 王家营 180/3 = 60;
    # 白龙潭 150/3 = 50.
    assert [(r.community_name, r.months, r.mean_total, r.rank) for r in results] == [
        ("吴家营社区", 3, D("85.00"), 1),
        ("洛龙社区", 3, D("85.00"), 1),
        ("碧潭社区", 3, D("80.00"), 3),
        ("王家营社区", 3, D("60.00"), 4),
        ("白龙潭社区", 3, D("50.00"), 5),
    ]
    assert [r.rewarded for r in results] == [True, True, True, False, False]
    assert [r.deducted for r in results] == [False, False, False, True, True]
    # 3% of 12,345.67 = 370.3701 → 370.37; 3% of 50,000 = 1,500.00.
    assert [r.deduction for r in results] == [D(0), D(0), D(0), D("370.37"), D("1500.00")]
    assert selectors.year_end_results(2019) == results


def test_the_year_end_thresholds_are_data(five):
    wjy, ll, bt, wjy2, bl = five
    rule = YearEndRule.load()
    rule.top_n, rule.bottom_n, rule.deduction_percent = 1, 1, D("5.5")
    rule.save()
    scheme = Scheme.objects.get(code="community-monthly")
    published_month(scheme, "2019-07", {wjy: 90, ll: 80, bt: 70, wjy2: 60, bl: 50})
    CommunityBonus.objects.create(community=bl, year=2019, amount=D("10000"))
    results = services.year_end("2019")
    assert [r.rewarded for r in results] == [True, False, False, False, False]
    assert [r.deduction for r in results] == [D(0), D(0), D(0), D(0), D("550.00")]


def test_a_year_without_a_published_month_is_refused(cast):
    with pytest.raises(DomainError, match="no community month of 2019 is published yet"):
        services.year_end(2019)


def test_performance_wages_follow_the_bands(cast):
    scheme = Scheme.objects.get(code="staff-community_worker")
    people = [PersonFactory(name=n) for n in ("甲", "乙", "丙", "丁", "戊")]
    published_month(
        scheme, "2019-05", dict(zip(people, ["95", "90", "89.99", "60", "59.5"], strict=True))
    )
    lines = selectors.performance_wages("2019-05")
    # Base 1,000.00; ≥90 ×1.2, 80–90 ×1.0, 60–80 ×0.8, <60 ×0.6 (the default bands).
    assert [(w.name, w.score, w.rank, w.coefficient, w.amount) for w in lines] == [
        ("甲", D("95.00"), 1, D("1.20"), D("1200.00")),
        ("乙", D("90.00"), 2, D("1.20"), D("1200.00")),
        ("丙", D("89.99"), 3, D("1.00"), D("1000.00")),
        ("丁", D("60.00"), 4, D("0.80"), D("800.00")),
        ("戊", D("59.50"), 5, D("0.60"), D("600.00")),
    ]
    WageBand.objects.filter(role="community_worker", min_score=D(90)).update(coefficient=D("1.35"))
    assert selectors.performance_wages("2019-05")[0].amount == D("1350.00")
    assert selectors.performance_wages("2019-06") == []


def test_a_run_not_linked_to_wages_is_refused(cast):
    scheme = Scheme.objects.get(code="staff-police")
    run = published_month(scheme, "2019-05", {})
    with pytest.raises(DomainError, match="is not linked to wages"):
        services.performance_wage(run)


def test_ties_share_a_rank_and_the_next_rank_skips():
    ranked = services.competition_ranks(
        [("a", D(90)), ("b", D(95)), ("c", D(90)), ("d", D(80)), ("e", D(95))]
    )
    assert [(k, r) for k, _t, r in ranked] == [("b", 1), ("e", 1), ("a", 3), ("c", 3), ("d", 5)]
