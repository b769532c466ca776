"""Changes to duty: sign on, sign off (each idempotent on the device's client id)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from wangge.core.errors import Conflict, DomainError, Forbidden
from wangge.core.geo import parse_point
from wangge.field.duty.models import DutySession
from wangge.org.models import Grid
from wangge.people.models import GridRole, Person


def _coordinate(value: float) -> Decimal:
    return Decimal(str(round(float(value), 7)))


def check_serving(person: Person, day: dt.date) -> None:
    """A person who has left (or not started yet) sends nothing that counts."""
    if person.end_date is not None and person.end_date < day:
        raise Forbidden(
            gettext("%(name)s left on %(date)s and can no longer go on duty or report")
            % {"name": person.name, "date": person.end_date.isoformat()}
        )
    if person.start_date is not None and person.start_date > day:
        raise Forbidden(
            gettext("%(name)s starts on %(date)s") % {"name": person.name, "date": person.start_date}
        )


def sign_on(
    *,
    person: Person,
    client_id: str,
    lon: Any = None,
    lat: Any = None,
    grid: Grid | None = None,
    role: str | None = None,
    at: dt.datetime | None = None,
) -> DutySession:
    """Go on duty in one of the person's roles (the only one, unless grid and role say which).

    Retrying with the same client id gives back the same session.
    """
    client_id = (client_id or "").strip()
    if not 8 <= len(client_id) <= 64:
        raise DomainError(gettext("the client id must be 8 to 64 characters"), field="client_id")
    existing = DutySession.objects.filter(person=person, client_id=client_id).first()
    if existing is not None:
        return existing
    now = timezone.now()
    at = at or now
    if at > now + dt.timedelta(minutes=5):
        raise DomainError(gettext("a sign-on cannot come from the future"), field="at")
    day = timezone.localdate(at)
    check_serving(person, day)
    roles = GridRole.objects.active_on(day).filter(person=person).select_related("grid")
    if grid is not None:
        roles = roles.filter(grid=grid)
    if role is not None:
        roles = roles.filter(role=role)
    choices = list(roles)
    if not choices:
        raise DomainError(
            gettext("%(name)s holds no role in a grid on %(date)s to go on duty in")
            % {"name": person.name, "date": day.isoformat()},
            field="role",
        )
    if len(choices) > 1:
        raise DomainError(
            gettext("%(name)s holds several roles: say which grid and role to go on duty in")
            % {"name": person.name},
            field="role",
        )
    assignment = choices[0]
    point = parse_point(lon, lat) if lon is not None or lat is not None else None
    try:
        with transaction.atomic():
            return DutySession.objects.create(
                person=person,
                grid=assignment.grid,
                role=assignment.role,
                started_at=at,
                start_lon=_coordinate(point.x) if point else None,
                start_lat=_coordinate(point.y) if point else None,
                client_id=client_id,
            )
    except IntegrityError:
        again = DutySession.objects.filter(person=person, client_id=client_id).first()
        if again is not None:
            return again
        raise Conflict(
            gettext("%(name)s is already on duty: sign off first") % {"name": person.name},
            field="client_id",
        ) from None


def sign_off(
    *, person: Person, lon: Any = None, lat: Any = None, at: dt.datetime | None = None
) -> DutySession:
    """End the person's open session; signing off again returns the last one unchanged."""
    now = timezone.now()
    at = at or now
    if at > now + dt.timedelta(minutes=5):
        raise DomainError(gettext("a sign-off cannot come from the future"), field="at")
    session = DutySession.objects.open().filter(person=person).first()
    if session is None:
        last = DutySession.objects.filter(person=person).order_by("-started_at").first()
        if last is None:
            raise DomainError(
                gettext("%(name)s is not on duty") % {"name": person.name}, field="person"
            )
        return last
    if at < session.started_at:
        raise DomainError(gettext("the sign-off is before the sign-on"), field="at")
    point = parse_point(lon, lat) if lon is not None or lat is not None else None
    session.ended_at = at
    session.end_lon = _coordinate(point.x) if point else None
    session.end_lat = _coordinate(point.y) if point else None
    session.save(update_fields=["ended_at", "end_lon", "end_lat", "updated_at"])
    return session
