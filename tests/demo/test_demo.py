"""`wangge demo` builds 洛龙街道 as the seed describes it."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from wangge.core.geo import area_km2, from_geojson
from wangge.demo import data
from wangge.demo.builder import build
from wangge.org.locate import locate_point
from wangge.org.models import Community, Grid, Subdistrict, Workstation
from wangge.org.partition import check_subdistrict
from wangge.people.models import GridRole, LeaderPost, Person, RoleKind
from wangge.people.selectors import staff_counts, staffing

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return build()


def test_the_demo_has_the_seeds_communities_and_grids_with_their_names(demo):
    sub = Subdistrict.objects.get(name="洛龙街道")
    assert sub.district.name == "呈贡区"
    names = {c.name: sorted(g.name for g in c.grids.all()) for c in sub.communities.all()}
    assert names == {name: sorted(grids) for _, name, _, grids in data.COMMUNITIES}
    assert Grid.objects.count() == 15
    assert Workstation.objects.count() == 5


def test_the_grids_tile_17_76_km2_without_gap_or_overlap(demo):
    sub = Subdistrict.objects.get(name="洛龙街道")
    report = check_subdistrict(sub, staff_counts=staff_counts)
    assert report.ok, report.problems
    total = sum(area_km2(from_geojson(g.geometry)) for g in Grid.objects.all())
    assert total == pytest.approx(17.76, rel=0.01)
    assert float(sub.area_km2) == pytest.approx(17.76, rel=0.001)
    assert all(g.properties.get("synthetic") is True for g in Grid.objects.all())


def test_each_grids_representative_point_locates_in_that_grid(demo):
    for grid in Grid.objects.all():
        point = from_geojson(grid.geometry).representative_point()
        assert locate_point(point).grid.code == grid.code


def test_every_grid_is_staffed_one_two_two_one_one(demo):
    required = {"supervisor": 1, "enforcer": 2, "sanitation": 2, "police": 1, "community_worker": 1}
    for rows in staffing(Grid.objects.all()).values():
        assert {r.role.value: r.actual for r in rows} == required
        assert all(r.gap == 0 for r in rows)
    assert GridRole.objects.filter(end_date__isnull=True).values("person").distinct().count() == 105


def test_the_2019_turnover_is_kept_as_history(demo):
    ended = GridRole.objects.filter(end_date__isnull=False)
    assert ended.count() == 2
    assert Person.objects.filter(start_date__year=2019, roles__end_date__isnull=True).count() == 2


def test_the_leader_chain_runs_from_chief_to_level4(demo):
    levels = sorted(set(LeaderPost.objects.values_list("level", flat=True)))
    assert levels == ["chief", "level1", "level1_deputy", "level2", "level3", "level4"]
    assert LeaderPost.objects.get(level="chief").person.name == "张先宝"
    for community in Community.objects.all():
        assert LeaderPost.objects.filter(level="level4", community=community).count() == 2
        assert LeaderPost.objects.filter(level="level3", community=community).count() == 1


def test_there_is_one_login_per_role_and_they_can_sign_in(demo, client):
    usernames = {u for u, _, _ in demo.logins}
    assert {r.value for r in RoleKind} <= usernames
    assert {"admin", "operator", "dispatcher", "leader", "assessor", "finance"} <= usernames
    for username, password, _ in demo.logins:
        assert client.login(username=username, password=password), username


def test_running_the_demo_twice_changes_nothing(demo):
    before = (
        Grid.objects.count(),
        Person.objects.count(),
        GridRole.objects.count(),
        LeaderPost.objects.count(),
    )
    build()
    after = (
        Grid.objects.count(),
        Person.objects.count(),
        GridRole.objects.count(),
        LeaderPost.objects.count(),
    )
    assert before == after


def test_the_command_prints_the_logins(capsys):
    call_command("demo", "--no-cases")
    out = capsys.readouterr().out
    assert "partition check: ok" in out
    assert "wangge-admin" in out and "supervisor" in out
