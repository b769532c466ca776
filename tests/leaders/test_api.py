"""The leaders API: follow-ups (list, done) and inspections (record, list a month)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from wangge.leaders.models import FollowUp, Inspection
from wangge.leaders.services import FollowUpInput, inspection_record, meeting_record
from wangge.people.services import token_create

BASE = "/api/v1/leaders"


class Api:
    def __init__(self, client, user) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token_create(user=user)}"}

    def get(self, path: str, **params):
        return self.client.get(BASE + path, params, headers=self.headers, HTTP_ACCEPT_LANGUAGE="en")

    def post(self, path: str, body=None):
        return self.client.post(
            BASE + path,
            json.dumps(body or {}),
            content_type="application/json",
            headers=self.headers,
            HTTP_ACCEPT_LANGUAGE="en",
        )


@pytest.fixture
def meeting(crew):
    today = timezone.localdate()
    return meeting_record(
        by_user=crew.leader.user,
        leader=crew.post,
        at=timezone.now() - dt.timedelta(days=10),
        topic="协调会",
        follow_ups=[
            FollowUpInput("late", crew.enforcer, today - dt.timedelta(days=1)),
            FollowUpInput("later", crew.worker, today + dt.timedelta(days=5)),
        ],
    )


def test_open_follow_ups_of_the_leader_with_the_overdue_flag(client, crew, meeting):
    got = Api(client, crew.leader.user).get("/follow-ups", status="open")

    assert got.status_code == 200
    assert [(f["action"], f["overdue"]) for f in got.json()] == [("late", True), ("later", False)]


def test_an_owner_sees_their_own_follow_ups_only(client, crew, meeting, cast):
    got = Api(client, crew.enforcer.user).get("/follow-ups")

    assert [f["action"] for f in got.json()] == ["late"]
    assert Api(client, crew.south_post.person.user).get("/follow-ups").json() == []


def test_mark_a_follow_up_done(client, crew, meeting):
    fu = FollowUp.objects.get(action="late")
    api = Api(client, crew.enforcer.user)

    done = api.post(f"/follow-ups/{fu.pk}/done", {"note": "已完成"})

    assert done.status_code == 200
    assert (done.json()["status"], done.json()["overdue"]) == ("done", False)
    again = api.post(f"/follow-ups/{fu.pk}/done", {"note": "x"})
    assert again.status_code == 409 and again.json()["code"] == "conflict"


def test_a_follow_up_not_mine_is_404(client, crew, meeting):
    fu = FollowUp.objects.get(action="later")

    response = Api(client, crew.enforcer.user).post(f"/follow-ups/{fu.pk}/done")

    assert response.status_code == 404
    assert FollowUp.objects.get(pk=fu.pk).status == "open"


def test_record_an_inspection(client, crew, cast):
    response = Api(client, crew.leader.user).post(
        "/inspections",
        {
            "person_id": crew.enforcer.pk,
            "finding": "absent",
            "note": "不在岗",
            "lon": 102.847,
            "lat": 24.875,
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["grid_code"], body["role"], body["deducted"]) == (cast.east.code, "enforcer", True)
    assert body["inspector_post_id"] == crew.post.pk


def test_inspecting_a_supervisor_is_refused(client, crew, cast):
    response = Api(client, crew.leader.user).post(
        "/inspections", {"person_id": cast.supervisor.pk, "finding": "absent", "note": "x"}
    )

    assert response.status_code == 400
    assert response.json()["field"] == "person_id"
    assert "grid supervisor" in response.json()["message"]
    assert Inspection.objects.count() == 0


def test_a_leader_of_another_community_is_forbidden(client, crew):
    response = Api(client, crew.south_post.person.user).post(
        "/inspections", {"person_id": crew.enforcer.pk, "finding": "ok"}
    )

    assert response.status_code == 403
    assert Inspection.objects.count() == 0


def test_inspections_of_a_month_in_my_territory(client, crew, cast):
    now = timezone.now()
    may = timezone.make_aware(dt.datetime(2026, 5, 20, 10))
    june = timezone.make_aware(dt.datetime(2026, 6, 2, 10))
    for when in (may, june):
        inspection_record(
            by_user=cast.admin_user, person=crew.enforcer, at=when, finding="ok", now=now
        )
    inspection_record(
        by_user=cast.admin_user, person=cast.sanitation_other, at=may, finding="ok", now=now
    )

    mine = Api(client, crew.leader.user).get("/inspections", month="2026-05")
    everything = Api(client, cast.operator.user).get("/inspections", month="2026-05")

    assert [i["person"] for i in mine.json()] == [crew.enforcer.name]
    assert {i["person"] for i in everything.json()} == {
        crew.enforcer.name,
        cast.sanitation_other.name,
    }
    assert Api(client, crew.enforcer.user).get("/inspections").status_code == 403
    assert Api(client, UserFactory(username="nobody")).get("/inspections").status_code == 403
    assert Api(client, crew.leader.user).get("/inspections", month="2026-13").status_code in (
        400,
        422,
    )
