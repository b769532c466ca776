"""Point → grid → community → subdistrict (属地管理)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from tests.conftest import MID, QUARTER, E, N, S, W
from tests.factories import rect
from wangge.core.errors import DomainError
from wangge.core.geo import from_geojson
from wangge.org.locate import OutsideJurisdiction, locate
from wangge.org.models import Grid
from wangge.org.services import grid_save


def test_a_point_resolves_to_grid_community_and_subdistrict(cast):
    found = locate(102.847, 24.875).as_dict()
    assert found == {
        "grid": {"code": "530114005001001", "name": "吴家营社区东网格"},
        "community": {"code": "530114005001", "name": "吴家营社区"},
        "subdistrict": {"code": "530114005", "name": "洛龙街道"},
    }


def test_a_point_on_a_shared_edge_resolves_the_same_way_every_time(cast):
    answers = {locate(QUARTER, 24.875).grid.code for _ in range(20)}
    # The lower code of the two grids sharing the edge.
    assert answers == {"530114005001001"}


def test_a_point_at_a_corner_shared_by_three_grids_is_stable(cast):
    assert locate(MID, N).grid.code == "530114005001001"


def test_a_point_outside_every_grid_is_outside_the_jurisdiction(cast):
    with pytest.raises(OutsideJurisdiction) as exc:
        locate(103.5, 25.5)
    assert "outside the jurisdiction" in exc.value.message
    assert exc.value.status == 404


def test_swapped_coordinates_are_refused_before_looking(cast):
    with pytest.raises(DomainError, match="swapped"):
        locate(24.875, 102.847)


def test_the_index_is_rebuilt_when_a_grid_changes(cast):
    assert locate(102.855, 24.875).grid.name == "洛龙社区南网格"
    # Shrink 洛龙社区南网格 to its eastern half: the western half is now outside every grid.
    grid_save(
        community=cast.luolong,
        code=cast.south.code,
        name=cast.south.name,
        geometry=rect(102.855, S, E, N),
    )
    with pytest.raises(OutsideJurisdiction):
        locate(102.852, 24.875)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.floats(min_value=W, max_value=E), st.floats(min_value=S, max_value=N))
def test_every_point_in_the_subdistrict_lies_in_the_grid_it_resolves_to(cast, lon, lat):
    grid = locate(lon, lat).grid
    assert from_geojson(Grid.objects.get(pk=grid.pk).geometry).covers(Point(lon, lat))
