"""The leaders API under /api/v1/leaders: follow-ups of coordination meetings, and spot
inspections.

Reads are for grid leaders (post holders), administrators, the centre's operators and the
assessment group, scoped by territory; a leader also sees the follow-ups they own and those of
the meetings they convened. Recording an inspection is for a post holder whose post covers the
person's grid, or an administrator; supervisors are not inspected (403/400 with a message).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from pydantic import Field

from wangge.cases import rates
from wangge.core.errors import DomainError, Forbidden, NotFound
from wangge.core.schemas import errors
from wangge.leaders import selectors, services
from wangge.leaders.models import FollowUp, FollowUpStatus, Inspection
from wangge.org.models import Grid
from wangge.org.territory import request_territory
from wangge.people.models import LeaderPost, Person

router = Router(tags=["leaders"])


class FollowUpOut(Schema):
    id: int
    meeting_id: int
    meeting_topic: str
    meeting_at: dt.datetime
    action: str
    owner_id: int
    owner: str
    due_date: dt.date
    status: str
    overdue: bool
    done_at: dt.datetime | None
    done_note: str


class FollowUpQuery(Schema):
    status: FollowUpStatus | None = Field(None, description="open, done or cancelled; all")


class DoneIn(Schema):
    note: str = Field("", max_length=500)


class InspectionIn(Schema):
    person_id: int
    at: dt.datetime | None = Field(None, description="when it was made; now when absent")
    finding: str = Field(description="ok, absent (脱岗), neglect (在岗不履职) or other")
    note: str = Field("", max_length=5000)
    post_id: int | None = Field(None, description="the inspector's post; the one covering")
    grid_code: str | None = Field(None, description="the grid, when the person has several")
    place: str = Field("", max_length=200)
    lon: float | None = None
    lat: float | None = None


class InspectionOut(Schema):
    id: int
    person_id: int
    person: str
    grid_code: str
    grid: str
    role: str
    inspector_post_id: int | None
    inspector: str | None
    at: dt.datetime
    finding: str
    deducted: bool
    note: str
    place: str
    lon: float | None
    lat: float | None


class MonthIn(Schema):
    month: str | None = Field(None, pattern=r"^\d{4}-\d{2}$", description="YYYY-MM; this month")


def follow_up_out(fu: FollowUp, today: dt.date) -> dict[str, Any]:
    return {
        "id": fu.pk,
        "meeting_id": fu.meeting_id,
        "meeting_topic": fu.meeting.topic,
        "meeting_at": fu.meeting.at,
        "action": fu.action,
        "owner_id": fu.owner_id,
        "owner": fu.owner.name,
        "due_date": fu.due_date,
        "status": fu.status,
        "overdue": fu.is_overdue(today),
        "done_at": fu.done_at,
        "done_note": fu.done_note,
    }


def inspection_out(i: Inspection) -> dict[str, Any]:
    return {
        "id": i.pk,
        "person_id": i.person_id,
        "person": i.person.name,
        "grid_code": i.grid.code,
        "grid": i.grid.name,
        "role": i.role,
        "inspector_post_id": i.inspector_post_id,
        "inspector": i.inspector.name if i.inspector else None,
        "at": i.at,
        "finding": i.finding,
        "deducted": i.is_deducted,
        "note": i.note,
        "place": i.place,
        "lon": i.lon,
        "lat": i.lat,
    }


def _readers_only(request: HttpRequest) -> None:
    if not selectors.may_read(request.user):
        raise Forbidden(
            gettext(
                "Leaders' records are for grid leaders, administrators, the centre's operators"
                " and the assessment group."
            )
        )


def _follow_ups(request: HttpRequest) -> Any:
    person = selectors.person_of(request.user)
    territory = request_territory(request) if selectors.may_read(request.user) else None
    return selectors.follow_ups_of(territory=territory, person=person)


@router.get("/follow-ups", response={200: list[FollowUpOut], **errors(401, 422)})
def follow_ups(request: HttpRequest, query: Query[FollowUpQuery]) -> list[dict[str, Any]]:
    """Follow-up actions I own or of meetings I convened, and (leaders, operators,
    administrators) those of the meetings in my territory; soonest due first, each with
    ``overdue`` (open past its due date)."""
    today = timezone.localdate()
    qs = _follow_ups(request)
    if query.status:
        qs = qs.filter(status=query.status)
    return [follow_up_out(f, today) for f in qs.select_related("meeting", "owner")]


@router.post(
    "/follow-ups/{int:follow_up_id}/done",
    response={200: FollowUpOut, **errors(400, 401, 403, 404, 409, 422)},
)
def follow_up_done(request: HttpRequest, follow_up_id: int, payload: DoneIn) -> dict[str, Any]:
    """Mark a follow-up done (its owner, the convening leader or an administrator); a
    follow-up already done or cancelled is 409."""
    fu = _follow_ups(request).filter(pk=follow_up_id).first()
    if fu is None:
        raise NotFound(f"no follow-up {follow_up_id} for you", field="id")
    services.follow_up_done(fu, request.user, payload.note)
    fu = FollowUp.objects.select_related("meeting", "owner").get(pk=fu.pk)
    return follow_up_out(fu, timezone.localdate())


@router.post("/inspections", response={201: InspectionOut, **errors(400, 401, 403, 404, 422)})
def inspection_create(request: HttpRequest, payload: InspectionIn) -> Status[dict[str, Any]]:
    """Record a spot inspection of one of the grid staff (not a supervisor)."""
    person = Person.objects.filter(pk=payload.person_id).first()
    if person is None:
        raise NotFound(f"no person {payload.person_id}", field="person_id")
    post = None
    if payload.post_id is not None:
        post = LeaderPost.objects.filter(pk=payload.post_id).first()
        if post is None:
            raise NotFound(f"no leader post {payload.post_id}", field="post_id")
    grid = None
    if payload.grid_code:
        grid = Grid.objects.filter(code=payload.grid_code).first()
        if grid is None:
            raise NotFound(f"no grid {payload.grid_code}", field="grid_code")
    try:
        inspection = services.inspection_record(
            by_user=request.user,
            person=person,
            at=payload.at or timezone.now(),
            finding=payload.finding,
            post=post,
            grid=grid,
            note=payload.note,
            place=payload.place,
            lon=payload.lon,
            lat=payload.lat,
        )
    except DomainError as exc:
        if exc.field == "post" and payload.post_id is None:
            exc.field = "person_id"
        elif exc.field in ("person", "post"):
            exc.field = f"{exc.field}_id"
        raise
    return Status(201, inspection_out(inspection))


@router.get("/inspections", response={200: list[InspectionOut], **errors(401, 403, 422)})
def inspections(request: HttpRequest, query: Query[MonthIn]) -> list[dict[str, Any]]:
    """The inspections of a month (YYYY-MM, this month when absent) in my territory, newest
    first."""
    _readers_only(request)
    period = rates.Period.month(query.month or f"{timezone.localdate():%Y-%m}")
    first = timezone.localdate(period.start)
    last = timezone.localdate(period.end) - dt.timedelta(days=1)
    qs = selectors.inspections_in(
        selectors.inspections_visible(request_territory(request)), first, last
    )
    return [inspection_out(i) for i in qs]
