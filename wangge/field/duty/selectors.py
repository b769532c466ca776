"""Reads about duty: who is on duty now, a person's sessions."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from wangge.field.duty.models import DutySession
from wangge.org.models import Grid
from wangge.people.models import Person


def on_duty(
    grid: Grid | int, role: str | None = None, at: dt.datetime | None = None
) -> QuerySet[Person]:
    """The people on duty in a grid (in one role, if given) at a moment (now by default).

    On duty means signed on and not yet signed off at that moment, in that grid and role.
    """
    at = at or timezone.now()
    grid_id = grid if isinstance(grid, int) else grid.pk
    sessions = DutySession.objects.filter(grid_id=grid_id, started_at__lte=at).exclude(
        ended_at__lt=at
    )
    if role is not None:
        sessions = sessions.filter(role=role)
    return Person.objects.filter(pk__in=sessions.values("person_id")).order_by("name", "pk")


def open_session(person: Person) -> DutySession | None:
    return DutySession.objects.open().filter(person=person).select_related("grid").first()
