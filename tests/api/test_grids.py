"""A grid with its people, the partition check, and the GeoJSON import (all or nothing)."""

from __future__ import annotations

from tests.api.conftest import strict_json
from tests.conftest import MID, QUARTER, S, W
from tests.factories import rect
from wangge.core.models import AuditEntry
from wangge.org.models import Grid

NEW_CODE = "530114005002002"
# South of the cast's outline: overlaps nothing stored.
NEW_GEOMETRY = rect(MID, 24.86, 102.86, 24.87)


def feature(code: str, name: str, community: str, geometry: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {"code": code, "name": name, "community": community},
    }


def collection(*features: dict) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def snapshot() -> list[tuple]:
    return list(Grid.objects.order_by("code").values_list("code", "name", "geometry"))


BOW_TIE = {
    "type": "Polygon",
    "coordinates": [[[MID, 24.86], [102.86, 24.87], [102.86, 24.86], [MID, 24.87], [MID, 24.86]]],
}


# ---------------------------------------------------------------------------------------------
# One grid


def test_a_grid_comes_with_roster_staffing_and_leaders(api_as):
    response = api_as("operator").get("/grids/530114005001001")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "吴家营社区东网格"
    assert body["community"] == {"code": "530114005001", "name": "吴家营社区"}
    assert body["subdistrict"] == {"code": "530114005", "name": "洛龙街道"}
    roster = {g["role"]: [p["name"] for p in g["people"]] for g in body["roster"]}
    assert roster == {
        "supervisor": ["监督员乙"],
        "enforcer": [],
        "sanitation": [],
        "police": [],
        "community_worker": [],
    }
    staffing = {s["role"]: (s["required"], s["actual"], s["gap"]) for s in body["staffing"]}
    assert staffing == {
        "supervisor": (1, 1, 0),
        "enforcer": (2, 0, 2),
        "sanitation": (2, 0, 2),
        "police": (1, 0, 1),
        "community_worker": (1, 0, 1),
    }
    assert [(x["level"], x["person_name"], x["unit_kind"]) for x in body["leaders"]] == [
        ("level1", "区领导丁", "district")
    ]


def test_a_grid_outside_the_territory_is_not_found(api_as):
    response = api_as("supervisor").get("/grids/530114005002001")

    assert response.status_code == 404
    assert response.json()["field"] == "code"


def test_fixed_paths_are_not_taken_for_grid_codes(api_as):
    api = api_as("operator")

    assert "subdistricts" in api.get("/grids/check").json()
    # /grids/import answers POST only; a GET is not read as the grid "import".
    assert api.get("/grids/import").status_code == 405


# ---------------------------------------------------------------------------------------------
# The partition check


def test_the_check_reports_a_clean_partition_as_strict_json(api_as):
    response = api_as("operator").get("/grids/check")

    assert response.status_code == 200
    body = strict_json(response)  # 西网格 has no staff: the staff ratio is null, not Infinity
    assert body["ok"] is True
    [sub] = body["subdistricts"]
    assert (sub["code"], sub["grid_count"], sub["problems"]) == ("530114005", 3, [])
    assert {g["code"]: g["staff"] for g in sub["load"]} == {
        "530114005001001": 1,
        "530114005001002": 0,
        "530114005002001": 1,
    }
    assert sub["staff_spread"]["ratio"] is None


def test_the_check_finds_an_overlap(api_as, cast):
    # Stretch 西网格 over 东网格 behind the services' back, as a bad direct edit would.
    Grid.objects.filter(pk=cast.west.pk).update(geometry=rect(W, S, MID, 24.88))

    body = api_as("operator").get("/grids/check").json()

    assert body["ok"] is False
    kinds = [(p["kind"], p["grids"]) for p in body["subdistricts"][0]["problems"]]
    assert ("overlap", ["530114005001001", "530114005001002"]) in kinds


def test_the_check_covers_only_the_territory(api_as, django_user_model):
    stranger = django_user_model.objects.create_user("stranger", password="x-123456789")
    assert stranger.pk

    body = api_as("stranger").get("/grids/check").json()

    assert body == {"ok": True, "subdistricts": []}


# ---------------------------------------------------------------------------------------------
# Import


def test_an_import_creates_the_grids_and_locate_finds_them(api_as):
    api = api_as("root")

    response = api.post(
        "/grids/import", collection(feature(NEW_CODE, "洛龙社区新网格", "洛龙社区", NEW_GEOMETRY))
    )

    assert response.status_code == 200, response.content
    assert response.json() == {"count": 1, "created": [NEW_CODE], "updated": []}
    assert Grid.objects.get(code=NEW_CODE).community.name == "洛龙社区"
    located = api.get("/locate", lon="102.855", lat="24.865").json()
    assert located["grid"]["code"] == NEW_CODE
    assert AuditEntry.objects.filter(action="grids.import", actor__username="root").exists()


def test_an_import_with_an_overlap_is_refused_naming_it_and_nothing_changes(api_as, cast):
    before = snapshot()
    overlapping = rect(QUARTER + 0.001, S, QUARTER + 0.003, 24.88)  # inside 东网格

    response = api_as("root").post(
        "/grids/import",
        collection(
            feature(NEW_CODE, "洛龙社区新网格", "530114005002", NEW_GEOMETRY),
            feature("530114005001003", "吴家营社区北网格", "530114005001", overlapping),
        ),
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_refused"
    assert "feature #2 530114005001003 吴家营社区北网格" in body["message"]
    assert "overlaps grid 530114005001001 吴家营社区东网格" in body["message"]
    assert body["field"] == "features[1].geometry"
    assert [e["field"] for e in body["errors"]] == ["features[1].geometry"]
    assert snapshot() == before


def test_a_malformed_code_is_refused(api_as):
    response = api_as("root").post(
        "/grids/import",
        collection(feature("53011400500200", "短码网格", "洛龙社区", NEW_GEOMETRY)),
    )

    assert response.status_code == 400
    assert response.json()["field"] == "features[0].properties.code"
    assert "exactly 15 digits" in response.json()["message"]
    assert not Grid.objects.filter(name="短码网格").exists()


def test_an_unknown_community_is_refused(api_as):
    response = api_as("root").post(
        "/grids/import", collection(feature(NEW_CODE, "新网格", "不存在社区", NEW_GEOMETRY))
    )

    assert response.status_code == 400
    assert response.json()["field"] == "features[0].properties.community"
    assert "unknown community '不存在社区'" in response.json()["message"]
    assert not Grid.objects.filter(code=NEW_CODE).exists()


def test_a_self_intersecting_polygon_is_refused(api_as):
    response = api_as("root").post(
        "/grids/import", collection(feature(NEW_CODE, "蝴蝶网格", "洛龙社区", BOW_TIE))
    )

    assert response.status_code == 400
    assert response.json()["field"] == "features[0].geometry"
    assert "self-intersecting" in response.json()["message"]
    assert not Grid.objects.filter(code=NEW_CODE).exists()


def test_every_problem_in_the_file_is_listed(api_as):
    response = api_as("root").post(
        "/grids/import",
        collection(
            feature("123", "短码网格", "洛龙社区", NEW_GEOMETRY),
            feature(NEW_CODE, "蝴蝶网格", "洛龙社区", BOW_TIE),
        ),
    )

    body = response.json()
    assert [e["field"] for e in body["errors"]] == [
        "features[0].properties.code",
        "features[1].geometry",
    ]
    assert "(and 1 more problem(s))" in body["message"]


def test_a_body_that_is_not_a_feature_collection_is_refused(api_as):
    not_json = api_as("root").post("/grids/import", raw="{not json")
    not_geojson = api_as("root").post("/grids/import", {"type": "Feature"})

    assert (not_json.status_code, not_json.json()["field"]) == (400, "body")
    assert (not_geojson.status_code, not_geojson.json()["field"]) == (400, "type")
    assert "FeatureCollection" in not_geojson.json()["message"]


def test_only_master_data_admins_may_import(api_as):
    before = snapshot()

    response = api_as("operator").post(
        "/grids/import", collection(feature(NEW_CODE, "新网格", "洛龙社区", NEW_GEOMETRY))
    )

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert "admins" in response.json()["message"]
    assert snapshot() == before
