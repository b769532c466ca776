"""One error shape: {"message", "field", "code"}, from services, validation and auth alike."""

from __future__ import annotations

from tests.api.conftest import BASE


def test_a_domain_error_keeps_its_status_message_and_field(api_as):
    response = api_as("operator").get("/grids/530114005009001")

    assert response.status_code == 404
    assert response.json() == {
        "message": "no grid with code '530114005009001' in your territory",
        "field": "code",
        "code": "not_found",
    }


def test_a_validation_error_names_the_first_field_in_a_readable_message(api_as, cast):
    response = api_as("root").post(
        f"/people/{cast.supervisor.pk}/roles",
        {"grid": cast.west.code, "role": "enforcer", "start_date": "next monday"},
    )

    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "start_date"
    assert body["message"].startswith("start_date: ")
    assert "date" in body["message"]
    assert body["code"] == "invalid"
    assert body["errors"][0] == {"message": body["message"], "field": "start_date"}


def test_a_missing_field_says_it_is_required(api_as):
    response = api_as("operator").get("/locate", lon="102.847")

    assert response.status_code == 422
    assert response.json()["field"] == "lat"
    assert response.json()["message"] == "lat: this field is required"


def test_a_model_rule_in_a_service_comes_back_as_400_naming_the_field(api_as):
    response = api_as("root").post("/people", {"name": "王五", "phone": "call me"})

    assert response.status_code == 400
    assert response.json()["field"] == "phone"
    assert response.json()["code"] == "invalid"


def test_unknown_paths_stay_djangos_404(api_as, client):
    response = client.get(f"{BASE}/no-such-thing")

    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


def test_a_body_that_is_not_json_names_the_body(api_as):
    response = api_as("root").post("/people", raw="{name: 张三")

    assert response.status_code == 400
    assert response.json() == {
        "message": "the request body is not valid JSON",
        "field": "body",
        "code": "invalid",
    }


def test_a_missing_body_names_the_body_not_a_parameter(api_as):
    response = api_as("root").post("/people", raw="")

    assert response.status_code == 422
    assert response.json()["field"] == "body"


def test_a_body_over_the_upload_limit_is_413_not_a_server_error(api_as, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64
    features = [{"type": "Feature", "properties": {"code": "x" * 100}}]

    response = api_as("root").post(
        "/grids/import", {"type": "FeatureCollection", "features": features}
    )

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert "64 bytes" in response.json()["message"]


def test_a_wrong_method_gets_the_json_error_shape(client, db):
    response = client.get("/api/v1/grids/import")
    assert response.status_code == 405
    body = response.json()
    assert body["code"] == "method_not_allowed"
    assert "GET is not allowed here" in body["message"] and body["field"] is None
    assert "POST" in response["Allow"]
