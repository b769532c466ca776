"""The linkage API: my inbox, ack / arrive / handle (idempotent), response times."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from wangge.field.linkage.models import LinkageCall
from wangge.people.services import token_create

from .conftest import EAST_POINT, report_by


class Api:
    def __init__(self, client, user) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token_create(user=user)}"}

    def get(self, path: str, **params):
        return self.client.get(
            "/api/v1/linkage" + path, params, headers=self.headers, HTTP_ACCEPT_LANGUAGE="en"
        )

    def post(self, path: str, body=None):
        return self.client.post(
            "/api/v1/linkage" + path,
            json.dumps(body or {}),
            content_type="application/json",
            headers=self.headers,
            HTTP_ACCEPT_LANGUAGE="en",
        )


@pytest.fixture
def call(cast, crew, django_capture_on_commit_callbacks) -> LinkageCall:
    report_by(crew.police, crew.litter, django_capture_on_commit_callbacks)
    return LinkageCall.objects.get()


def test_inbox_lists_my_open_calls(client, crew, call):
    mine = Api(client, crew.sanitation.user).get("/inbox")
    assert mine.status_code == 200
    (item,) = mine.json()
    assert item["id"] == call.pk and item["case_number"] == call.case.number
    assert item["status"] == "called" and item["role"] == "sanitation"
    assert Api(client, crew.police.user).get("/inbox").json() == []


def test_ack_arrive_handle_through_the_api(client, crew, call):
    api = Api(client, crew.sanitation.user)

    first = api.post(f"/calls/{call.pk}/ack")
    again = api.post(f"/calls/{call.pk}/ack")
    assert first.status_code == again.status_code == 200
    assert first.json()["acknowledged_at"] == again.json()["acknowledged_at"]

    far = api.post(f"/calls/{call.pk}/arrive", {"lon": EAST_POINT[0] + 0.01, "lat": EAST_POINT[1]})
    assert far.status_code == 400
    assert far.json()["code"] == "too_far" and far.json()["field"] == "lon"

    near = api.post(f"/calls/{call.pk}/arrive", {"lon": EAST_POINT[0], "lat": EAST_POINT[1]})
    assert near.status_code == 200 and near.json()["status"] == "arrived"

    done = api.post(f"/calls/{call.pk}/handle", {"comment": "已清理"})
    assert done.status_code == 200
    assert done.json()["status"] == "handled" and done.json()["comment"] == "已清理"
    assert api.get("/inbox").json() == []


def test_someone_elses_call_is_refused_or_not_found(client, crew, cast, call):
    # a five-role member of the same grid sees it in their territory, but may not answer
    assert Api(client, crew.police.user).post(f"/calls/{call.pk}/ack").status_code == 403
    # a worker of another grid does not even see it
    other = Api(client, cast.sanitation_other.user).post(f"/calls/{call.pk}/ack")
    assert other.status_code == 404
    assert other.json()["code"] == "not_found"


def test_response_times_for_a_month(client, crew, cast, call):
    month = timezone.localdate().strftime("%Y-%m")
    Api(client, crew.sanitation.user).post(f"/calls/{call.pk}/ack")

    body = Api(client, cast.operator.user).get("/response-times", month=month).json()

    assert body["month"] == month
    (row,) = body["rows"]
    assert (row["grid"], row["role"], row["calls"], row["acknowledged"]) == (
        "吴家营社区东网格",
        "sanitation",
        1,
        1,
    )
    bad = Api(client, cast.operator.user).get("/response-times", month="2026-13x")
    assert bad.status_code == 422
