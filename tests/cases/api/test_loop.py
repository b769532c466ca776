"""One case round the whole closed loop over the API, with one rework."""

from __future__ import annotations

import pytest

from tests.cases.api.conftest import png64, report_body
from tests.cases.conftest import png
from wangge.cases.models import Case

pytestmark = pytest.mark.django_db


def actions(response) -> list[str]:
    return [a["action"] for a in response.json()["allowed_actions"]]


def test_a_case_goes_round_the_loop_over_the_api_with_one_rework(cc, api_as):
    supervisor, operator, dispatcher = (
        api_as("supervisor"),
        api_as("operator"),
        api_as("dispatcher"),
    )
    station = api_as("station")

    created = supervisor.post("/cases", report_body(photos=[png64()]))
    assert created.status_code == 201, created.json()
    case = created.json()
    url = f"/cases/{case['id']}"
    assert created["Location"] == f"/api/v1{url}"
    assert (case["status"], case["grid"]["code"], case["community"]["name"]) == (
        "reported",
        cc.east.code,
        "吴家营社区",
    )
    assert [p["kind"] for p in case["photos"]] == ["before"]

    # The operator sees the two actions intake may take on a reported case, and takes one.
    assert actions(operator.get(url)) == ["file", "reject"]
    filed = operator.post(f"{url}/actions/file", {"category": cc.category.code})
    assert filed.status_code == 200, filed.json()
    assert (filed.json()["status"], filed.json()["tier"]) == ("filed", 2)
    assert filed.json()["category"] == {"code": "LE9901", "name": "暴露垃圾（测试）"}
    assert filed.json()["leader"]["person_name"] == "三级网格长辛"

    dispatched = dispatcher.post(f"{url}/actions/dispatch")
    assert dispatched.json()["dispatch_target"] == "workstation"
    assert dispatched.json()["handling_due_at"] is not None
    assert "accept" in actions(station.get(url))
    accepted = station.post(f"{url}/actions/accept", {})
    assert accepted.json()["handler"]["name"] == "工作站己"

    # The first result comes as a multipart upload, the second as base64 in JSON.
    fed = station.post_form(
        f"{url}/actions/feedback", {"result": "已清理", "photos": [("after.png", png("green"))]}
    )
    assert fed.status_code == 200, fed.json()
    assert fed.json()["status"] == "handled"
    rework = supervisor.post(f"{url}/actions/verify", {"passed": False, "reason": "还有残留"})
    assert (rework.json()["status"], rework.json()["rework_count"]) == ("handling", 1)
    fed = station.post(
        f"{url}/actions/feedback", {"result": "已彻底清理", "photos": [png64("blue")]}
    )
    assert fed.json()["status"] == "handled"
    closed = supervisor.post(f"{url}/actions/verify", {"passed": True})
    assert (closed.json()["status"], closed.json()["on_time"]) == ("closed", True)
    evaluated = operator.post(f"{url}/actions/evaluate", {"satisfaction": 5})
    assert evaluated.status_code == 200, evaluated.json()

    final = operator.get(url).json()
    assert (final["status"], final["rework_count"], final["satisfaction"]) == ("evaluated", 1, 5)
    assert [(e["action"], e["from_status"], e["to_status"]) for e in final["events"]] == [
        ("report", "", "reported"),
        ("file", "reported", "filed"),
        ("dispatch", "filed", "dispatched"),
        ("accept", "dispatched", "handling"),
        ("feedback", "handling", "handled"),
        ("verify", "handled", "handling"),
        ("feedback", "handling", "handled"),
        ("verify", "handled", "closed"),
        ("evaluate", "closed", "evaluated"),
    ]
    rework_event = final["events"][5]
    assert (rework_event["actor"], rework_event["comment"]) == ("监督员乙", "还有残留")
    assert final["events"][-1]["data"]["reworks"] == 1
    assert sorted(p["kind"] for p in final["photos"]) == ["after", "after", "before"]
    assert all(p["url"].startswith("/media/cases/") for p in final["photos"])
    assert Case.objects.get().version == final["version"] == 8


def test_the_detail_carries_its_version_as_etag(cc, api_as):
    case = api_as("supervisor").post("/cases", report_body()).json()

    response = api_as("operator").get(f"/cases/{case['id']}")

    assert response["ETag"] == f'"{case["version"]}"'
    body = response.json()
    assert body["number"].startswith(str(body["reported_at"])[:4] + "530114005")
    assert body["overdue"] is False and body["step_due_at"] is not None
