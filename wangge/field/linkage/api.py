"""The linkage API under /api/v1/linkage: the called person's inbox and steps, and the
response times.

Steps are idempotent: acknowledging (or arriving, or handling) a call that is past that step
returns it unchanged with 200. Only the called user (or an administrator) answers a call.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from wangge.core.errors import NotFound
from wangge.core.schemas import errors
from wangge.field.linkage import selectors, services
from wangge.field.linkage.models import LinkageCall
from wangge.org.territory import request_territory
from wangge.people.models import Person

router = Router(tags=["linkage"])


class CallOut(Schema):
    id: int
    case_id: int
    case_number: str
    category: str | None
    description: str
    lon: float
    lat: float
    address: str
    grid: str
    role: str
    person: str | None
    to_leader: bool
    status: str
    called_at: dt.datetime
    acknowledged_at: dt.datetime | None
    arrived_at: dt.datetime | None
    arrival_distance_m: int | None
    handled_at: dt.datetime | None
    comment: str


class ArriveIn(Schema):
    lon: float
    lat: float


class HandleIn(Schema):
    comment: str = Field("", max_length=2000)


class MonthIn(Schema):
    month: str | None = Field(None, pattern=r"^\d{4}-\d{2}$", description="YYYY-MM; this month")


class ResponseTimeOut(Schema):
    grid_code: str
    grid: str
    role: str
    calls: int
    to_leader: int
    acknowledged: int
    arrived: int
    handled: int
    median_ack_min: float | None
    mean_ack_min: float | None
    median_arrive_min: float | None
    mean_arrive_min: float | None
    median_handle_min: float | None
    mean_handle_min: float | None


class ResponseTimesOut(Schema):
    month: str
    rows: list[ResponseTimeOut]


def call_out(call: LinkageCall) -> dict[str, Any]:
    case = call.case
    return {
        "id": call.pk,
        "case_id": case.pk,
        "case_number": case.number,
        "category": case.category.name if case.category else None,
        "description": case.description,
        "lon": float(case.lon),
        "lat": float(case.lat),
        "address": case.address,
        "grid": call.grid.name,
        "role": call.role,
        "person": call.person.name if call.person else None,
        "to_leader": call.to_leader,
        "status": call.status,
        "called_at": call.called_at,
        "acknowledged_at": call.acknowledged_at,
        "arrived_at": call.arrived_at,
        "arrival_distance_m": call.arrival_distance_m,
        "handled_at": call.handled_at,
        "comment": call.comment,
    }


def _call(request: HttpRequest, call_id: int) -> LinkageCall:
    """A call addressed to the caller, or one in their territory (the service then decides)."""
    user: Any = request.user
    call = (
        LinkageCall.objects.select_related("case", "case__category", "grid", "person")
        .filter(pk=call_id, user=user)
        .first()
    )
    if call is None:
        call = selectors.calls_visible(request_territory(request)).filter(pk=call_id).first()
    if call is None:
        raise NotFound(f"no linkage call {call_id} for you", field="id")
    return call


@router.get("/inbox", response={200: list[CallOut], **errors(401)})
def inbox(request: HttpRequest) -> list[dict[str, Any]]:
    """My open linkage calls (not yet handled), newest first."""
    user: Any = request.user
    person = Person.objects.filter(user=user).first()
    if person is None:
        return []
    return [call_out(c) for c in selectors.open_calls_for(person)]


@router.post("/calls/{int:call_id}/ack", response={200: CallOut, **errors(401, 403, 404, 409)})
def acknowledge(request: HttpRequest, call_id: int) -> dict[str, Any]:
    """I have seen the call."""
    return call_out(services.acknowledge(_call(request, call_id), request.user))


@router.post(
    "/calls/{int:call_id}/arrive", response={200: CallOut, **errors(400, 401, 403, 404, 409, 422)}
)
def arrive(request: HttpRequest, call_id: int, payload: ArriveIn) -> dict[str, Any]:
    """I am at the case: my position must be within the arrival radius (400 ``too_far``)."""
    call = _call(request, call_id)
    return call_out(services.arrive(call, request.user, payload.lon, payload.lat))


@router.post(
    "/calls/{int:call_id}/handle", response={200: CallOut, **errors(400, 401, 403, 404, 409, 422)}
)
def handle(request: HttpRequest, call_id: int, payload: HandleIn) -> dict[str, Any]:
    """I have done my part; the reporter is told."""
    call = _call(request, call_id)
    return call_out(services.handle(call, request.user, payload.comment))


@router.get("/response-times", response={200: ResponseTimesOut, **errors(401, 422)})
def response_times(request: HttpRequest, query: Query[MonthIn]) -> dict[str, Any]:
    """Linkage response times per grid and role in a month, for your territory: minutes from
    the call to acknowledging, arriving and handling (median and mean)."""
    first, since, until = selectors.month_bounds(query.month, timezone.localdate())
    rows = selectors.response_times(request_territory(request), since, until)
    return {
        "month": first.strftime("%Y-%m"),
        "rows": [
            {
                "grid_code": r.grid.code if r.grid else "",
                "grid": r.grid.name if r.grid else "",
                "role": r.role or "",
                "calls": r.calls,
                "to_leader": r.to_leader,
                "acknowledged": r.acknowledged,
                "arrived": r.arrived,
                "handled": r.handled,
                "median_ack_min": r.median_ack_min,
                "mean_ack_min": r.mean_ack_min,
                "median_arrive_min": r.median_arrive_min,
                "mean_arrive_min": r.mean_arrive_min,
                "median_handle_min": r.median_handle_min,
                "mean_handle_min": r.mean_handle_min,
            }
            for r in rows
        ],
    }
