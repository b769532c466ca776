"""The duty API under /api/v1/duty: what the handheld sends while on duty, and what the pages read.

- ``POST /pings``: a batch of positions; one bad point refuses the whole batch (400, ``errors``
  lists every bad point as ``pings[i].field``); retries are counted as duplicates, never twice.
- ``POST /sign-on`` / ``POST /sign-off``: idempotent on the device's client id.
- ``GET /me``: my open session, the ping interval the app should use, today's planned shifts.
- ``GET /summary?person=&date=``: a person's day in numbers (see duty.summary's definitions).
- ``GET /now``: who is on duty now in my territory, with their last position.

The person is the signed-in user's Person; a user without one gets 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Query, Router, Schema

from wangge.core.errors import DomainError, Forbidden, NotFound
from wangge.core.schemas import errors
from wangge.field.duty import selectors, services
from wangge.field.duty.models import DutyRules, DutySession
from wangge.field.duty.summary import day_summary
from wangge.org.models import Grid
from wangge.org.territory import request_territory
from wangge.people.models import Person
from wangge.people.selectors import persons_visible

router = Router(tags=["duty"])


class PingsIn(Schema):
    pings: list[Any]


class PingsOut(Schema):
    received: int
    stored: int
    duplicates: int


class SignOnIn(Schema):
    client_id: str
    lon: float | None = None
    lat: float | None = None
    grid: str | None = None
    role: str | None = None


class SignOffIn(Schema):
    lon: float | None = None
    lat: float | None = None


class GridRef(Schema):
    code: str
    name: str


class SessionOut(Schema):
    id: int
    grid: GridRef
    role: str
    started_at: dt.datetime
    ended_at: dt.datetime | None


class ShiftOut(Schema):
    start: dt.datetime
    end: dt.datetime
    grid: str | None
    role: str | None
    extra: bool


class MeOut(Schema):
    session: SessionOut | None
    ping_interval_s: int
    shifts: list[ShiftOut]


class SummaryIn(Schema):
    person: int | None = None
    date: dt.date | None = None


class ExcursionOut(Schema):
    start: dt.datetime
    end: dt.datetime
    minutes: float


class SummaryOut(Schema):
    person: int
    date: dt.date
    on_duty_minutes: float
    online_minutes: float
    off_post_minutes: float
    missed_shifts: int
    shifts: int
    distance_m: float
    coverage: float
    excursions: list[ExcursionOut]


class PersonRef(Schema):
    id: int
    name: str


class Position(Schema):
    at: dt.datetime
    lon: float
    lat: float


class OnDutyOut(Schema):
    person: PersonRef
    role: str
    grid: GridRef
    since: dt.datetime
    last: Position | None


def _me(request: HttpRequest) -> Person:
    person = Person.objects.filter(user__pk=request.user.pk or 0).first()
    if person is None:
        raise Forbidden(
            gettext(
                "your user account is not linked to a person, so it cannot go on duty: ask an"
                " administrator to link it in the people admin"
            )
        )
    return person


def _session_out(session: DutySession) -> dict[str, Any]:
    return {
        "id": session.pk,
        "grid": {"code": session.grid.code, "name": session.grid.name},
        "role": session.role,
        "started_at": session.started_at,
        "ended_at": session.ended_at,
    }


@router.post("/pings", response={200: PingsOut, **errors(400, 401, 403, 422)})
def pings(request: HttpRequest, payload: PingsIn) -> dict[str, int]:
    """A batch of positions (up to the rules' maximum, 1,000 by default)."""
    result = services.record_pings(person=_me(request), pings=payload.pings)
    return {"received": result.received, "stored": result.stored, "duplicates": result.duplicates}


@router.post("/sign-on", response={200: SessionOut, **errors(400, 401, 403, 404, 409, 422)})
def sign_on(request: HttpRequest, payload: SignOnIn) -> dict[str, Any]:
    """Go on duty; ``grid`` (code) and ``role`` say which when the person holds several roles.
    A retry with the same ``client_id`` returns the same session."""
    grid = None
    if payload.grid:
        grid = Grid.objects.filter(code=payload.grid).first()
        if grid is None:
            raise DomainError(
                gettext("there is no grid with code %(code)s") % {"code": payload.grid},
                field="grid",
            )
    session = services.sign_on(
        person=_me(request),
        client_id=payload.client_id,
        lon=payload.lon,
        lat=payload.lat,
        grid=grid,
        role=payload.role,
    )
    return _session_out(session)


@router.post("/sign-off", response={200: SessionOut, **errors(400, 401, 403, 422)})
def sign_off(request: HttpRequest, payload: SignOffIn) -> dict[str, Any]:
    """End my open session (signing off again returns the last session unchanged)."""
    return _session_out(services.sign_off(person=_me(request), lon=payload.lon, lat=payload.lat))


@router.get("/me", response={200: MeOut, **errors(401, 403)})
def me(request: HttpRequest) -> dict[str, Any]:
    """My open session (or null), how often to send my position, and today's planned shifts."""
    person = _me(request)
    session = selectors.open_session(person)
    planned = selectors.planned_shifts(person, timezone.localdate())
    codes = dict(
        Grid.objects.filter(pk__in={p.grid_id for p in planned if p.grid_id}).values_list(
            "pk", "code"
        )
    )
    return {
        "session": _session_out(session) if session else None,
        "ping_interval_s": DutyRules.load().ping_interval_s,
        "shifts": [
            {
                "start": p.start,
                "end": p.end,
                "grid": codes.get(p.grid_id) if p.grid_id else None,
                "role": p.role,
                "extra": p.extra,
            }
            for p in planned
        ],
    }


@router.get("/summary", response={200: SummaryOut, **errors(401, 403, 404, 422)})
def summary(request: HttpRequest, query: Query[SummaryIn]) -> dict[str, Any]:
    """A person's day: on duty, online, off post, missed shifts, distance, coverage.

    Without ``person``: mine; without ``date``: today. Someone outside my territory is 404.
    """
    day = query.date or timezone.localdate()
    if query.person is None:
        person_id = _me(request).pk
    else:
        person_id = query.person
        own = Person.objects.filter(pk=person_id, user__pk=request.user.pk or 0).exists()
        visible = persons_visible(request_territory(request)).filter(pk=person_id).exists()
        if not (own or visible):
            raise NotFound(
                gettext("no person %(id)s in your territory") % {"id": person_id}, field="person"
            )
    data = day_summary(person_id, day).as_dict()
    return data


@router.get("/now", response={200: list[OnDutyOut], **errors(401)})
def now(request: HttpRequest) -> list[dict[str, Any]]:
    """Who is on duty now in my territory, with their last position."""
    return [
        {
            "person": {"id": s.person_id, "name": s.person.name},
            "role": s.role,
            "grid": {"code": s.grid.code, "name": s.grid.name},
            "since": s.started_at,
            "last": (
                {"at": s.last_at, "lon": s.last_lon, "lat": s.last_lat}  # type: ignore[attr-defined]
                if s.last_at is not None  # type: ignore[attr-defined]
                else None
            ),
        }
        for s in selectors.sessions_now(request_territory(request))
    ]
