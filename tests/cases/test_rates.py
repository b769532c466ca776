"""Case figures against a hand-made set of cases, every expected value worked out by hand.

All times are Kunming local time (Asia/Shanghai). May 2019: Mon 13 – Fri 31 are plain working
days; 1–4 May are the 劳动节 holiday and Sunday 5 May is worked (调休). Working hours are
09:00–12:00 and 13:30–17:30.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.factories import GridFactory
from wangge.cases.models import Case, CaseSource, CaseStatus
from wangge.cases.rates import (
    BY_CHOICES,
    DEFINITIONS,
    DEFINITIONS_EN,
    DEFINITIONS_ZH,
    FIGURES,
    LABELS,
    Figures,
    Period,
    figures,
    figures_by,
    figures_by_keys,
    rate,
)
from wangge.cases.selectors import cases_visible
from wangge.core.errors import DomainError
from wangge.org.models import HandlingUnit
from wangge.org.territory import Territory

TZ = ZoneInfo("Asia/Shanghai")
UTC = dt.UTC
S = CaseStatus
MAY = Period.month("2019-05")
JUNE = Period.month("2019-06")
_numbers = itertools.count(1)


def at(m: int, d: int, h: int = 9, mi: int = 0) -> dt.datetime:
    return dt.datetime(2019, m, d, h, mi, tzinfo=TZ)


def make(grid, status, reported_at, **fields) -> Case:
    fields.setdefault("source", CaseSource.SUPERVISOR)
    return Case.objects.create(
        number=f"2019005{next(_numbers):07d}",
        description="hand-made",
        lon=Decimal("102.85"),
        lat=Decimal("24.875"),
        grid=grid,
        community=grid.community,
        subdistrict=grid.community.subdistrict,
        status=status,
        reported_at=reported_at,
        **fields,
    )


def D(text: str) -> Decimal:
    return Decimal(text)


@pytest.fixture
def cases(cast):
    """The hand-made set (C1…C18). Grids: east and west are 吴家营社区, south is 洛龙社区.

    C   grid  status      filed    due         handled      closed       on time  rework ext
    1   east  closed      5-13     5-14 10:00  5-13 15:00   5-13 16:00   yes
    2   east  evaluated   5-13     5-14 10:00  5-14 09:00   5-14 10:00   yes      2
    3   west  assessed    5-15     5-15 14:00  5-16 09:00   5-16 11:00   no       1      1
    4   west  handling    5-20     5-21 10:00  —            —                             1
    5   south closed      5-28     5-30 10:00  6-03 09:00   6-03 10:00   no    (closed in June)
    6   south closed      5-28     5-29 17:00  5-29 10:00   6-03 09:30   yes   (closed in June)
    7   east  self_handled 5-16 (tier 1, fixed on the spot)
    8   east  rejected    reported 5-17
    9   east  reported    reported 5-31 23:30 (15:30 UTC: still May)
    10  west  reported    reported 6-01 00:30 (16:30 UTC on 31 May: June)
    11  west  handling    4-08     4-19 10:00  —            —     (overdue since April)
    12  west  closed      4-08     4-10 10:00  4-09 10:00   4-09 15:00   yes   (all April)
    13  west  suspended   5-20     5-22 10:00  —            —     (挂账 since 5-21)
    14  east  closed      5-23     6-10 10:00  5-24 09:00   5-24 10:00   yes   (closed early)
    15  south handling    5-27     6-05 10:00  —            —     (not due in May)
    16  east  handled     5-27     6-10 10:00  5-30 09:00   —     (waiting for verification)
    17  south closed      5-21     5-22 10:00  5-22 11:00   5-22 14:00   no
    18  south handled     5-22     5-23 10:00  5-24 10:00   —     (handled late)
    Reported on the filing day at 09:00 (C3 at 09:00, filed 10:00), filed at 09:30, dispatched
    at 10:00 unless said otherwise.
    """
    east, west, south = cast.east, cast.west, cast.south

    def loop(grid, status, day, due, handled=None, closed=None, on_time=None, **kw):
        m, d = day
        kw.setdefault("filed_at", at(m, d, 9, 30))
        kw.setdefault("dispatched_at", at(m, d, 10))
        kw.setdefault("tier", 2)
        return make(
            grid,
            status,
            kw.pop("reported_at", at(m, d)),
            handling_due_at=due,
            handled_at=handled,
            closed_at=closed,
            on_time=on_time,
            **kw,
        )

    c = {}
    c[1] = loop(east, S.CLOSED, (5, 13), at(5, 14, 10), at(5, 13, 15), at(5, 13, 16), True)
    c[2] = loop(
        east, S.EVALUATED, (5, 13), at(5, 14, 10), at(5, 14, 9), at(5, 14, 10), True, rework_count=2
    )
    c[3] = loop(
        west,
        S.ASSESSED,
        (5, 15),
        at(5, 15, 14),
        at(5, 16, 9),
        at(5, 16, 11),
        False,
        filed_at=at(5, 15, 10),
        dispatched_at=at(5, 15, 11),
        rework_count=1,
        extension_count=1,
        tier=3,
    )
    c[4] = loop(west, S.HANDLING, (5, 20), at(5, 21, 10), extension_count=1)
    c[5] = loop(south, S.CLOSED, (5, 28), at(5, 30, 10), at(6, 3, 9), at(6, 3, 10), False)
    c[6] = loop(south, S.CLOSED, (5, 28), at(5, 29, 17), at(5, 29, 10), at(6, 3, 9, 30), True)
    c[7] = make(
        east,
        S.SELF_HANDLED,
        at(5, 16, 10),
        source=CaseSource.FIVE_ROLES,
        tier=1,
        handled_at=at(5, 16, 10),
        closed_at=at(5, 16, 10),
        on_time=True,
    )
    c[8] = make(east, S.REJECTED, at(5, 17))
    c[9] = make(east, S.REPORTED, at(5, 31, 23, 30), source=CaseSource.HOTLINE_12345)
    c[10] = make(west, S.REPORTED, at(6, 1, 0, 30))
    c[11] = loop(west, S.HANDLING, (4, 8), at(4, 19, 10))
    c[12] = loop(west, S.CLOSED, (4, 8), at(4, 10, 10), at(4, 9, 10), at(4, 9, 15), True)
    c[13] = loop(west, S.SUSPENDED, (5, 20), at(5, 22, 10), suspended_since=at(5, 21, 10))
    c[14] = loop(east, S.CLOSED, (5, 23), at(6, 10, 10), at(5, 24, 9), at(5, 24, 10), True)
    c[15] = loop(south, S.HANDLING, (5, 27), at(6, 5, 10))
    c[16] = loop(east, S.HANDLED, (5, 27), at(6, 10, 10), at(5, 30, 9))
    c[17] = loop(south, S.CLOSED, (5, 21), at(5, 22, 10), at(5, 22, 11), at(5, 22, 14), False)
    c[18] = loop(south, S.HANDLED, (5, 22), at(5, 23, 10), at(5, 24, 10))
    return c


def counts(f: Figures) -> dict[str, int]:
    return {k: v for k, v in f.as_dict().items() if isinstance(v, int)}


# --- the whole set ---------------------------------------------------------------------------


def test_may_counts_match_the_hand_computed_values(cast, cases):
    f = figures(cases_visible(Territory.all()), MAY)
    assert counts(f) == {
        # Reported in May, outside the loop's C7: C1-6, C8, C9, C13-18 = 14.
        "reported": 14,
        # C7 only, and in no other figure.
        "self_handled": 1,
        "rejected": 1,  # C8
        # Filed in May: C1-6, C13-18 = 12 (C11 and C12 were filed in April, C9 not yet).
        "filed": 12,
        # Handled in May: C1 C2 C3 C6 C14 C16 C17 C18; due by 1 June and not handled before May:
        # C4 C5 C11. C12 was handled in April; C13 is suspended; C15 falls due in June. = 11.
        "to_handle": 11,
        # Handled by the due time: C1 C2 C6 C14 C16 = 5.
        "handled_on_time": 5,
        "extended": 2,  # C3 C4
        # Closed in May: C1 C2 C3 C14 C17; due by 1 June and open at 1 May: C4 C5 C6 C11 C18
        # (C11 is carried over from April; C13 suspended; C12 closed in April). = 10.
        "to_close": 10,
        "closed": 5,  # C1 C2 C3 C14 C17
        "closed_on_time": 3,  # C1 C2 C14
        "reworked": 2,  # C2 (twice, counted once) and C3
        "reworks": 3,  # 2 + 1
        "closed_late": 2,  # C3 C17
        # Open at the end of May, past due, not handled by it: C4 C5 (handled 3 June) C11 C18
        # (handled late, waiting); not C6 (handled on time, verified in June). = 4.
        "overdue_open": 4,
        "overdue": 6,  # 2 + 4
    }


def test_may_rates_match_the_hand_computed_values(cast, cases):
    f = figures(cases_visible(Territory.all()), MAY)
    assert f.closure_rate == D("0.5000")  # 5 / 10
    assert f.on_time_rate == D("0.3000")  # 3 / 10
    assert f.on_time_handling_rate == D("0.4545")  # 5 / 11 = 0.45454…
    assert f.rework_rate == D("0.2000")  # 2 / 10: reworked cases, not reworks
    assert f.overdue_rate == D("0.6000")  # 6 / 10
    assert f.extension_rate == D("0.1818")  # 2 / 11 = 0.18181…


def test_a_case_due_in_may_and_closed_in_june_counts_as_owed_in_may_and_closed_in_june(cast, cases):
    may = figures(Case.objects.filter(pk=cases[5].pk), MAY)
    june = figures(Case.objects.filter(pk=cases[5].pk), JUNE)
    # May: owed (due 30 May), not closed, overdue (not handled by its due time).
    assert (may.to_close, may.closed, may.overdue_open, may.closed_late) == (1, 0, 1, 0)
    # June: owed because closed in June, closed, but late.
    assert (june.to_close, june.closed, june.closed_on_time, june.closed_late) == (1, 1, 0, 1)
    assert june.filed == 0 and june.reported == 0


def test_june_figures(cast, cases):
    f = figures(Case.objects.all(), JUNE)
    assert f.reported == 1  # C10
    assert f.closed == 2 and f.closed_on_time == 1  # C5 late, C6 on time
    # Closed in June: C5 C6; due by 1 July and open at 1 June: C4 C11 C15 C16 C18
    # (C14 was closed in May; C13 is suspended). = 7.
    assert f.to_close == 7
    assert f.closure_rate == D("0.2857")  # 2 / 7
    assert f.on_time_rate == D("0.1429")  # 1 / 7
    # Overdue: C5 closed late; open and not handled by due: C4 C11 C15 C18 (C16 was handled on
    # time and waits for verification). = 5.
    assert (f.closed_late, f.overdue_open, f.overdue) == (1, 4, 5)


def test_self_handled_cases_are_counted_apart_and_in_nothing_else(cast, cases):
    f = figures(Case.objects.filter(pk=cases[7].pk), MAY)
    assert f.self_handled == 1
    assert {k: v for k, v in counts(f).items() if k != "self_handled"} == dict.fromkeys(
        counts(f).keys() - {"self_handled"}, 0
    )
    assert f.avg_verification_hours is None  # its zero-length steps do not pull averages down


def test_rework_counts_once_per_case_and_reworks_count_every_time(cast, cases):
    f = figures(Case.objects.filter(pk=cases[2].pk), MAY)  # C2: sent back twice
    assert (f.reworked, f.reworks, f.to_close) == (1, 2, 1)
    assert f.rework_rate == D("1.0000")


def test_an_open_case_overdue_since_last_month_is_still_owed_and_overdue(cast, cases):
    f = figures(Case.objects.filter(pk=cases[11].pk), MAY)  # due 19 April, still handling
    assert (f.to_close, f.overdue_open, f.to_handle, f.handled_on_time) == (1, 1, 1, 0)
    april = figures(Case.objects.filter(pk=cases[11].pk), Period.month("2019-04"))
    assert (april.filed, april.to_close, april.overdue_open) == (1, 1, 1)
    # Due in April and closed only in June: it was still owed, and overdue, all through May.
    later = make(
        cast.west,
        S.CLOSED,
        at(4, 8),
        filed_at=at(4, 8, 9, 30),
        dispatched_at=at(4, 8, 10),
        handling_due_at=at(4, 19, 10),
        handled_at=at(6, 10, 10),
        closed_at=at(6, 11, 10),
        on_time=False,
    )
    may = figures(Case.objects.filter(pk=later.pk), MAY)
    assert (may.to_close, may.closed, may.overdue_open) == (1, 0, 1)


def test_a_suspended_case_is_not_owed_while_suspended(cast, cases):
    f = figures(Case.objects.filter(pk=cases[13].pk), MAY)  # due 22 May, 挂账 since 21 May
    assert (f.filed, f.to_close, f.to_handle, f.overdue) == (1, 0, 0, 0)


def test_a_due_time_later_in_a_running_month_is_not_yet_missed(cast):
    case = make(
        cast.east,
        S.HANDLING,
        at(5, 20),
        filed_at=at(5, 20, 9, 30),
        dispatched_at=at(5, 20, 10),
        handling_due_at=at(5, 25, 10),
    )
    qs = Case.objects.filter(pk=case.pk)
    # On 21 May the case is not due yet: nothing owed, nothing overdue.
    before = figures(qs, MAY, now=at(5, 21, 12))
    assert (before.to_close, before.overdue, before.closure_rate) == (0, 0, None)
    # On 26 May it is one day past due.
    after = figures(qs, MAY, now=at(5, 26, 12))
    assert (after.to_close, after.overdue_open, after.closure_rate) == (1, 1, D("0"))


def test_zero_denominators_give_none(cast, cases):
    f = figures(Case.objects.all(), Period.month("2019-03"))
    assert counts(f) == dict.fromkeys(counts(f), 0)
    for name in ("closure_rate", "on_time_rate", "on_time_handling_rate", "rework_rate"):
        assert getattr(f, name) is None, name
    assert f.overdue_rate is None and f.extension_rate is None
    assert f.avg_filing_hours is None and f.avg_handling_hours is None
    assert rate(0, 0) is None and rate(0, 4) == D("0.0000") and rate(2, 3) == D("0.6667")
    empty = figures(Case.objects.none(), MAY)
    assert empty == Figures()


# --- groups ----------------------------------------------------------------------------------


def test_by_community_matches_hand_values_and_sums_back_to_the_total(cast, cases):
    qs = cases_visible(Territory.all())
    whole = figures(qs, MAY)
    rows = figures_by(qs, MAY, "community")
    assert [(r.key, r.label) for r in rows] == [
        (cast.wujiaying.pk, "吴家营社区"),
        (cast.luolong.pk, "洛龙社区"),
    ]
    wjy, ll = rows[0].figures, rows[1].figures
    # 吴家营 (east + west): owed C1 C2 C3 C4 C11 C14; closed C1 C2 C3 C14, on time C1 C2 C14;
    # overdue: C3 closed late, C4 and C11 open.
    assert (wjy.to_close, wjy.closed, wjy.closed_on_time, wjy.overdue) == (6, 4, 3, 3)
    assert (wjy.closure_rate, wjy.on_time_rate, wjy.overdue_rate) == (
        D("0.6667"),
        D("0.5000"),
        D("0.5000"),
    )
    # 洛龙 (south): owed C5 C6 C17 C18; closed C17 (late); overdue C17, C5, C18.
    assert (ll.to_close, ll.closed, ll.closed_on_time, ll.overdue) == (4, 1, 0, 3)
    assert (ll.closure_rate, ll.on_time_rate, ll.overdue_rate) == (
        D("0.2500"),
        D("0.0000"),
        D("0.7500"),
    )
    assert wjy.self_handled == 1 and ll.self_handled == 0
    for name, value in counts(whole).items():
        assert sum(getattr(r.figures, name) for r in rows) == value, name


def test_by_grid_sums_back_to_the_total(cast, cases):
    qs = Case.objects.all()
    whole = figures(qs, MAY)
    rows = figures_by(qs, MAY, "grid")
    # Sorted by grid code: 东 (…001001), 西 (…001002), 南 (…002001).
    assert [r.label for r in rows] == ["吴家营社区东网格", "吴家营社区西网格", "洛龙社区南网格"]
    east, west, _ = (r.figures for r in rows)
    assert (east.to_close, east.closed, east.closure_rate) == (3, 3, D("1.0000"))  # C1 C2 C14
    assert (west.to_close, west.closed, west.closure_rate) == (3, 1, D("0.3333"))  # C3 of 3 4 11
    for name, value in counts(whole).items():
        assert sum(getattr(r.figures, name) for r in rows) == value, name


def test_by_tier_and_source_label_their_groups(cast, cases):
    tiers = figures_by(Case.objects.all(), MAY, "tier")
    # Tier 1: C7 (self-handled); tier 2: the other filed cases; tier 3: C3; no tier: C8 C9.
    assert [(r.key, r.label) for r in tiers] == [
        (1, "第1类"),
        (2, "第2类"),
        (3, "第3类"),
        (None, "未指定"),
    ]
    assert tiers[0].figures.self_handled == 1
    assert (tiers[2].figures.closed, tiers[2].figures.closed_late) == (1, 1)
    assert (tiers[3].figures.reported, tiers[3].figures.rejected) == (2, 1)
    sources = {r.key: r for r in figures_by(Case.objects.all(), MAY, "source")}
    assert sources["hotline_12345"].figures.reported == 1  # C9
    assert sources["hotline_12345"].label == str(CaseSource.HOTLINE_12345.label)
    assert sources["five_roles"].figures.self_handled == 1


def test_by_unit_and_by_handler(cast, cases):
    office = HandlingUnit.objects.create(
        level="subdistrict",
        name="洛龙街道城管办",
        district=cast.district,
        subdistrict=cast.subdistrict,
    )
    Case.objects.filter(pk__in=[cases[3].pk, cases[4].pk]).update(handling_unit=office)
    Case.objects.filter(pk=cases[1].pk).update(handler=cast.supervisor)
    units = figures_by(Case.objects.all(), MAY, "unit")
    assert [r.label for r in units] == ["洛龙街道城管办", "未指定"]
    # The office owes C3 and C4; closed C3 (late); C4 open and overdue.
    office_f = units[0].figures
    assert (office_f.to_close, office_f.closed, office_f.overdue) == (2, 1, 2)
    handlers = figures_by(Case.objects.all(), MAY, "handler")
    assert handlers[0].key == cast.supervisor.pk and handlers[0].figures.closed == 1  # C1


def test_by_month_gives_every_month_each_equal_to_that_month_alone(cast, cases):
    qs = Case.objects.all()
    rows = figures_by(qs, Period.year(2019), "month")
    assert [r.key for r in rows] == [f"2019-{m:02d}" for m in range(1, 13)]
    by_key = {r.key: r.figures for r in rows}
    assert by_key["2019-05"] == figures(qs, MAY)
    assert by_key["2019-06"] == figures(qs, JUNE)
    assert by_key["2019-04"] == figures(qs, Period.month("2019-04"))
    assert by_key["2019-01"] == Figures()
    # A case has one report time, so reports add up over the months (C10-C12 too): 18 - C7.
    assert sum(f.reported for f in by_key.values()) == 17


def test_unknown_grouping_is_refused(cast):
    with pytest.raises(DomainError) as err:
        figures_by(Case.objects.all(), MAY, "colour")
    assert err.value.field == "by" and "community" in err.value.message
    assert set(BY_CHOICES) >= {"grid", "community", "subdistrict", "unit", "handler", "month"}


# --- the month boundary, in local time -------------------------------------------------------


def test_a_case_reported_at_2330_on_31_may_belongs_to_may(cast):
    late = make(cast.east, S.REPORTED, at(5, 31, 23, 30))
    early = make(cast.east, S.REPORTED, at(6, 1, 0, 30))
    late.refresh_from_db()
    assert late.reported_at.astimezone(UTC) == dt.datetime(2019, 5, 31, 15, 30, tzinfo=UTC)
    assert early.reported_at.astimezone(UTC).date() == dt.date(2019, 5, 31)  # still May in UTC
    qs = Case.objects.all()
    assert figures(qs, MAY).reported == 1
    assert figures(qs, JUNE).reported == 1
    rows = {r.key: r.figures.reported for r in figures_by(qs, Period.year(2019), "month")}
    assert (rows["2019-05"], rows["2019-06"]) == (1, 1)
    assert figures(Case.objects.filter(pk=late.pk), MAY).reported == 1
    assert figures(Case.objects.filter(pk=early.pk), JUNE).reported == 1


# --- average working hours per step ------------------------------------------------------------


def test_average_working_hours_per_step(cast):
    # A (east): reported Fri 17 May 16:00, filed Mon 20 May 10:00: 1.5 h Friday + 1 h = 2.5 h;
    #   dispatched 11:00: 1 h; handled 15:00: 1 h before lunch + 1.5 h = 2.5 h; closed 16:00: 1 h.
    make(
        cast.east,
        S.CLOSED,
        at(5, 17, 16),
        filed_at=at(5, 20, 10),
        dispatched_at=at(5, 20, 11),
        handling_due_at=at(5, 21, 11),
        handled_at=at(5, 20, 15),
        closed_at=at(5, 20, 16),
        on_time=True,
    )
    # B (west): reported Mon 20 May 09:00, filed 09:30: 0.5 h; dispatched 11:30: 2 h;
    #   handled Tue 21 May 10:00: 0.5 + 4 + 1 = 5.5 h; not closed yet.
    make(
        cast.west,
        S.HANDLED,
        at(5, 20),
        filed_at=at(5, 20, 9, 30),
        dispatched_at=at(5, 20, 11, 30),
        handling_due_at=at(5, 22, 11),
        handled_at=at(5, 21, 10),
    )
    # D (east): all steps in April but the last: handled Tue 30 April 14:00, closed Mon 6 May
    #   10:00: 3.5 h on 30 April, 1–4 May holiday, Sunday 5 May worked (调休) 7 h, 1 h = 11.5 h.
    make(
        cast.east,
        S.CLOSED,
        dt.datetime(2019, 4, 30, 9, tzinfo=TZ),
        filed_at=dt.datetime(2019, 4, 30, 10, tzinfo=TZ),
        dispatched_at=dt.datetime(2019, 4, 30, 11, tzinfo=TZ),
        handling_due_at=dt.datetime(2019, 4, 30, 16, tzinfo=TZ),
        handled_at=dt.datetime(2019, 4, 30, 14, tzinfo=TZ),
        closed_at=at(5, 6, 10),
        on_time=True,
    )
    # A self-handled case: zero-length steps that must not pull the averages down.
    make(
        cast.east,
        S.SELF_HANDLED,
        at(5, 20, 10),
        tier=1,
        handled_at=at(5, 20, 10),
        closed_at=at(5, 20, 10),
        on_time=True,
    )
    f = figures(Case.objects.all(), MAY)
    assert f.avg_filing_hours == D("1.50")  # (2.5 + 0.5) / 2
    assert f.avg_dispatch_hours == D("1.50")  # (1 + 2) / 2
    assert f.avg_handling_hours == D("4.00")  # (2.5 + 5.5) / 2
    assert f.avg_verification_hours == D("6.25")  # (1 + 11.5) / 2: A and D
    grids = {r.key: r.figures for r in figures_by(Case.objects.all(), MAY, "grid")}
    east, west = grids[cast.east.pk], grids[cast.west.pk]
    assert (east.avg_handling_hours, east.avg_verification_hours) == (D("2.50"), D("6.25"))
    assert (west.avg_handling_hours, west.avg_verification_hours) == (D("5.50"), None)


# --- query count -----------------------------------------------------------------------------


def test_grouped_figures_take_the_same_few_queries_however_many_groups(
    cast, cases, django_assert_max_num_queries
):
    qs = cases_visible(Territory.all())
    # One aggregate, one list of timestamps, and two to load the calendar.
    with django_assert_max_num_queries(4) as few:
        rows = figures_by(qs, MAY, "grid")
    assert len(rows) == 3
    for n in range(6):
        grid = GridFactory(community=cast.luolong, name=f"extra {n}")
        make(
            grid,
            S.CLOSED,
            at(5, 20),
            filed_at=at(5, 20, 9, 30),
            dispatched_at=at(5, 20, 10),
            handling_due_at=at(5, 21, 10),
            handled_at=at(5, 20, 15),
            closed_at=at(5, 20, 16),
            on_time=True,
        )
    with django_assert_max_num_queries(4) as many:
        rows = figures_by(qs, MAY, "grid")
    assert len(rows) == 9
    assert len(many.captured_queries) == len(few.captured_queries)
    with django_assert_max_num_queries(4):
        assert len(figures_by(qs, Period.year(2019), "month")) == 12


# --- periods ---------------------------------------------------------------------------------


def test_a_month_starts_at_local_midnight():
    assert MAY.start == dt.datetime(2019, 4, 30, 16, tzinfo=UTC)
    assert MAY.end == dt.datetime(2019, 5, 31, 16, tzinfo=UTC)
    assert MAY.label == "2019-05"
    assert Period.month("2019-12").end == dt.datetime(2020, 1, 1, tzinfo=TZ)
    assert MAY.contains(at(5, 31, 23, 30)) and not MAY.contains(at(6, 1, 0, 0))


def test_periods_from_a_year_dates_and_text():
    year = Period.year(2019)
    assert (year.start, year.end, year.label) == (
        dt.datetime(2019, 1, 1, tzinfo=TZ),
        dt.datetime(2020, 1, 1, tzinfo=TZ),
        "2019",
    )
    assert [m.label for m in year.months()][:2] == ["2019-01", "2019-02"]
    span = Period.dates(dt.date(2019, 5, 20), dt.date(2019, 6, 3))
    assert span.end == dt.datetime(2019, 6, 4, tzinfo=TZ)
    # A span is cut into the months it covers, clipped to the span.
    assert [(m.label, m.start, m.end) for m in span.months()] == [
        ("2019-05", span.start, dt.datetime(2019, 6, 1, tzinfo=TZ)),
        ("2019-06", dt.datetime(2019, 6, 1, tzinfo=TZ), span.end),
    ]
    assert Period.parse("2019") == year
    assert Period.parse(" 2019-05 ") == MAY
    assert Period.parse("2019-05-20..2019-06-03") == span
    assert Period(at(5, 1, 0), at(5, 8, 0)).label == "2019-05-01..2019-05-07"


@pytest.mark.parametrize(
    "text", ["2019-13", "2019-00", "2019-5", "19-05", "", "May 2019", "2019-02-30..2019-03-01"]
)
def test_bad_periods_are_refused_with_a_clear_message(text):
    with pytest.raises(DomainError) as err:
        Period.parse(text)
    assert err.value.field == "period"
    assert repr(text) in err.value.message


def test_other_bad_periods_are_refused():
    with pytest.raises(DomainError, match=r"ends .* before it starts"):
        Period.dates(dt.date(2019, 6, 1), dt.date(2019, 5, 1))
    with pytest.raises(DomainError, match="time zone"):
        Period(dt.datetime(2019, 5, 1), dt.datetime(2019, 6, 1))
    with pytest.raises(DomainError, match="end after"):
        Period(at(5, 2), at(5, 1))
    with pytest.raises(DomainError, match="not a year"):
        Period.year(19)


# --- definitions -----------------------------------------------------------------------------


def test_every_figure_has_a_label_and_a_definition_in_chinese_and_english():
    assert set(FIGURES) == set(DEFINITIONS) == set(LABELS)
    assert set(Figures().as_dict()) == set(FIGURES)
    for name in FIGURES:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in DEFINITIONS_ZH[name]), name
        assert DEFINITIONS_EN[name].isascii(), name
        assert DEFINITIONS[name] == f"{DEFINITIONS_ZH[name]} {DEFINITIONS_EN[name]}"
    assert LABELS["to_close"] == "应结案数" and LABELS["closure_rate"] == "结案率"


def test_by_reporter_gives_each_reporters_figures_and_sums_back(cast, cases):
    qs = Case.objects.all()
    rows = figures_by(qs, MAY, "reporter")
    for row in rows:
        alone = figures(qs.filter(reporter_id=row.key), MAY)
        assert row.figures.reported == alone.reported
        assert row.figures.filed == alone.filed
    assert sum(r.figures.reported for r in rows) == figures(qs, MAY).reported


def test_without_hours_the_counts_are_the_same_and_the_hours_are_left_out(cast, cases):
    qs = Case.objects.all()
    full, quick = figures(qs, MAY), figures(qs, MAY, hours=False)
    assert counts(quick) == counts(full)
    assert full.avg_handling_hours is not None
    assert quick.avg_handling_hours is None
    by_month = figures_by(qs, MAY, "month", hours=False)
    assert by_month[0].figures.closed == full.closed


def test_several_groupings_at_once_equal_each_grouping_alone(cast, cases):
    """figures_by_keys (one GROUPING SETS scan on PostgreSQL) gives figures_by's numbers."""
    office = HandlingUnit.objects.create(
        level="subdistrict",
        name="洛龙街道城管办",
        district=cast.district,
        subdistrict=cast.subdistrict,
    )
    Case.objects.filter(pk__in=[cases[3].pk, cases[4].pk]).update(handling_unit=office)
    Case.objects.filter(pk=cases[1].pk).update(handler=cast.supervisor)
    qs = Case.objects.all()
    bys = ["community", "unit", "handler", "reporter"]
    together = figures_by_keys(qs, MAY, bys)
    assert set(together) == set(bys)
    for by in bys:
        alone = {r.key: r.figures for r in figures_by(qs, MAY, by, hours=False) if r.key}
        assert together[by] == alone, by
    assert together["unit"][office.pk].to_close == 2
    assert figures_by_keys(qs, MAY, ["community"])["community"] == together["community"]


def test_several_groupings_refuse_a_grouping_without_a_key_column(cast):
    with pytest.raises(DomainError) as err:
        figures_by_keys(Case.objects.all(), MAY, ["community", "tier"])
    assert err.value.field == "by"


@pytest.mark.parametrize("month", ["2019-04", "2019-05", "2019-06"])
def test_the_narrowed_scan_keeps_every_case_any_figure_counts(cast, cases, month):
    """rates narrows the scan to four broad sets; no case any count counts is left out."""
    from django.db.models import Q
    from django.utils import timezone

    from wangge.cases.rates import _conditions, _relevant

    period, now = Period.month(month), timezone.now()
    every = Q()
    for condition in _conditions(period, period.cutoff(now)).values():
        every |= condition
    wanted = set(Case.objects.filter(every).values_list("pk", flat=True))
    assert wanted  # the cast's cases fall in these months
    assert set(Case.objects.filter(_relevant(period, now)).values_list("pk", flat=True)) == wanted
