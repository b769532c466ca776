from __future__ import annotations

import datetime as dt

from wangge.org.models import Grid
from wangge.people.models import StaffingStandard
from wangge.people.selectors import persons_visible, staffing
from wangge.people.territory import territory_of


def test_staffing_shows_the_gap_against_the_standard(cast):
    rows = {r.role.value: r for r in staffing(Grid.objects.filter(pk=cast.east.pk))[cast.east.pk]}
    assert (rows["supervisor"].required, rows["supervisor"].actual, rows["supervisor"].gap) == (
        1,
        1,
        0,
    )
    assert (rows["enforcer"].required, rows["enforcer"].actual, rows["enforcer"].gap) == (2, 0, 2)


def test_the_standard_is_data_that_can_be_changed(cast):
    StaffingStandard.objects.filter(role="enforcer").update(per_grid=3)
    rows = {r.role.value: r for r in staffing(Grid.objects.filter(pk=cast.east.pk))[cast.east.pk]}
    assert rows["enforcer"].gap == 3


def test_staffing_on_a_day_before_anyone_started_is_all_gap(cast):
    rows = staffing(Grid.objects.filter(pk=cast.east.pk), dt.date(2018, 1, 1))[cast.east.pk]
    assert sum(r.gap for r in rows) == 7


def test_a_supervisor_sees_only_the_people_of_their_grid(cast):
    names = {p.name for p in persons_visible(territory_of(cast.supervisor.user))}
    assert names == {"监督员乙"}


def test_the_centre_operator_sees_the_subdistricts_people(cast):
    names = {p.name for p in persons_visible(territory_of(cast.operator.user))}
    assert {"操作员甲", "监督员乙", "环卫工丙"} <= names
    assert "区领导丁" not in names  # a district leader is not attached to the subdistrict
