"""The partition check: 横向到边、纵向到底、无缝衔接."""

from __future__ import annotations

import pytest

from tests.conftest import MID, QUARTER, N, S, W
from tests.factories import rect
from wangge.org.models import Grid
from wangge.org.partition import check_subdistrict
from wangge.people.selectors import staff_counts


def kinds(report):
    return sorted(p.kind for p in report.problems)


def test_grids_that_tile_their_outline_pass(cast):
    report = check_subdistrict(cast.subdistrict, staff_counts=staff_counts)
    assert report.ok
    assert report.grid_count == 3
    assert report.grids_km2 == pytest.approx(report.outline_km2, abs=0.0002)


def test_an_overlap_is_reported_with_its_area_and_place(cast):
    # Stored directly, as a legacy database might hold it; the services would refuse it.
    Grid.objects.filter(pk=cast.east.pk).update(geometry=rect(QUARTER, S, MID + 0.001, N))
    report = check_subdistrict(cast.subdistrict)
    overlap = next(p for p in report.problems if p.kind == "overlap")
    assert overlap.grids == ["530114005001001", "530114005002001"]
    # 0.001° × 0.01° at 24.875 N ≈ 101 m × 1107 m.
    assert 100_000 < overlap.area_m2 < 125_000
    assert MID < overlap.where["lon"] < MID + 0.001


def test_a_gap_is_reported_with_its_area_and_place(cast):
    Grid.objects.filter(pk=cast.east.pk).update(geometry=rect(QUARTER, S, MID - 0.001, N))
    report = check_subdistrict(cast.subdistrict)
    assert kinds(report) == ["gap"]
    gap = report.problems[0]
    assert MID - 0.001 < gap.where["lon"] < MID
    assert gap.area_m2 > 100_000


def test_a_grid_reaching_outside_the_outline_is_reported(cast):
    Grid.objects.filter(pk=cast.west.pk).update(geometry=rect(W - 0.002, S, QUARTER, N))
    report = check_subdistrict(cast.subdistrict)
    assert kinds(report) == ["outside"]
    assert report.problems[0].grids == ["530114005001002"]


def test_an_invalid_stored_polygon_is_reported(cast):
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[W, S], [QUARTER, N], [QUARTER, S], [W, N], [W, S]]],
    }
    Grid.objects.filter(pk=cast.west.pk).update(geometry=bowtie)
    report = check_subdistrict(cast.subdistrict)
    assert "invalid" in kinds(report)


def test_workload_lists_area_and_staff_per_grid_with_the_spread(cast):
    report = check_subdistrict(cast.subdistrict, staff_counts=staff_counts)
    staff = {load.code: load.staff for load in report.load}
    assert staff == {"530114005001001": 1, "530114005001002": 0, "530114005002001": 1}
    assert report.area_spread is not None
    assert report.area_spread.ratio == 2.0  # 洛龙社区南网格 is twice the size of the others
    assert report.staff_spread is not None and report.staff_spread.ratio is None  # one grid has 0
