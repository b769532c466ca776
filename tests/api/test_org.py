"""The organisation tree, grids as GeoJSON, and locate, each as seen from a territory."""

from __future__ import annotations

from decimal import Decimal

from tests.conftest import MID, QUARTER
from wangge.org.models import Grid


def test_the_tree_goes_district_subdistrict_community_grid(api_as, cast):
    # The cast's grids are made by factories, not the service that computes areas.
    Grid.objects.filter(pk=cast.east.pk).update(area_km2=Decimal("1.2345"))

    body = api_as("operator").get("/org/tree").json()

    [district] = body["districts"]
    assert (district["code"], district["name"]) == ("530114", "呈贡区")
    [sub] = district["subdistricts"]
    assert sub["code"] == "530114005"
    assert sub["name"] == "洛龙街道"
    assert sub["centre"] == {"name": "洛龙街道网格化综合管理处置中心", "level": "subdistrict"}
    assert [c["code"] for c in sub["communities"]] == ["530114005001", "530114005002"]
    wujiaying = sub["communities"][0]
    assert wujiaying["workstation"] == {"name": "吴家营社区网格化管理工作站"}
    assert wujiaying["grids"] == [
        {"code": "530114005001001", "name": "吴家营社区东网格", "area_km2": 1.2345},
        {"code": "530114005001002", "name": "吴家营社区西网格", "area_km2": None},
    ]


def test_the_supervisor_sees_only_their_grid_in_the_tree(api_as):
    body = api_as("supervisor").get("/org/tree").json()

    [sub] = body["districts"][0]["subdistricts"]
    assert [(c["name"], [g["name"] for g in c["grids"]]) for c in sub["communities"]] == [
        ("吴家营社区", ["吴家营社区东网格"])
    ]


def test_grids_are_a_feature_collection_of_the_visible_grids(api_as, cast):
    Grid.objects.filter(pk=cast.east.pk).update(area_km2=Decimal("1.2345"))
    operator = api_as("operator").get("/grids").json()
    supervisor = api_as("supervisor").get("/grids").json()

    assert operator["type"] == "FeatureCollection"
    assert len(operator["features"]) == 3
    assert len(supervisor["features"]) == 1
    east = supervisor["features"][0]
    assert east["geometry"]["type"] == "Polygon"
    assert east["properties"]["code"] == "530114005001001"
    assert east["properties"]["community"] == "530114005001"
    assert east["properties"]["community_name"] == "吴家营社区"
    assert east["properties"]["area_km2"] == 1.2345


def test_grids_can_be_filtered_by_community(api_as):
    body = api_as("operator").get("/grids", community="530114005002").json()

    assert [f["properties"]["name"] for f in body["features"]] == ["洛龙社区南网格"]


def test_a_malformed_community_filter_is_named(api_as):
    response = api_as("operator").get("/grids", community="005002")

    assert response.status_code == 422
    assert response.json()["field"] == "community"
    assert "12 digits" in response.json()["message"]


def test_extra_properties_such_as_synthetic_are_kept(api_as, cast):
    cast.south.properties = {"synthetic": True}
    cast.south.save()

    body = api_as("operator").get("/grids", community="530114005002").json()

    assert body["features"][0]["properties"]["synthetic"] is True


# ---------------------------------------------------------------------------------------------
# Locate


def test_a_point_inside_a_grid_locates_grid_community_and_subdistrict(api_as):
    response = api_as("sanitation").get("/locate", lon="102.847", lat="24.875")

    assert response.status_code == 200
    assert response.json() == {
        "grid": {"code": "530114005001001", "name": "吴家营社区东网格"},
        "community": {"code": "530114005001", "name": "吴家营社区"},
        "subdistrict": {"code": "530114005", "name": "洛龙街道"},
    }


def test_a_point_on_a_shared_edge_gets_the_same_answer_every_time(api_as):
    api = api_as("operator")

    answers = {
        api.get("/locate", lon=str(QUARTER), lat="24.875").json()["grid"]["code"] for _ in range(5)
    }
    east_south = api.get("/locate", lon=str(MID), lat="24.875").json()["grid"]["code"]

    # Between 东网格 (…001001) and 西网格 (…001002), and between 东网格 and 南网格 (…002001):
    # the lowest code wins.
    assert answers == {"530114005001001"}
    assert east_south == "530114005001001"


def test_a_point_outside_every_grid_is_404_outside_jurisdiction(api_as):
    response = api_as("operator").get("/locate", lon="102.95", lat="24.875")

    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "outside_jurisdiction"
    assert "outside the jurisdiction" in body["message"]


def test_swapped_longitude_and_latitude_are_400_naming_lat(api_as):
    response = api_as("operator").get("/locate", lon="24.875", lat="102.847")

    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "lat"
    assert "swapped" in body["message"]


def test_a_longitude_out_of_range_names_lon(api_as):
    response = api_as("operator").get("/locate", lon="202.8", lat="24.8")

    assert response.status_code == 400
    assert response.json()["field"] == "lon"
    assert "-180..180" in response.json()["message"]


def test_a_coordinate_that_is_not_a_number_is_named(api_as):
    response = api_as("operator").get("/locate", lon="east", lat="24.875")

    assert response.status_code == 400
    assert response.json() == {
        "message": "lon must be a number, got 'east'",
        "field": "lon",
        "code": "invalid",
    }
