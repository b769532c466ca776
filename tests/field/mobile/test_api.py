"""GET /api/v1/me/tasks: what waits for the signed-in five-role member, with counts."""

from __future__ import annotations

import pytest

from tests.cases.conftest import png
from tests.field.mobile.conftest import EAST, SOUTH
from wangge.cases.services import act, report
from wangge.people.services import token_create

pytestmark = pytest.mark.django_db


def tasks_of(client, user) -> dict:
    key = token_create(user=user, label="phone")
    response = client.get(
        "/api/v1/me/tasks", HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200, response.content
    return response.json()


def dispatched(cc, point, target="grid_team", reporter=None, description="暴露垃圾"):
    case = report(
        actor_user=(reporter or cc.supervisor).user,
        source="five_roles",
        description=description,
        lon=point[0],
        lat=point[1],
        category=cc.category,
    )
    case = act(case, "file", actor_user=cc.operator.user, data={"category": cc.category})
    return act(case, "dispatch", actor_user=cc.dispatcher.user, data={"target": target})


@pytest.fixture
def board(cc, worker):
    """A: dispatched to 东网格's grid team; B: handled by the team, waiting for verification;
    C: dispatched to 南网格's team; D: a public report in 东网格 not yet checked on site;
    E: dispatched to 吴家营社区's workstation."""
    a = dispatched(cc, EAST, description="A")
    b = dispatched(cc, EAST, description="B")
    b = act(b, "accept", actor_user=worker.user)
    b = act(b, "feedback", actor_user=worker.user, data={"result": "已清理"}, photos=[png()])
    c = dispatched(cc, SOUTH, reporter=cc.sanitation_other, description="C")
    d = report(
        actor_user=cc.operator.user,
        source="public",
        description="D",
        lon=EAST[0],
        lat=EAST[1],
        reporter_name="市民",
        reporter_phone="13800000000",
    )
    e = dispatched(cc, EAST, target="workstation", description="E")
    return {"A": a, "B": b, "C": c, "D": d, "E": e}


def numbers(items: list[dict]) -> set[str]:
    return {i["number"] for i in items}


def test_a_sanitation_worker_sees_the_case_dispatched_to_the_grid_team(client, board, worker):
    body = tasks_of(client, worker.user)
    assert body["counts"] == {"cases": 1, "verify": 0, "linkage": 0, "alerts": 0}
    assert numbers(body["cases"]) == {board["A"].number}
    item = body["cases"][0]
    assert item["actions"] == ["accept"] and item["url"] == f"/m/cases/{board['A'].pk}/"


def test_the_supervisor_has_cases_to_verify(client, board, cc):
    body = tasks_of(client, cc.supervisor.user)
    assert body["counts"]["cases"] == 1 and body["counts"]["verify"] == 2
    assert numbers(body["verify"]) == {board["B"].number, board["D"].number}
    actions = {i["number"]: i["actions"] for i in body["verify"]}
    assert actions == {board["B"].number: ["verify"], board["D"].number: ["verify-report"]}


def test_another_grid_sees_only_its_own_case(client, board, cc):
    body = tasks_of(client, cc.sanitation_other.user)
    assert (body["counts"]["cases"], numbers(body["cases"])) == (1, {board["C"].number})


def test_an_accepted_case_stays_in_my_tasks_for_feedback(client, board, worker):
    act(board["A"], "accept", actor_user=worker.user)
    body = tasks_of(client, worker.user)
    assert [(i["number"], i["actions"]) for i in body["cases"]] == [
        (board["A"].number, ["feedback"])
    ]


def test_my_tasks_need_a_signed_in_user(client, db):
    response = client.get("/api/v1/me/tasks", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
