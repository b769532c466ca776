"""``wangge assess`` and the API under /api/v1/assessment."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from tests.assessment.conftest import closed_case
from wangge.assessment.models import AssessmentRun, RunStatus
from wangge.assessment.services import score_manual
from wangge.assessment.tasks import previous_month
from wangge.people.groups import ASSESSORS
from wangge.people.services import token_create

BASE = "/api/v1/assessment"


def run_command(*args: str) -> str:
    out = StringIO()
    call_command("assess", *args, stdout=out)
    return out.getvalue()


def test_the_command_drafts_the_month(cast):
    closed_case(cast.east, 13)
    out = run_command("2019-05")
    assert "2019-05 community-monthly v1 draft: 2 subjects" in out
    assert "2019-05 staff-supervisor v1 draft: 1 subjects" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2019-13",), "'2019-13' is not a month"),
        (("2099-01",), "2099-01 has not ended yet"),
    ],
)
def test_the_command_refuses_bad_input_with_exit_2(cast, args, message):
    with pytest.raises(CommandError) as exc:
        run_command(*args)
    assert message in str(exc.value)
    assert exc.value.returncode == 2
    assert not AssessmentRun.objects.exists()


def test_publish_refuses_all_while_manual_items_are_unscored_then_publishes(cast):
    with pytest.raises(CommandError, match="manual item\\(s\\) are not scored yet") as exc:
        run_command("2019-05", "--publish")
    assert exc.value.returncode == 2
    assert not AssessmentRun.objects.filter(status=RunStatus.PUBLISHED).exists()
    for score in AssessmentRun.objects.get(scheme__code="community-monthly").scores.filter(
        indicator__kind="manual"
    ):
        score_manual(score, 5, evidence="records")
    out = run_command("2019-05", "--publish")
    assert "2019-05 community-monthly v1 published" in out
    assert not AssessmentRun.objects.filter(status=RunStatus.DRAFT).exists()


def test_the_task_drafts_the_month_before():
    assert previous_month(dt.date(2019, 6, 1)) == "2019-05"
    assert previous_month(dt.date(2020, 1, 1)) == "2019-12"


@pytest.fixture
def api(cast, client):
    def as_user(user):
        key = token_create(user=user, label="test")
        headers = {"Authorization": f"Bearer {key}", "Accept-Language": "en"}
        return lambda path, params=None: client.get(BASE + path, params or {}, headers=headers)

    return as_user


@pytest.fixture
def assessor(cast):
    user = get_user_model().objects.create_user("assessor1", password="pass-word-123")
    user.groups.add(Group.objects.get(name=ASSESSORS))
    return user


def test_the_api_lists_scores_ranks_version_and_status(cast, api, assessor):
    closed_case(cast.east, 13)
    closed_case(cast.south, 14, on_time=False)
    run_command("2019-05")
    get = api(assessor)
    body = get("/2019-05/communities").json()
    assert (body["status"], body["published"], body["version"]) == ("draft", False, 1)
    assert [(r["name"], r["total"], r["rank"]) for r in body["rows"]] == [
        ("吴家营社区", "82.00", 1),
        # 洛龙: closed 1/1 → 25; on time 0/1 → 0; no rework → 9; overdue 1/1 → 0; key 15.
        ("洛龙社区", "49.00", 2),
    ]
    wjy = body["rows"][0]
    assert [i["code"] for i in wjy["items"]] == [
        "MGMT",
        "CLOSURE",
        "ON_TIME",
        "REWORK",
        "OVERDUE",
        "KEY",
        "OPS",
    ]
    body = get("/2019-05/staff", {"role": "supervisor"}).json()
    assert [r["name"] for r in body["rows"]] == ["监督员乙"]
    assert get("/2019-06/communities").json()["status"] == "none"


def test_the_api_refuses_bad_input_and_other_users(cast, api, assessor):
    get = api(assessor)
    response = get("/2019-13/communities")
    assert response.status_code == 400
    assert response.json()["field"] == "period"
    assert get("/2019-05/staff").status_code == 422
    assert get("/2019-05/staff", {"role": "mayor"}).status_code == 422
    response = api(cast.supervisor.user)("/2019-05/communities")
    assert response.status_code == 403
    assert response.json()["message"] == "only the assessment group and administrators may do this"
