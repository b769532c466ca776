"""Changes to people and their roles. Every change is validated here and audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from wangge.core import audit
from wangge.core.errors import DomainError
from wangge.org.models import Grid
from wangge.people.models import ApiToken, GridRole, Person, RoleKind

Actor = AbstractBaseUser | AnonymousUser | None


def parse_role(value: Any, *, field: str = "role") -> RoleKind:
    try:
        return RoleKind(value)
    except ValueError:
        known = ", ".join(r.value for r in RoleKind)
        raise DomainError(
            gettext("unknown role %(role)s; the roles are: %(known)s")
            % {"role": repr(value), "known": known},
            field=field,
        ) from None


def _check_period(start: dt.date | None, end: dt.date | None, *, field: str = "end_date") -> None:
    if start is not None and end is not None and end < start:
        raise DomainError(
            gettext("the end date %(end)s is before the start date %(start)s")
            % {"end": end, "start": start},
            field=field,
        )


@transaction.atomic
def person_create(
    *,
    name: str,
    phone: str = "",
    employment: str = "contract",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    actor: Actor = None,
    **extra: Any,
) -> Person:
    name = name.strip()
    if not name:
        raise DomainError(gettext("a person needs a name"), field="name")
    _check_period(start_date, end_date)
    person = Person(
        name=name,
        phone=phone,
        employment=employment,
        start_date=start_date,
        end_date=end_date,
        **extra,
    )
    person.full_clean()
    person.save()
    audit.record(
        actor=actor,
        action="person.create",
        object_type="person",
        object_id=person.pk,
        summary=f"{person.name} ({person.get_employment_display()})",
    )
    return person


@transaction.atomic
def role_assign(
    *,
    person: Person,
    grid: Grid,
    role: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    actor: Actor = None,
) -> GridRole:
    """Start a person in one of the five roles in a grid.

    Refuses a period that ends before it starts, a person who has left by then, and a period
    that overlaps the same person's assignment to the same role and grid.
    """
    kind = parse_role(role)
    _check_period(start_date, end_date)
    if person.end_date is not None and start_date > person.end_date:
        raise DomainError(
            gettext("%(person)s left on %(end)s; an assignment cannot start on %(start)s")
            % {"person": person.name, "end": person.end_date, "start": start_date},
            field="start_date",
        )
    overlapping = GridRole.objects.filter(person=person, grid=grid, role=kind).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start_date)
    )
    if end_date is not None:
        overlapping = overlapping.filter(start_date__lte=end_date)
    if overlapping.exists():
        raise DomainError(
            gettext("%(person)s already holds the role %(role)s in %(grid)s in that period")
            % {"person": person.name, "role": kind.label, "grid": grid.name},
            field="start_date",
        )
    assignment = GridRole.objects.create(
        person=person, grid=grid, role=kind, start_date=start_date, end_date=end_date
    )
    audit.record(
        actor=actor,
        action="role.assign",
        object_type="grid_role",
        object_id=assignment.pk,
        summary=f"{person.name} → {grid.name} {kind.label} from {start_date}",
    )
    return assignment


@transaction.atomic
def role_end(*, assignment: GridRole, end_date: dt.date, actor: Actor = None) -> GridRole:
    """End an assignment on a day; the row stays as history."""
    _check_period(assignment.start_date, end_date)
    if assignment.end_date is not None and assignment.end_date < end_date:
        raise DomainError(
            gettext("this assignment already ended on %(end)s") % {"end": assignment.end_date},
            field="end_date",
        )
    assignment.end_date = end_date
    assignment.save(update_fields=["end_date", "updated_at"])
    audit.record(
        actor=actor,
        action="role.end",
        object_type="grid_role",
        object_id=assignment.pk,
        summary=f"{assignment.person.name} leaves {assignment.grid.name} on {end_date}",
    )
    return assignment


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, label: str = "") -> str:
    """Create an API token and return its key; only the hash is kept, so show it once."""
    if not user.is_active:
        raise DomainError(
            gettext("user %(username)s is inactive") % {"username": user.get_username()},
            field="username",
        )
    key = "wg_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=_hash(key), prefix=key[:8], label=label)
    return key


def token_user(key: str) -> User | None:
    """The active user behind a token, or None."""
    if not key or len(key) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(key), revoked=False, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Writing on every request would serialise readers on SQLite; a minute's precision is enough.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
