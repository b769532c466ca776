"""The handheld app's API under /api/v1/me: what waits for the signed-in user.

Reports, actions, duty, linkage and alerts have their own apps' endpoints; the app calls those.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from wangge.cases.actors import Actor
from wangge.core.schemas import errors
from wangge.field.mobile import selectors
from wangge.org.territory import request_territory

router = Router(tags=["mobile"])


class TaskCounts(Schema):
    cases: int
    verify: int
    linkage: int
    alerts: int


class CaseTaskOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    category: str
    description: str
    address: str
    grid: str
    step_due_at: str | None
    overdue: bool
    actions: list[str]
    url: str


class TasksOut(Schema):
    counts: TaskCounts
    cases: list[CaseTaskOut]
    verify: list[CaseTaskOut]
    linkage: list[dict[str, Any]]
    alerts: list[dict[str, Any]]


@router.get("/tasks", response={200: TasksOut, **errors(401)})
def my_tasks(request: HttpRequest) -> dict[str, Any]:
    """My tasks with their counts: cases dispatched to me or my team that wait for my step
    (accept, feed back), cases waiting for my verification as the grid's supervisor, open
    linkage calls to me, and alerts I have not acknowledged."""
    actor = Actor.of(request.user)
    return selectors.tasks_out(selectors.tasks(request_territory(request), actor))
