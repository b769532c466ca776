"""Reporting a problem over the API: JSON or multipart, idempotent, and refused clearly."""

from __future__ import annotations

import pytest

from tests.cases.api.conftest import EAST, OUTSIDE, b64, png64, report_body
from tests.cases.conftest import png
from wangge.cases.models import Case, CasePhoto

pytestmark = pytest.mark.django_db


def test_a_report_with_a_category_and_a_base64_photo(cc, api_as):
    response = api_as("supervisor").post(
        "/cases", report_body(category="LE9901", urgency="urgent", photos=[png64()])
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["category"]["code"] == "LE9901" and body["urgency"] == "urgent"
    assert (body["lon"], body["lat"]) == EAST
    assert body["subdistrict"]["name"] == "洛龙街道"
    assert body["events"][0]["actor"] == "监督员乙"
    case = Case.objects.get()
    assert (case.reporter, case.photos.get().kind) == (cc.supervisor.user, "before")


def test_a_report_as_a_multipart_form_with_files(cc, api_as):
    response = api_as("supervisor").post_form(
        "/cases",
        {
            "source": "supervisor",
            "description": "井盖缺失",
            "lon": str(EAST[0]),
            "lat": str(EAST[1]),
            "photos": [("one.png", png()), ("two.png", png("blue"))],
        },
    )

    assert response.status_code == 201, response.json()
    assert len(response.json()["photos"]) == 2
    assert Case.objects.get().description == "井盖缺失"


def test_a_retried_report_with_the_same_idempotency_key_makes_one_case(cc, api_as):
    api = api_as("supervisor")
    key = {"Idempotency-Key": "phone-7-000123"}

    first = api.post("/cases", report_body(), headers=key)
    retry = api.post("/cases", report_body(), headers=key)
    other = api.post("/cases", report_body(), headers={"Idempotency-Key": "phone-7-000124"})

    assert (first.status_code, retry.status_code, other.status_code) == (201, 200, 201)
    assert first.json()["id"] == retry.json()["id"] != other.json()["id"]
    assert Case.objects.count() == 2


def test_another_users_idempotency_key_is_refused(cc, api_as):
    key = {"Idempotency-Key": "phone-7-000123"}
    api_as("supervisor").post("/cases", report_body(), headers=key)

    response = api_as("operator").post("/cases", report_body(), headers=key)

    assert response.status_code == 409
    assert response.json()["field"] == "Idempotency-Key"
    assert Case.objects.count() == 1


def test_an_unknown_category_is_refused_naming_it(cc, api_as):
    response = api_as("supervisor").post("/cases", report_body(category="ZZ0000"))

    assert response.status_code == 400
    assert response.json()["field"] == "category"
    assert "ZZ0000" in response.json()["message"]
    assert not Case.objects.exists()


def test_a_place_outside_the_jurisdiction_is_a_400_naming_it(cc, api_as):
    response = api_as("supervisor").post(
        "/cases", report_body(lon=OUTSIDE[0], lat=OUTSIDE[1], photos=[png64()])
    )

    assert response.status_code == 400
    assert response.json()["code"] == "outside_jurisdiction"
    assert response.json()["field"] == "lon"
    assert "outside the jurisdiction" in response.json()["message"]
    assert not Case.objects.exists() and not CasePhoto.objects.exists()


@pytest.mark.parametrize(
    "photo",
    [b64(b"%PDF-1.4 not a photo"), "this is not base64!"],
    ids=["pdf", "not-base64"],
)
def test_a_photo_that_is_not_an_image_is_refused(cc, api_as, photo):
    response = api_as("supervisor").post("/cases", report_body(photos=[png64(), photo]))

    assert response.status_code == 400
    assert response.json()["field"] == "photos"
    assert "photos[1]" in response.json()["message"]
    assert not Case.objects.exists()


def test_an_uploaded_file_that_is_not_an_image_is_refused(cc, api_as):
    response = api_as("supervisor").post_form(
        "/cases",
        {
            "source": "supervisor",
            "description": "x",
            "lon": str(EAST[0]),
            "lat": str(EAST[1]),
            "photos": [("report.pdf", b"%PDF-1.4 not a photo")],
        },
    )

    assert response.status_code == 400
    assert response.json()["field"] == "photos"
    assert "report.pdf is not an image" in response.json()["message"]
    assert not Case.objects.exists()


def test_a_photo_too_large_is_refused(cc, api_as, monkeypatch):
    monkeypatch.setattr("wangge.cases.services.MAX_PHOTO_BYTES", 50)

    response = api_as("supervisor").post("/cases", report_body(photos=[png64()]))

    assert response.status_code == 400
    assert response.json()["field"] == "photos"
    assert "larger than" in response.json()["message"]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (report_body(description="  "), 400, "description"),
        (report_body(source="rumour"), 400, "source"),
        (report_body(lon="east"), 400, "lon"),
        ({"description": "x", "lon": EAST[0], "lat": EAST[1]}, 422, "source"),
        (report_body(photos="abc"), 422, "photos"),
    ],
    ids=["blank-description", "unknown-source", "bad-lon", "no-source", "photos-not-a-list"],
)
def test_bad_report_input_is_named(cc, api_as, body, status, field):
    response = api_as("supervisor").post("/cases", body)

    assert (response.status_code, response.json()["field"]) == (status, field), response.json()
    assert not Case.objects.exists()


def test_a_body_that_is_not_a_json_object_is_refused(cc, api_as):
    api = api_as("supervisor")

    assert api.post("/cases", [1, 2]).json()["field"] == "body"
    assert api.post("/cases").status_code == 400


def test_a_problem_fixed_on_the_spot_is_recorded_with_before_and_after_photos(cc, api_as):
    body = {
        "category": "LE9901",
        "description": "捡拾垃圾",
        "lon": EAST[0],
        "lat": EAST[1],
        "before": [png64()],
        "after": [png64("green")],
    }

    response = api_as("supervisor").post("/cases/self-handled", body)

    assert response.status_code == 201, response.json()
    assert (response.json()["status"], response.json()["tier"]) == ("self_handled", 1)
    assert sorted(p["kind"] for p in response.json()["photos"]) == ["after", "before"]


def test_a_fix_on_the_spot_as_multipart_and_retried(cc, api_as):
    api = api_as("supervisor")
    form = {
        "category": "LE9901",
        "description": "捡拾垃圾",
        "lon": str(EAST[0]),
        "lat": str(EAST[1]),
        "before": [("before.png", png())],
        "after": [("after.png", png("green"))],
    }
    key = {"Idempotency-Key": "fix-0000001"}

    first = api.post_form("/cases/self-handled", form, headers=key)
    retry = api.post_form("/cases/self-handled", form, headers=key)

    assert (first.status_code, retry.status_code) == (201, 200)
    assert Case.objects.get().status == "self_handled"


@pytest.mark.parametrize(
    ("who", "after", "status", "field"),
    [
        ("station", [png64()], 403, None),  # not one of the grid's five roles
        ("supervisor", [], 400, "photos"),
        ("supervisor", ["%%%"], 400, "after"),
    ],
    ids=["wrong-person", "no-after-photo", "after-not-base64"],
)
def test_a_fix_on_the_spot_is_refused(cc, api_as, who, after, status, field):
    body = {
        "category": "LE9901",
        "description": "x",
        "lon": EAST[0],
        "lat": EAST[1],
        "before": [png64()],
        "after": after,
    }

    response = api_as(who).post("/cases/self-handled", body)

    assert (response.status_code, response.json()["field"]) == (status, field), response.json()
    assert not Case.objects.exists()
