"""The admin: geometry through the services, GeoJSON import/export, the partition check."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import MID, QUARTER, E, N, S, W
from tests.factories import rect
from wangge.core.models import AuditEntry
from wangge.org.models import Grid, Subdistrict

PASSWORD = "pass-word-123"
BOW_TIE = {
    "type": "Polygon",
    "coordinates": [[[W, S], [MID, N], [MID, S], [W, N], [W, S]]],
}


@pytest.fixture
def admin_client(cast, client):
    assert client.login(username="root", password=PASSWORD)
    return client


def feature(code, name, community, geometry):
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name, "community": community},
        "geometry": geometry,
    }


def upload(data):
    return SimpleUploadedFile(
        "grids.geojson", json.dumps(data, ensure_ascii=False).encode(), "application/geo+json"
    )


@pytest.mark.parametrize(
    "model",
    [
        "org/district",
        "org/subdistrict",
        "org/community",
        "org/grid",
        "org/gridcenter",
        "org/workstation",
        "org/handlingunit",
        "people/person",
        "people/gridrole",
        "people/staffingstandard",
        "people/leaderpost",
        "people/apitoken",
        "core/auditentry",
    ],
)
def test_every_master_data_model_has_an_admin_list(admin_client, model):
    assert admin_client.get(f"/admin/{model}/").status_code == 200


def test_the_admin_person_form_shows_the_role_inline(admin_client, cast):
    response = admin_client.get(f"/admin/people/person/{cast.supervisor.pk}/change/")
    assert response.status_code == 200
    assert "roles-TOTAL_FORMS" in response.content.decode()


def test_the_import_refuses_an_overlapping_file_and_writes_nothing(admin_client, cast):
    before = sorted(Grid.objects.values_list("code", "name"))
    audit_before = AuditEntry.objects.count()
    data = {
        "type": "FeatureCollection",
        "features": [
            # A new grid lying over 吴家营社区西网格.
            feature("530114005001003", "新网格", "吴家营社区", rect(W, S, QUARTER, N)),
            # And a fine one that must not be written either.
            feature("530114005002002", "洛龙社区北网格", "洛龙社区", rect(MID, N, E, N + 0.01)),
        ],
    }
    response = admin_client.post("/admin/org/grid/import/", {"file": upload(data)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "530114005001003" in html
    assert "吴家营社区西网格" in html  # the overlap is named
    assert len(response.context["errors"]) == 1
    assert sorted(Grid.objects.values_list("code", "name")) == before
    assert AuditEntry.objects.count() == audit_before


def test_the_import_lists_every_problem(admin_client, cast):
    data = {
        "type": "FeatureCollection",
        "features": [
            feature("12345", "短码", "吴家营社区", rect(W, N, MID, N + 0.01)),
            feature("530114005001004", "未知社区网格", "不存在社区", rect(W, N, MID, N + 0.01)),
        ],
    }
    response = admin_client.post("/admin/org/grid/import/", {"file": upload(data)})
    assert len(response.context["errors"]) == 2
    assert not Grid.objects.filter(code="530114005001004").exists()


def test_the_import_refuses_a_file_that_is_not_json(admin_client, cast):
    bad = SimpleUploadedFile("grids.geojson", b"{not json", "application/json")
    response = admin_client.post("/admin/org/grid/import/", {"file": bad})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_the_import_writes_a_good_file(admin_client, cast):
    data = {
        "type": "FeatureCollection",
        "features": [
            feature("530114005002002", "洛龙社区北网格", "洛龙社区", rect(MID, N, E, N + 0.01)),
        ],
    }
    response = admin_client.post("/admin/org/grid/import/", {"file": upload(data)})
    assert response.status_code == 200
    assert response.context["result"].created == ["530114005002002"]
    assert Grid.objects.get(code="530114005002002").area_km2 > 0


def test_the_grid_form_refuses_a_bow_tie(admin_client, cast):
    # The assertions read the service's English message (the admin is Chinese by default).
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = admin_client.post(
        f"/admin/org/grid/{cast.west.pk}/change/",
        {
            "community": cast.wujiaying.pk,
            "name": cast.west.name,
            "geometry": json.dumps(BOW_TIE),
            "properties": "{}",
        },
    )
    assert response.status_code == 200  # the form again, not a redirect and not a 500
    errors = response.context["adminform"].form.errors
    assert "self-intersecting" in str(errors["geometry"])
    cast.west.refresh_from_db()
    assert cast.west.geometry == rect(W, S, QUARTER, N)


def test_the_grid_form_refuses_an_overlap(admin_client, cast):
    # The assertions read the service's English message (the admin is Chinese by default).
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = admin_client.post(
        "/admin/org/grid/add/",
        {
            "community": cast.wujiaying.pk,
            "code": "530114005001003",
            "name": "重叠网格",
            "geometry": json.dumps(rect(W, S, MID, N)),
            "properties": "{}",
        },
    )
    assert response.status_code == 200
    assert "overlaps" in str(response.context["adminform"].form.errors)
    assert not Grid.objects.filter(code="530114005001003").exists()


def test_the_grid_form_saves_through_the_service(admin_client, cast):
    response = admin_client.post(
        "/admin/org/grid/add/",
        {
            "community": cast.luolong.pk,
            "code": "530114005002002",
            "name": "洛龙社区北网格",
            "geometry": json.dumps(rect(MID, N, E, N + 0.01)),
            "properties": "{}",
        },
    )
    assert response.status_code == 302
    grid = Grid.objects.get(code="530114005002002")
    assert grid.area_km2 > 0  # computed by the service
    assert AuditEntry.objects.filter(action="grid.create", object_id=grid.code).exists()


def test_the_grid_form_refuses_a_duplicate_code(admin_client, cast):
    response = admin_client.post(
        "/admin/org/grid/add/",
        {
            "community": cast.wujiaying.pk,
            "code": cast.east.code,
            "name": "另一个",
            "geometry": json.dumps(rect(W, N, MID, N + 0.01)),
            "properties": "{}",
        },
    )
    assert response.status_code == 200
    cast.east.refresh_from_db()
    assert cast.east.name == "吴家营社区东网格"


def test_the_subdistrict_form_refuses_a_bow_tie_and_stores_a_good_outline(admin_client, cast):
    url = f"/admin/org/subdistrict/{cast.subdistrict.pk}/change/"
    post = {
        "district": cast.district.pk,
        "code": "005",
        "name": "洛龙街道",
        "built_up_km2": "13.32",
        "geometry": json.dumps(BOW_TIE),
    }
    response = admin_client.post(url, post)
    assert response.status_code == 200
    assert "geometry" in response.context["adminform"].form.errors
    response = admin_client.post(url, {**post, "geometry": json.dumps(rect(W, S, E, N))})
    assert response.status_code == 302
    sub = Subdistrict.objects.get(pk=cast.subdistrict.pk)
    assert sub.area_km2 > 0


def test_export_selected_grids_as_geojson(admin_client, cast):
    response = admin_client.post(
        "/admin/org/grid/",
        {"action": "export_geojson", "_selected_action": [cast.east.pk, cast.south.pk]},
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert sorted(f["properties"]["code"] for f in data["features"]) == sorted(
        [cast.east.code, cast.south.code]
    )


def test_the_admin_runs_the_partition_check(admin_client, cast):
    response = admin_client.get("/admin/org/grid/check/", follow=True)
    assert response.redirect_chain[-1][0] == "/grids/check/"
    assert response.status_code == 200
    assert response.context["reports"][0].ok
    assert "洛龙街道" in response.content.decode()


def test_the_admin_check_shows_an_overlap(admin_client, cast):
    # Written around the services on purpose: the check must catch what slipped in.
    Grid.objects.filter(pk=cast.south.pk).update(geometry=rect(QUARTER, S, E, N))
    response = admin_client.get("/admin/org/grid/check/", follow=True)
    assert not response.context["reports"][0].ok
    assert "overlap" in [p.kind for p in response.context["reports"][0].problems]


def test_the_audit_log_is_read_only(admin_client, cast):
    assert admin_client.get("/admin/core/auditentry/add/").status_code == 403


def test_non_staff_cannot_reach_the_admin_import(cast, client):
    client.login(username="operator", password=PASSWORD)
    assert client.get("/admin/org/grid/import/").status_code == 302


def test_the_grid_and_subdistrict_forms_show_geometry_as_geojson_text(admin_client, cast):
    html = admin_client.get(f"/admin/org/grid/{cast.east.pk}/change/").content.decode()
    assert "&quot;Polygon&quot;" in html  # pretty-printed GeoJSON in the textarea
    assert admin_client.get("/admin/org/grid/add/").status_code == 200
    sub = admin_client.get(f"/admin/org/subdistrict/{cast.subdistrict.pk}/change/")
    assert sub.status_code == 200
