"""people.turnover: hires, departures, turnover rate, tenure and open posts of a subdistrict.

A hand-built subdistrict, 2019, with the standard set to one supervisor and one enforcer per grid
(the other roles 0, so that only the posts the story is about can be open):
  吴家营社区: 东网格 (G1), 西网格 (G2);  洛龙社区: 南网格 (G3).
  A   supervisor G1 2018-01-01..2019-03-31, left;      B (temporary) replaces A on 2019-04-01;
  C   supervisor G2 2019-01-01..2019-05-10, left (hired on 1 January: nobody held G2 before);
      D (temporary) replaces C on 2019-05-21: G2 has no supervisor 11..20 May, 10 days;
  E   enforcer G3 2018-06-01..2019-06-30, then enforcer G1 from 2019-07-01 (a move);
  F   (temporary, no start date) sanitation G3 2019-03-01..2019-08-31, left;
  G   supervisor G3 since 2018-01-01, all year.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from tests.factories import (
    CommunityFactory,
    DistrictFactory,
    GridFactory,
    GridRoleFactory,
    PersonFactory,
    SubdistrictFactory,
)
from wangge.core.errors import DomainError, NotFound
from wangge.org.territory import Territory
from wangge.people.models import StaffingStandard
from wangge.people.turnover import (
    TURNOVER_DEFINITIONS,
    TURNOVER_DEFINITIONS_ZH,
    OpenPost,
    parse_period,
    subdistrict_pick,
    turnover,
    turnover_year,
)

pytestmark = pytest.mark.django_db

D = dt.date
Y_START, Y_END = D(2019, 1, 1), D(2019, 12, 31)


@pytest.fixture
def standard():
    """One supervisor and one enforcer per grid; the other roles are not counted as posts."""
    per_grid = {"supervisor": 1, "enforcer": 1}
    for row in StaffingStandard.objects.all():
        row.per_grid = per_grid.get(row.role, 0)
        row.save()


@pytest.fixture
def town(standard):
    district = DistrictFactory(code="530114", name="呈贡区")
    sub = SubdistrictFactory(district=district, code="005", name="洛龙街道")
    wjy = CommunityFactory(subdistrict=sub, code="001", name="吴家营社区")
    ll = CommunityFactory(subdistrict=sub, code="002", name="洛龙社区")
    g1 = GridFactory(community=wjy, code="530114005001001", name="吴家营社区东网格")
    g2 = GridFactory(community=wjy, code="530114005001002", name="吴家营社区西网格")
    g3 = GridFactory(community=ll, code="530114005002001", name="洛龙社区南网格")
    people = {
        "A": PersonFactory(name="甲", start_date=D(2018, 1, 1), end_date=D(2019, 3, 31)),
        "B": PersonFactory(name="乙", employment="temporary", start_date=D(2019, 4, 1)),
        "C": PersonFactory(
            name="丙", employment="temporary", start_date=D(2019, 1, 1), end_date=D(2019, 5, 10)
        ),
        "D": PersonFactory(name="丁", employment="temporary", start_date=D(2019, 5, 21)),
        "E": PersonFactory(name="戊", start_date=D(2017, 7, 1)),
        "F": PersonFactory(name="己", employment="temporary", start_date=None),
        "G": PersonFactory(name="庚", start_date=D(2018, 1, 1)),
    }

    def role(who: str, grid, kind: str, start: dt.date, end: dt.date | None = None) -> None:
        GridRoleFactory(person=people[who], grid=grid, role=kind, start_date=start, end_date=end)

    role("A", g1, "supervisor", D(2018, 1, 1), D(2019, 3, 31))
    role("B", g1, "supervisor", D(2019, 4, 1))
    role("C", g2, "supervisor", D(2019, 1, 1), D(2019, 5, 10))
    role("D", g2, "supervisor", D(2019, 5, 21))
    role("E", g3, "enforcer", D(2018, 6, 1), D(2019, 6, 30))
    role("E", g1, "enforcer", D(2019, 7, 1))
    role("F", g3, "sanitation", D(2019, 3, 1), D(2019, 8, 31))
    role("G", g3, "supervisor", D(2018, 1, 1))
    # Someone in another subdistrict is not counted here.
    elsewhere = GridFactory(community=CommunityFactory(subdistrict=SubdistrictFactory(code="009")))
    GridRoleFactory(grid=elsewhere, role="supervisor", start_date=D(2019, 6, 1))
    return sub, (g1, g2, g3), people


def by_role(figures):
    return {r.role: r for r in figures.roles}


def posts(figures):
    return [(p.grid_name, p.role, p.opened, p.filled, p.days_open) for p in figures.open_posts]


def test_a_replacement_the_next_day_leaves_no_open_post(town):
    sub, (g1, _g2, _g3), _ = town
    figures = turnover_year(sub, 2019)
    # A's last day is 31 March, B's first 1 April: not one day short, so no stretch.
    assert not [p for p in figures.open_posts if p.grid_id == g1.pk and p.role == "supervisor"]


def test_a_replacement_ten_days_later_is_one_post_open_for_ten_days(town):
    sub, (_g1, g2, _g3), _ = town
    figures = turnover_year(sub, 2019)
    supervisor_posts = [p for p in figures.open_posts if p.role == "supervisor"]
    # C's last day 10 May, D's first 21 May: short on 11..20 May = 10 days; filled on the 21st.
    assert supervisor_posts == [
        OpenPost(
            grid_id=g2.pk,
            grid_name="吴家营社区西网格",
            community_name="吴家营社区",
            role="supervisor",
            role_label="grid supervisor",
            opened=D(2019, 5, 11),
            filled=D(2019, 5, 21),
            days_open=10,
            grid_code="530114005001002",
        )
    ]


def test_a_stretch_across_the_period_start_counts_only_its_days_inside(town):
    sub, _, _ = town
    figures = turnover(sub, D(2019, 5, 15), D(2019, 6, 30))
    sup = [p for p in figures.open_posts if p.role == "supervisor"]
    assert [(p.opened, p.filled, p.days_open) for p in sup] == [
        (D(2019, 5, 11), D(2019, 5, 21), 6)  # 15..20 May
    ]


def test_a_stretch_still_open_at_the_end_has_no_filled_day(town):
    sub, _, _ = town
    figures = turnover(sub, D(2019, 5, 1), D(2019, 5, 15))
    sup = [p for p in figures.open_posts if p.role == "supervisor"]
    assert [(p.opened, p.filled, p.days_open) for p in sup] == [(D(2019, 5, 11), None, 5)]
    # Filled on the 21st, after the period: later records are not looked at.


def test_open_posts_of_the_year_and_those_open_at_the_end(town):
    sub, _, _ = town
    figures = turnover_year(sub, 2019)
    assert posts(figures) == [
        # No enforcer in G1 since the records begin (2018-01-01) until E moves in on 1 July.
        ("吴家营社区东网格", "enforcer", D(2018, 1, 1), D(2019, 7, 1), 181),
        # None in G2 ever.
        ("吴家营社区西网格", "enforcer", D(2018, 1, 1), None, 365),
        ("吴家营社区西网格", "supervisor", D(2019, 5, 11), D(2019, 5, 21), 10),
        # E left G3 for G1: G3 is short from 1 July.
        ("洛龙社区南网格", "enforcer", D(2019, 7, 1), None, 184),
    ]
    assert figures.open_at_end == 2
    # G2's supervisor post was short all 2018 (C started 2019-01-01): that stretch ended before
    # the period, so it is not one of the period's open posts.


def test_a_move_between_grids_is_neither_a_hire_nor_a_departure(town):
    sub, _, _ = town
    enforcer = by_role(turnover_year(sub, 2019))["enforcer"]
    assert (enforcer.hires, enforcer.departures) == (0, 0)
    assert (enforcer.headcount_start, enforcer.headcount_end) == (1, 1)
    assert enforcer.average_headcount == Decimal("1.00")
    assert enforcer.turnover_rate == Decimal("0.0000")


def test_a_change_of_role_the_next_day_is_neither_a_hire_nor_a_departure(town):
    sub, (g1, _g2, _g3), people = town
    role = people["G"].roles.get()
    role.end_date = D(2019, 9, 30)
    role.save()
    GridRoleFactory(person=people["G"], grid=g1, role="police", start_date=D(2019, 10, 1))
    figures = by_role(turnover_year(sub, 2019))
    assert figures["police"].hires == 0
    assert figures["supervisor"].departures == 2  # A and C, not G


def test_someone_back_after_a_gap_is_hired_again(town):
    sub, (_g1, g2, _g3), people = town
    # A left on 31 March, is back 2..30 April, gone again, and back from 1 June.
    for first, last in ((D(2019, 4, 2), D(2019, 4, 30)), (D(2019, 6, 1), None)):
        GridRoleFactory(
            person=people["A"], grid=g2, role="enforcer", start_date=first, end_date=last
        )
    figures = turnover_year(sub, 2019)
    enforcer = by_role(figures)["enforcer"]
    assert (enforcer.hires, enforcer.departures) == (2, 1)  # each time counts
    assert (figures.hires, figures.departures) == (6, 4)  # C, B, D, F, A, A / A, C, F, A


def test_hires_and_departures_per_role_and_per_month(town):
    sub, _, _ = town
    figures = turnover_year(sub, 2019)
    assert [(r.role, r.hires, r.departures) for r in figures.roles] == [
        ("supervisor", 3, 2),  # C, B, D came; A, C left
        ("enforcer", 0, 0),
        ("sanitation", 1, 1),
        ("police", 0, 0),
        ("community_worker", 0, 0),
    ]
    assert (figures.hires, figures.departures) == (4, 3)
    months = {m.month: m for m in figures.months}
    assert list(months) == [f"2019-{n:02d}" for n in range(1, 13)]
    changes = {
        m.month: (
            {r: n for r, n in m.hires.items() if n},
            {r: n for r, n in m.departures.items() if n},
            m.total_hires,
            m.total_departures,
        )
        for m in figures.months
        if m.total_hires or m.total_departures
    }
    assert changes == {
        "2019-01": ({"supervisor": 1}, {}, 1, 0),  # C, on the period's first day
        "2019-03": ({"sanitation": 1}, {"supervisor": 1}, 1, 1),  # F came, A left
        "2019-04": ({"supervisor": 1}, {}, 1, 0),  # B
        "2019-05": ({"supervisor": 1}, {"supervisor": 1}, 1, 1),  # C left, D came
        "2019-08": ({}, {"sanitation": 1}, 0, 1),  # F left
    }
    assert set(months["2019-01"].hires) == {
        "supervisor",
        "enforcer",
        "sanitation",
        "police",
        "community_worker",
    }


def test_headcounts_turnover_rate_and_tenure_to_the_digit(town):
    sub, _, _ = town
    figures = turnover_year(sub, 2019)
    sup = by_role(figures)["supervisor"]
    assert (sup.headcount_start, sup.headcount_end) == (3, 3)  # A C G / B D G
    # Person-days: A 90 + B 275 + C 130 + D 225 + G 365 = 1085; 1085 / 365 = 2.9726…
    assert sup.average_headcount == Decimal("2.97")
    # 2 departures × 365 / 1085 = 0.67281…
    assert sup.turnover_rate == Decimal("0.6728")
    # On 31 December: B 275 days (from 1 April), D 225, G 730 → 1230 / 3.
    assert sup.average_tenure_days == Decimal("410.00")

    san = by_role(figures)["sanitation"]
    # F held it 1 March..31 August: 184 days; 184 / 365 = 0.504…; 1 × 365 / 184 = 1.98369…
    assert (san.headcount_start, san.headcount_end) == (0, 0)
    assert san.average_headcount == Decimal("0.50")
    assert san.turnover_rate == Decimal("1.9837")
    assert san.average_tenure_days is None  # nobody holds it at the end

    enf = by_role(figures)["enforcer"]
    # E since 2017-07-01: 184 + 365 + 365 days.
    assert enf.average_tenure_days == Decimal("914.00")

    police = by_role(figures)["police"]
    assert police.average_headcount == Decimal("0.00")
    assert police.turnover_rate is None and police.average_tenure_days is None

    # All roles, counting people: A C E G at the start, B D E G at the end.
    assert (figures.headcount_start, figures.headcount_end) == (4, 4)
    # 1085 + 365 + 184 = 1634 person-days; 1634 / 365 = 4.476…; 3 × 365 / 1634 = 0.67013…
    assert figures.average_headcount == Decimal("4.48")
    assert figures.turnover_rate == Decimal("0.6701")
    # (275 + 225 + 914 + 730) / 4
    assert figures.average_tenure_days == Decimal("536.00")
    # B and D are temporary hires, E and G not.
    assert figures.temporary_share == Decimal("0.5000")


def test_tenure_without_a_start_date_counts_from_the_first_grid_role(town):
    sub, _, _ = town
    # F (no start date) holds sanitation on 31 May: from 1 March, 92 days.
    figures = turnover(sub, D(2019, 5, 1), D(2019, 5, 31))
    assert by_role(figures)["sanitation"].average_tenure_days == Decimal("92.00")


def test_a_subdistrict_with_no_staff_has_every_post_open_and_no_rates(standard):
    grid = GridFactory(name="空网格")
    figures = turnover(grid.community.subdistrict, D(2019, 1, 1), D(2019, 1, 31))
    assert figures.hires == 0 and figures.turnover_rate is None
    assert figures.temporary_share is None and figures.average_tenure_days is None
    assert [(p.role, p.opened, p.filled, p.days_open) for p in figures.open_posts] == [
        ("supervisor", D(2019, 1, 1), None, 31),
        ("enforcer", D(2019, 1, 1), None, 31),
    ]
    assert figures.open_at_end == 2


def test_the_figures_take_a_few_queries_whatever_the_size(town, django_assert_max_num_queries):
    sub, _, _ = town
    with django_assert_max_num_queries(5):
        turnover_year(sub, 2019)


def test_a_year_is_the_first_to_the_last_of_december(town):
    sub, _, _ = town
    assert turnover_year(sub, 2019) == turnover(sub, Y_START, Y_END)
    with pytest.raises(DomainError) as err:
        turnover_year(sub, 20190)
    assert err.value.field == "year"


def test_a_period_ends_after_it_starts_and_spans_at_most_five_years(town):
    sub, _, _ = town
    with pytest.raises(DomainError) as err:
        turnover(sub, D(2019, 5, 1), D(2019, 4, 30))
    assert err.value.field == "to" and "before it starts" in err.value.message
    turnover(sub, D(2015, 1, 1), D(2019, 12, 31))  # five years exactly
    with pytest.raises(DomainError) as err:
        turnover(sub, D(2015, 1, 1), D(2020, 1, 1))
    assert "at most 5 years" in err.value.message and "2019-12-31" in err.value.message
    with pytest.raises(DomainError) as err:
        turnover(sub, D(9999, 1, 1), D(9999, 12, 31))  # the day after would not exist
    assert err.value.field == "from" and "1900 to 9998" in err.value.message


def test_dates_from_a_request_are_parsed_strictly():
    today = D(2026, 11, 28)
    assert parse_period(None, None, today=today) == (D(2026, 1, 1), today)
    assert parse_period("2019-01-01", "2019-12-31", today=today) == (Y_START, Y_END)
    assert parse_period("", "2019-06-30", today=today) == (Y_START, D(2019, 6, 30))
    for bad in ("2019-13-01", "2019/01/01", "20190101", "2019-W01-1", "yesterday"):
        with pytest.raises(DomainError) as err:
            parse_period(bad, "2019-12-31", today=today)
        assert err.value.field == "from" and "YYYY-MM-DD" in err.value.message
    with pytest.raises(DomainError) as err:
        parse_period("2019-12-31", "2019-01-01", today=today)
    assert err.value.field == "to"


def test_the_subdistrict_is_the_territorys_own_or_a_visible_one_by_code(town):
    sub, _, _ = town
    own = Territory(subdistrict_ids=frozenset({sub.pk}))
    assert subdistrict_pick(own, None) == sub
    assert subdistrict_pick(own, "530114005") == sub
    assert subdistrict_pick(own, "洛龙街道") == sub
    # A district user (or an administrator) chooses among several.
    district = Territory(district_ids=frozenset({sub.district_id}))
    assert subdistrict_pick(district, "") is None
    with pytest.raises(NotFound):
        subdistrict_pick(own, "530114999")
    with pytest.raises(DomainError):
        subdistrict_pick(Territory.none(), None)


def test_every_figure_has_a_definition():
    for name in (
        "headcount_start",
        "headcount_end",
        "average_headcount",
        "hires",
        "departures",
        "turnover_rate",
        "average_tenure_days",
        "temporary_share",
        "opened",
        "filled",
        "days_open",
        "open_at_end",
    ):
        assert TURNOVER_DEFINITIONS[name]


def test_every_definition_has_a_chinese_one():
    assert set(TURNOVER_DEFINITIONS_ZH) == set(TURNOVER_DEFINITIONS)
    for name, text in TURNOVER_DEFINITIONS_ZH.items():
        assert re.search(r"[\u4e00-\u9fff]", text), name
        assert not re.search(r"[A-Za-z]{2,}", text), name
    assert "离职人数 ÷ 平均在岗人数" in TURNOVER_DEFINITIONS_ZH["turnover_rate"]
