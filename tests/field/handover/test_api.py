"""POST /api/v1/handovers and GET /api/v1/handovers/{id}."""

from __future__ import annotations

import pytest

from tests.api.conftest import api_as  # noqa: F401
from wangge.cases.models import Case
from wangge.field.handover.models import Handover

pytestmark = pytest.mark.django_db


def test_the_centre_hands_over_through_the_api_and_reads_the_log(ho, api_as):  # noqa: F811
    api = api_as("operator")
    r = api.post(
        "/handovers",
        {"person": ho.leaver.pk, "successor": ho.successor.pk, "reason": "辞职"},
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["cases"] == 1 and body["equipment"] == 2 and body["kind"] == "leaves"
    assert {(i["kind"], i["object_id"]) for i in body["items"]} >= {("case", ho.case.pk)}
    assert not Case.objects.open().filter(handler=ho.leaver).exists()
    r = api.get(f"/handovers/{body['id']}")
    assert r.status_code == 200 and r.json()["successor"]["name"] == "环卫工乙"


def test_a_bad_hand_over_is_a_clear_error_and_changes_nothing(ho, api_as):  # noqa: F811
    api = api_as("operator")
    r = api.post(
        "/handovers", {"person": ho.leaver.pk, "successor": ho.leaver.pk, "reason": "辞职"}
    )
    assert r.status_code == 400
    assert r.json()["field"] == "successor" and "themself" in r.json()["message"]
    r = api.post("/handovers", {"person": ho.leaver.pk, "successor": 999999, "reason": "x"})
    assert r.status_code == 404 and r.json()["field"] == "successor"
    assert not Handover.objects.exists()


def test_a_colleague_may_not_hand_over(ho, api_as):  # noqa: F811
    r = api_as("supervisor").post(
        "/handovers", {"person": ho.leaver.pk, "successor": ho.successor.pk, "reason": "辞职"}
    )
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert not Handover.objects.exists()
