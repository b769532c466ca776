"""The duty API at /api/v1/duty, called with API tokens as the handheld does."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.factories import PersonFactory, UserFactory
from tests.field.duty.conftest import INSIDE
from wangge.field.duty.models import DutySession, Ping, Shift
from wangge.people.services import role_assign, token_create

BASE = "/api/v1/duty"


class Api:
    def __init__(self, client, user) -> None:
        self.client = client
        key = token_create(user=user, label="test")
        self.headers = {"Authorization": f"Bearer {key}", "Accept-Language": "en"}

    def get(self, path: str, params: Any = None):
        return self.client.get(BASE + path, params or {}, headers=self.headers)

    def post(self, path: str, body: Any):
        return self.client.post(
            BASE + path, json.dumps(body), content_type="application/json", headers=self.headers
        )


@pytest.fixture
def api_as(cast, client):
    def make(username: str) -> Api:
        return Api(client, get_user_model().objects.get(username=username))

    return make


def point(k: int, **overrides: Any) -> dict[str, Any]:
    at = timezone.now() - dt.timedelta(minutes=10) + dt.timedelta(seconds=k)
    return {
        "client_id": f"phone-{k:05d}",
        "at": at.isoformat(),
        "lon": INSIDE[0],
        "lat": INSIDE[1],
        "accuracy": 5,
        **overrides,
    }


def test_pings_are_stored_and_retries_counted_as_duplicates(api_as, cast):
    api = api_as("supervisor")
    first = point(0)
    body = {"pings": [point(2), first, point(1), first]}
    r = api.post("/pings", body)
    assert r.status_code == 200, r.content
    assert r.json() == {"received": 4, "stored": 3, "duplicates": 1}
    r = api.post("/pings", body)
    assert r.json() == {"received": 4, "stored": 0, "duplicates": 4}
    assert Ping.objects.filter(person=cast.supervisor).count() == 3


def test_bad_pings_answer_with_every_bad_point_and_store_nothing(api_as):
    api = api_as("supervisor")
    r = api.post("/pings", {"pings": [point(0), point(1, lat=95), point(2, at="soon")]})
    assert r.status_code == 400
    data = r.json()
    assert data["code"] == "invalid_pings"
    assert data["field"] == "pings[1].lat"
    assert "2 bad point(s)" in data["message"]
    assert [e["field"] for e in data["errors"]] == ["pings[1].lat", "pings[2].at"]
    assert "out of range -90..90" in data["errors"][0]["message"]
    assert not Ping.objects.exists()


def test_a_batch_over_the_limit_is_refused(api_as):
    r = api_as("supervisor").post("/pings", {"pings": [point(k) for k in range(1001)]})
    assert r.status_code == 400
    assert r.json()["code"] == "batch_too_large"
    assert not Ping.objects.exists()


def test_pings_without_a_list_are_a_422(api_as):
    r = api_as("supervisor").post("/pings", {"points": []})
    assert r.status_code == 422
    assert r.json()["field"] == "pings"


def test_a_person_who_left_is_refused(api_as, cast):
    cast.supervisor.end_date = timezone.localdate() - dt.timedelta(days=1)
    cast.supervisor.save()
    r = api_as("supervisor").post("/pings", {"pings": [point(0)]})
    assert r.status_code == 403
    assert "left on" in r.json()["message"]
    assert not Ping.objects.exists()


def test_a_user_without_a_person_is_refused(api_as, cast):
    r = api_as("root").post("/pings", {"pings": [point(0)]})
    assert r.status_code == 403
    assert "not linked to a person" in r.json()["message"]


def test_no_token_is_a_401(client, cast):
    r = client.post(BASE + "/pings", "{}", content_type="application/json")
    assert r.status_code == 401


def test_sign_on_twice_with_the_same_client_id_is_one_session(api_as, cast):
    api = api_as("supervisor")
    body = {"client_id": "signon-0001", "lon": INSIDE[0], "lat": INSIDE[1]}
    first = api.post("/sign-on", body)
    assert first.status_code == 200, first.content
    again = api.post("/sign-on", body)
    assert again.json() == first.json()
    assert first.json()["grid"] == {"code": cast.east.code, "name": cast.east.name}
    assert first.json()["role"] == "supervisor"
    assert first.json()["ended_at"] is None
    assert DutySession.objects.filter(person=cast.supervisor).count() == 1
    # Another client id while on duty: a conflict, not a second session.
    other = api.post("/sign-on", {**body, "client_id": "signon-0002"})
    assert other.status_code == 409
    off = api.post("/sign-off", {"lon": INSIDE[0], "lat": INSIDE[1]})
    assert off.status_code == 200
    assert off.json()["id"] == first.json()["id"]
    assert off.json()["ended_at"] is not None
    assert api.post("/sign-off", {}).json() == off.json()  # a retried sign-off


def test_sign_on_names_the_grid_and_role_when_several(api_as, cast):
    role_assign(
        person=cast.supervisor, grid=cast.west, role="supervisor", start_date=dt.date(2020, 1, 1)
    )
    api = api_as("supervisor")
    r = api.post("/sign-on", {"client_id": "signon-0001"})
    assert r.status_code == 400
    assert "several roles" in r.json()["message"]
    r = api.post("/sign-on", {"client_id": "signon-0001", "grid": "nope"})
    assert r.status_code == 400
    assert r.json()["field"] == "grid"
    r = api.post("/sign-on", {"client_id": "signon-0001", "grid": cast.west.code})
    assert r.status_code == 200
    assert r.json()["grid"]["code"] == cast.west.code


def test_me_gives_the_session_the_interval_and_todays_shifts(api_as, cast):
    api = api_as("supervisor")
    r = api.get("/me")
    assert r.status_code == 200
    assert r.json() == {"session": None, "ping_interval_s": 30, "shifts": []}
    today = timezone.localdate()
    Shift.objects.create(
        person=cast.supervisor,
        grid=cast.east,
        role="supervisor",
        weekday=today.weekday(),
        start_time=dt.time(8),
        end_time=dt.time(12),
        valid_from=today - dt.timedelta(days=7),
    )
    api.post("/sign-on", {"client_id": "signon-0001"})
    data = api.get("/me").json()
    assert data["session"]["grid"]["code"] == cast.east.code
    [shift] = data["shifts"]
    assert shift["grid"] == cast.east.code
    assert dt.datetime.fromisoformat(shift["start"]).hour == 8


def test_summary_of_my_day_and_of_people_in_my_territory(api_as, cast):
    # Yesterday at 10:00 local: a whole day that has ended, whatever the hour the test runs.
    day = timezone.localdate() - dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
    DutySession.objects.create(
        person=cast.supervisor,
        grid=cast.east,
        role="supervisor",
        started_at=start,
        ended_at=start + dt.timedelta(minutes=10),
        client_id="session-01",
    )
    mine = api_as("supervisor").get("/summary", {"date": day.isoformat()})
    assert mine.status_code == 200, mine.content
    assert mine.json()["on_duty_minutes"] == 10
    assert set(mine.json()) >= {
        "on_duty_minutes",
        "online_minutes",
        "off_post_minutes",
        "missed_shifts",
        "shifts",
        "distance_m",
        "coverage",
    }
    # The operator's territory is the subdistrict: the supervisor is in it.
    r = api_as("operator").get("/summary", {"person": cast.supervisor.pk, "date": day.isoformat()})
    assert r.status_code == 200
    assert r.json()["on_duty_minutes"] == 10
    # The south grid's sanitation worker sees only their own grid's people.
    r = api_as("sanitation").get("/summary", {"person": cast.supervisor.pk})
    assert r.status_code == 404
    r = api_as("supervisor").get("/summary", {"person": cast.supervisor.pk, "date": "20-11"})
    assert r.status_code == 422


def test_now_lists_who_is_on_duty_in_my_territory(api_as, cast):
    api_as("supervisor").post("/sign-on", {"client_id": "signon-0001"})
    api_as("supervisor").post("/pings", {"pings": [point(0), point(5, lon=102.848)]})
    api_as("sanitation").post("/sign-on", {"client_id": "signon-0002"})
    rows = api_as("operator").get("/now").json()
    assert [(r["person"]["name"], r["grid"]["code"]) for r in rows] == [
        (cast.supervisor.name, cast.east.code),
        (cast.sanitation_other.name, cast.south.code),
    ]
    assert rows[0]["last"]["lon"] == 102.848
    assert rows[1]["last"] is None
    # The supervisor's territory is the east grid: the south grid's worker is not listed.
    mine = api_as("supervisor").get("/now").json()
    assert [r["person"]["name"] for r in mine] == [cast.supervisor.name]


def test_someone_in_another_subdistrict_is_not_visible(api_as, cast):
    stranger = PersonFactory(name="外人", user=UserFactory(username="stranger"))
    r = api_as("operator").get("/summary", {"person": stranger.pk})
    assert r.status_code == 404
