"""The hand-over (交接): when a person leaves or moves, everything open of theirs goes to a named
successor in one transaction, and every moved thing is logged (HandoverItem).

Order: validate; open cases (through the workflow's "hand-over" action, so each case's event log
shows it); open linkage calls; unacknowledged alerts; equipment; then the person's grid roles
end, and when they leave, their employment ends, they are signed off and their login is closed.
Any refusal on the way rolls the whole hand-over back.

Decisions:
- The hand-over takes effect on the day of ``at``: the person's roles (and, when leaving, their
  employment) end on the day before, so from that day on the grid's roster shows the gap until
  someone is assigned. A role that started on that day itself ends on that day.
- A successor without a login is allowed (the cases, calls and items are theirs in the records
  and on the pages); they cannot be notified, and the preview warns about it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from wangge.assets.services import transfer_all
from wangge.cases.services import act
from wangge.core import audit
from wangge.core.errors import Conflict, DomainError, Forbidden
from wangge.core.notifications import notify
from wangge.field.alerts.services import reassign_alerts
from wangge.field.duty.selectors import open_session
from wangge.field.duty.services import sign_off
from wangge.field.linkage.services import reassign_calls
from wangge.people.groups import ADMINS, LEADERS, OPERATOR_DISPATCH, OPERATOR_INTAKE
from wangge.people.models import GridRole, LeaderPost, Person
from wangge.people.selectors import persons_visible
from wangge.people.services import role_end
from wangge.people.territory import territory_of

from .models import Handover, HandoverItem, HandoverKind, ItemKind
from .selectors import open_cases_of

MAY_HAND_OVER_GROUPS = frozenset({LEADERS, OPERATOR_INTAKE, OPERATOR_DISPATCH})


def may_hand_over(user: Any, person: Person) -> bool:
    """Admins; the centre's operators and grid leaders whose territory covers the person.
    ``None`` is the platform itself (the demo, scheduled jobs)."""
    if user is None:
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    groups = set(user.groups.values_list("name", flat=True))
    if user.is_superuser or ADMINS in groups:
        return True
    is_leader = LeaderPost.objects.filter(person__user=user).exists()
    if not (groups & MAY_HAND_OVER_GROUPS or is_leader):
        return False
    return persons_visible(territory_of(user)).filter(pk=person.pk).exists()


def effective_day(at: dt.datetime) -> dt.date:
    """The first day without the person (the day of the hand-over)."""
    return timezone.localdate(at)


def _last_day(start: dt.date | None, first_day_without: dt.date) -> dt.date:
    last = first_day_without - dt.timedelta(days=1)
    return max(last, start) if start is not None else last


def validate(
    *, person: Person, successor: Person | None, reason: str, kind: str, at: dt.datetime
) -> Person:
    """The checks the hand-over makes before it moves anything (also used by the form)."""
    if kind not in HandoverKind.values:
        raise DomainError(
            gettext("kind must be one of %(values)s") % {"values": ", ".join(HandoverKind.values)},
            field="kind",
        )
    if not isinstance(successor, Person):
        raise DomainError(gettext("name the successor"), field="successor")
    if not (reason or "").strip():
        raise DomainError(gettext("say why (e.g. resigned, moved to another grid)"), field="reason")
    if len(reason) > 300:
        raise DomainError(gettext("the reason is longer than 300 characters"), field="reason")
    if successor.pk == person.pk:
        raise DomainError(
            gettext("the successor is %(name)s themself; name someone else")
            % {"name": person.name},
            field="successor",
        )
    day = effective_day(at)
    if person.end_date is not None and person.end_date < day - dt.timedelta(days=1):
        raise DomainError(
            gettext("%(name)s already left on %(end)s, before this hand-over on %(day)s")
            % {"name": person.name, "end": person.end_date, "day": day},
            field="person",
        )
    if successor.end_date is not None and successor.end_date < day:
        raise DomainError(
            gettext("%(name)s left on %(end)s and cannot be a successor; choose someone serving")
            % {"name": successor.name, "end": successor.end_date},
            field="successor",
        )
    if successor.start_date is not None and successor.start_date > day:
        raise DomainError(
            gettext("%(name)s only starts on %(start)s; the hand-over is on %(day)s")
            % {"name": successor.name, "start": successor.start_date, "day": day},
            field="successor",
        )
    return successor


@transaction.atomic
def hand_over(
    *,
    person: Person,
    successor: Person,
    by_user: Any,
    reason: str,
    kind: str = HandoverKind.LEAVES,
    at: dt.datetime | None = None,
) -> Handover:
    """Move everything open of ``person`` to ``successor`` and end their roles (see module)."""
    at = at or timezone.now()
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise DomainError(gettext("a hand-over cannot be dated in the future"), field="at")
    person = Person.objects.select_for_update(of=("self",)).get(pk=person.pk)
    if not may_hand_over(by_user, person):
        raise Forbidden(
            gettext(
                "only admins, the centre's operators and the grid leaders over %(name)s may hand"
                " over their work"
            )
            % {"name": person.name}
        )
    validate(person=person, successor=successor, reason=reason, kind=kind, at=at)
    if by_user is not None and not may_hand_over(by_user, successor):
        raise Forbidden(
            gettext("%(name)s is outside your territory") % {"name": successor.name},
        )
    reason = reason.strip()
    handover = Handover.objects.create(
        person=person, successor=successor, at=at, by=by_user, reason=reason, kind=kind
    )
    items: list[HandoverItem] = []

    def log(kind_: str, moved: list[tuple[int, str]]) -> int:
        items.extend(
            HandoverItem(handover=handover, kind=kind_, object_id=pk, label=label[:300])
            for pk, label in moved
        )
        return len(moved)

    # (a) Cases: through the workflow, so each case's log shows the hand-over.
    cases: list[tuple[int, str]] = []
    for case in open_cases_of(person):
        act(
            case,
            "hand-over",
            actor_user=by_user,
            data={"successor": successor, "reason": reason},
            now=at,
        )
        cases.append((case.pk, f"{case.number} {case.description[:80]}"))
    handover.cases = log(ItemKind.CASE, cases)
    # (b) linkage calls, (c) alerts, (d) equipment.
    handover.linkage_calls = log(
        ItemKind.LINKAGE_CALL,
        reassign_calls(person=person, successor=successor, by_user=by_user, at=at),
    )
    handover.alerts = log(
        ItemKind.ALERT,
        reassign_alerts(person=person, successor=successor, by_user=by_user, at=at),
    )
    handover.equipment = log(
        ItemKind.EQUIPMENT,
        transfer_all(
            person=person,
            successor=successor,
            by_user=by_user,
            reason=gettext("hand-over: %(reason)s") % {"reason": reason},
            at=at,
        ),
    )
    # (e) The roles end the day before; leaving also ends the employment and the login.
    day = effective_day(at)
    roles: list[tuple[int, str]] = []
    for assignment in (
        GridRole.objects.filter(person=person)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("grid", "person")
        .order_by("start_date", "pk")
    ):
        role_end(
            assignment=assignment,
            end_date=_last_day(assignment.start_date, day),
            actor=by_user,
        )
        roles.append((assignment.pk, f"{assignment.get_role_display()} · {assignment.grid.name}"))
    handover.roles = log(ItemKind.ROLE, roles)
    if kind == HandoverKind.LEAVES:
        last = _last_day(person.start_date, day)
        if person.end_date is None or person.end_date > last:
            person.end_date = last
            person.save(update_fields=["end_date", "updated_at"])
        session = open_session(person)
        if session is not None:
            sign_off(person=person, at=max(at, session.started_at))
        if person.user is not None and person.user.is_active:
            person.user.is_active = False
            person.user.save(update_fields=["is_active"])
    HandoverItem.objects.bulk_create(items)
    handover.save(update_fields=["cases", "linkage_calls", "alerts", "equipment", "roles"])
    # Nothing open may stay with the person: a case the workflow did not move is a conflict.
    left_over = open_cases_of(person).count()
    if left_over:
        raise Conflict(
            gettext("%(n)s open cases of %(name)s could not be handed over; try again")
            % {"n": left_over, "name": person.name}
        )
    summary = gettext(
        "%(person)s → %(successor)s (%(kind)s): %(cases)s cases, %(calls)s linkage calls,"
        " %(alerts)s alerts, %(equipment)s items of equipment, %(roles)s roles ended"
    ) % {
        "person": person.name,
        "successor": successor.name,
        "kind": handover.get_kind_display(),
        "cases": handover.cases,
        "calls": handover.linkage_calls,
        "alerts": handover.alerts,
        "equipment": handover.equipment,
        "roles": handover.roles,
    }
    audit.record(
        actor=by_user,
        action="handover",
        object_type="handover",
        object_id=handover.pk,
        summary=f"{summary} — {reason}",
        data={
            "person": person.pk,
            "successor": successor.pk,
            "kind": kind,
            "cases": handover.cases,
            "linkage_calls": handover.linkage_calls,
            "alerts": handover.alerts,
            "equipment": handover.equipment,
            "roles": handover.roles,
        },
    )
    if successor.user is not None and successor.user.is_active:
        notify(
            user=successor.user,
            text=gettext("Handed over to you: %(summary)s") % {"summary": summary},
            url=reverse("handover:detail", args=[handover.pk]),
            at=at,
            kind="handover",
        )
    return handover
