"""GeoJSON import: validated whole before anything is written."""

from __future__ import annotations

import copy

import pytest

from tests.conftest import MID, QUARTER, E, N, S, W
from tests.factories import rect
from wangge.core.errors import DomainError
from wangge.org.models import Grid
from wangge.org.services import ImportError_, grids_export, grids_import


def feature(code, name, community, geometry):
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name, "community": community},
        "geometry": geometry,
    }


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def snapshot():
    return sorted(Grid.objects.values_list("code", "name", "geometry"))


@pytest.fixture
def north_strip(cast):
    """Extra ground north of the subdistrict where new grids can go without overlapping."""
    return cast


def test_a_valid_file_creates_and_updates_grids(cast):
    data = collection(
        feature(
            "530114005001001", "吴家营社区东网格（新）", "吴家营社区", rect(QUARTER, S, MID, N)
        ),
        feature("530114005002002", "洛龙社区北网格", "530114005002", rect(MID, N, E, N + 0.01)),
    )
    result = grids_import(data)
    assert result.created == ["530114005002002"]
    assert result.updated == ["530114005001001"]
    assert Grid.objects.get(code="530114005001001").name == "吴家营社区东网格（新）"
    assert Grid.objects.get(code="530114005002002").area_km2 > 0


def test_a_grid_overlapping_another_is_refused_naming_the_overlap_and_nothing_changes(cast):
    before = snapshot()
    data = collection(
        feature("530114005002002", "洛龙社区北网格", "洛龙社区", rect(MID, N, E, N + 0.01)),
        # Reaches 0.002° into both 吴家营社区 grids.
        feature("530114005001003", "越界网格", "吴家营社区", rect(W, N - 0.002, MID, N + 0.01)),
    )
    with pytest.raises(ImportError_) as exc:
        grids_import(data)
    assert "feature #2 530114005001003 越界网格: overlaps grid" in exc.value.message
    assert "530114005001001 吴家营社区东网格" in exc.value.message
    assert "m² near (" in exc.value.message
    assert exc.value.errors[0].field == "features[1].geometry"
    assert snapshot() == before


def test_two_overlapping_grids_within_the_file_are_refused(cast):
    before = snapshot()
    data = collection(
        feature("530114005002002", "甲", "洛龙社区", rect(MID, N, E, N + 0.01)),
        feature("530114005002003", "乙", "洛龙社区", rect(MID + 0.005, N, E, N + 0.01)),
    )
    with pytest.raises(
        ImportError_, match="feature #1 530114005002002 甲: overlaps grid 530114005002003 乙"
    ):
        grids_import(data)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"code": "53011400500100"}, "exactly 15 digits"),
        ({"code": "5301140050010AB"}, "exactly 15 digits"),
        ({"code": "530114005002009"}, "does not start with the code of 吴家营社区"),
        ({"community": "不存在社区"}, "unknown community '不存在社区'"),
        ({"name": ""}, "the name is missing"),
    ],
)
def test_a_bad_property_rejects_the_file_naming_the_feature(cast, props, message):
    before = snapshot()
    good = feature("530114005001009", "新网格", "吴家营社区", rect(W, N, MID, N + 0.01))
    bad = copy.deepcopy(good)
    bad["properties"].update(props)
    with pytest.raises(ImportError_) as exc:
        grids_import(collection(bad))
    assert exc.value.message.startswith("feature #1")
    assert message in exc.value.message
    assert snapshot() == before


def test_a_duplicate_code_in_the_file_is_refused(cast):
    f = feature("530114005001009", "新网格", "吴家营社区", rect(W, N, MID, N + 0.01))
    with pytest.raises(ImportError_, match="duplicate grid code 530114005001009"):
        grids_import(collection(f, copy.deepcopy(f)))


def test_a_self_intersecting_polygon_is_refused(cast):
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[W, N], [MID, N + 0.01], [MID, N], [W, N + 0.01], [W, N]]],
    }
    with pytest.raises(ImportError_, match="self-intersecting"):
        grids_import(collection(feature("530114005001009", "蝴蝶", "吴家营社区", bowtie)))
    assert not Grid.objects.filter(code="530114005001009").exists()


def test_every_problem_is_listed_not_only_the_first(cast):
    data = collection(
        feature("123", "甲", "吴家营社区", rect(W, N, MID, N + 0.01)),
        feature("530114005001009", "乙", "无此社区", rect(W, N, MID, N + 0.01)),
    )
    with pytest.raises(ImportError_) as exc:
        grids_import(data)
    assert [e.field for e in exc.value.errors] == [
        "features[0].properties.code",
        "features[1].properties.community",
    ]


@pytest.mark.parametrize(
    "data", [[], {"type": "Feature"}, {"type": "FeatureCollection", "features": []}]
)
def test_anything_but_a_feature_collection_is_refused(cast, data):
    with pytest.raises(DomainError):
        grids_import(data)


def test_export_then_import_gives_back_the_same_grids(cast):
    exported = grids_export(Grid.objects.all())
    assert {f["properties"]["code"] for f in exported["features"]} == {
        "530114005001001",
        "530114005001002",
        "530114005002001",
    }
    before = snapshot()
    result = grids_import(exported)
    assert result.created == [] and len(result.updated) == 3
    assert snapshot() == before
    # What the export derives (community name, area) is not kept as an extra property.
    assert not any("area_km2" in g.properties for g in Grid.objects.all())
