"""Changes to linkage (五员联动): call the role whose duty a reported problem is, and the called
person's steps (acknowledge → arrive → handle), and moving open calls to a successor.

Who is responsible for a category: the active LinkageRule rows matching it (the category
itself, or its group: kind + major class code); when none matches, the category's own
``duty_role``; a case without a category calls nobody.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from wangge.cases.models import Case, CaseStatus, Category
from wangge.core.audit import record
from wangge.core.errors import Conflict, DomainError, Forbidden
from wangge.core.geo import parse_point
from wangge.core.notifications import notify
from wangge.field.duty.selectors import on_duty
from wangge.field.linkage.models import (
    OPEN_STATUSES,
    CallStatus,
    LinkageCall,
    LinkageRule,
    LinkageRules,
)
from wangge.people.groups import ADMINS
from wangge.people.models import GridRole, LeaderLevel, LeaderPost, Person, RoleKind
from wangge.people.selectors import leaders_for_grid

log = logging.getLogger(__name__)

# When the grid has no level-3 leader, the lowest level above it that is held.
LEADER_FALLBACK = (
    LeaderLevel.LEVEL3,
    LeaderLevel.LEVEL2,
    LeaderLevel.LEVEL1_DEPUTY,
    LeaderLevel.LEVEL1,
    LeaderLevel.CHIEF,
)


def responsible_roles(category: Category | None) -> list[str]:
    """The roles whose duty a category is: the matching active rules, else the category's
    ``duty_role``; no category → none."""
    if category is None:
        return []
    rules = LinkageRule.objects.filter(active=True).filter(
        Q(category=category)
        | Q(category__isnull=True, kind=category.kind, major_code=category.major_code)
        if category.major_code
        else Q(category=category)
    )
    roles = sorted(set(rules.values_list("role", flat=True)))
    if roles:
        return roles
    return [category.duty_role] if category.duty_role in RoleKind.values else []


def _case_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk])


def _call_text(case: Case, role: str, *, to_leader: bool) -> str:
    category = case.category.name if case.category else ""
    if to_leader:
        return gettext(
            "Linkage: no %(role)s is on duty in %(grid)s; you are called about case %(number)s"
            " (%(category)s) at %(address)s"
        ) % {
            "role": RoleKind(role).label,
            "grid": case.grid.name,
            "number": case.number,
            "category": category,
            "address": case.address or f"{case.lon},{case.lat}",
        }
    return gettext(
        "Linkage: you are called to case %(number)s (%(category)s) in %(grid)s at %(address)s"
    ) % {
        "number": case.number,
        "category": category,
        "grid": case.grid.name,
        "address": case.address or f"{case.lon},{case.lat}",
    }


def _closeness(post: LeaderPost) -> int:
    """0 for a post on the grid itself, then its community, subdistrict, district."""
    return 0 if post.grid_id else 1 if post.community_id else 2 if post.subdistrict_id else 3


def leader_posts_to_call(case: Case) -> list[LeaderPost]:
    """The grid's level-3 leader posts that are held (the closest to the grid: a post on the
    grid before one on its community, before one on the subdistrict); else the lowest held
    level above."""
    posts = [p for p in leaders_for_grid(case.grid) if p.person_id is not None]
    for level in LEADER_FALLBACK:
        found = [p for p in posts if p.level == level]
        if found:
            nearest = min(_closeness(p) for p in found)
            return [p for p in found if _closeness(p) == nearest]
    return []


def reporter_roles(case: Case) -> set[str] | None:
    """The reporter's roles in the case's grid on the report's day; None when not five-role."""
    if case.reporter_id is None:
        return None
    day = timezone.localdate(case.reported_at)
    roles = set(
        GridRole.objects.active_on(day)
        .filter(person__user_id=case.reporter_id, grid_id=case.grid_id)
        .values_list("role", flat=True)
    )
    return roles or None


def _make_call(
    *,
    case: Case,
    role: str,
    person: Person,
    now: dt.datetime,
    leader_post: LeaderPost | None = None,
) -> LinkageCall | None:
    """One call (once per case, role and person); None when it existed already."""
    if LinkageCall.objects.filter(case=case, role=role, person=person).exists():
        return None
    try:
        with transaction.atomic():
            call = LinkageCall.objects.create(
                case=case,
                grid_id=case.grid_id,
                role=role,
                person=person,
                user=person.user,
                to_leader=leader_post is not None,
                leader_post=leader_post,
                called_by_id=case.reporter_id,
                called_at=now,
            )
            if person.user is not None:
                notify(
                    user=person.user,
                    text=_call_text(case, role, to_leader=leader_post is not None),
                    url=_case_url(case),
                    at=now,
                    kind="linkage",
                    outbound=True,
                )
    except IntegrityError:
        return None  # a concurrent run made it
    return call


def call_for_case(case: Case, now: dt.datetime | None = None) -> list[LinkageCall]:
    """Call the on-duty persons of each role responsible for the case, other than the
    reporter's own role; with nobody of a role on duty, the grid's level-3 leader(s).

    Skipped when the case has no category, was fixed on the spot (self_handled), was not
    reported by one of the five roles of its grid, or reached the platform more than
    LinkageRules.max_report_age_minutes after it was seen (nobody is called to an old
    problem). Safe to run twice: returns only new calls.
    """
    if case.category is None or case.status == CaseStatus.SELF_HANDLED:
        return []
    now = now or timezone.now()
    max_age = dt.timedelta(minutes=LinkageRules.load().max_report_age_minutes)
    if now - case.reported_at > max_age:
        return []
    own_roles = reporter_roles(case)
    if own_roles is None:
        return []
    calls: list[LinkageCall] = []
    for role in responsible_roles(case.category):
        if role in own_roles:
            continue
        persons = list(on_duty(case.grid_id, role, at=case.reported_at).select_related("user"))
        if persons:
            for person in persons:
                call = _make_call(case=case, role=role, person=person, now=now)
                if call is not None:
                    calls.append(call)
            continue
        for post in leader_posts_to_call(case):
            assert post.person is not None
            call = _make_call(case=case, role=role, person=post.person, now=now, leader_post=post)
            if call is not None:
                calls.append(call)
    return calls


def on_case_reported(sender: Any, case_id: int, **kwargs: Any) -> None:
    """Receiver of cases.signals.case_reported: make the linkage calls of a new case."""
    try:
        case = (
            Case.objects.select_related("category", "grid", "grid__community__subdistrict")
            .filter(pk=case_id)
            .first()
        )
        if case is None:
            return
        with transaction.atomic():
            call_for_case(case)
    except Exception:  # a report never fails because of linkage
        log.exception("linkage calls for case %s failed", case_id)


# The called person's steps ---------------------------------------------------------------


def _is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) or user.groups.filter(name=ADMINS).exists())


def _check_caller(call: LinkageCall, user: Any) -> None:
    if not getattr(user, "is_authenticated", False):
        raise Forbidden(gettext("sign in to answer a linkage call"))
    if call.user_id is not None and call.user_id == user.pk:
        return
    if _is_admin(user):
        return
    raise Forbidden(
        gettext("this linkage call is addressed to %(name)s, not to you")
        % {"name": call.person.name if call.person else "—"}
    )


def _locked(call: LinkageCall) -> LinkageCall:
    return (
        LinkageCall.objects.select_for_update(of=("self",))
        .select_related("case", "person")
        .get(pk=call.pk)
    )


def _check_not_cancelled(call: LinkageCall) -> None:
    if call.status == CallStatus.CANCELLED:
        raise Conflict(gettext("this linkage call was cancelled"), field="status")


def acknowledge(call: LinkageCall, user: Any, at: dt.datetime | None = None) -> LinkageCall:
    """The called person has seen the call. Acknowledging again changes nothing."""
    with transaction.atomic():
        call = _locked(call)
        _check_caller(call, user)
        _check_not_cancelled(call)
        if call.status != CallStatus.CALLED:
            return call
        call.status = CallStatus.ACKNOWLEDGED
        call.acknowledged_at = at or timezone.now()
        call.save(update_fields=["status", "acknowledged_at", "updated_at"])
    return call


def metres_to_case(case: Case, lon: float, lat: float) -> float:
    """Great-circle distance from a point to the case (haversine; metres)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (float(case.lat), float(case.lon), lat, lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def arrive(
    call: LinkageCall, user: Any, lon: Any, lat: Any, at: dt.datetime | None = None
) -> LinkageCall:
    """The called person is at the case: their position must be within the arrival radius.

    Arriving implies acknowledging (at the same time, when not done before); arriving again,
    or after handling, changes nothing.
    """
    point = parse_point(lon, lat)
    with transaction.atomic():
        call = _locked(call)
        _check_caller(call, user)
        _check_not_cancelled(call)
        if call.status in (CallStatus.ARRIVED, CallStatus.HANDLED):
            return call
        radius = LinkageRules.load().arrival_radius_m
        distance = metres_to_case(call.case, point.x, point.y)
        if distance > radius:
            raise DomainError(
                gettext(
                    "you are %(distance)d m from the case; arrive within %(radius)d m of it"
                    " and try again"
                )
                % {"distance": round(distance), "radius": radius},
                field="lon",
                code="too_far",
            )
        at = at or timezone.now()
        call.status = CallStatus.ARRIVED
        call.acknowledged_at = call.acknowledged_at or at
        call.arrived_at = at
        call.arrival_lon = Decimal(str(round(point.x, 7)))
        call.arrival_lat = Decimal(str(round(point.y, 7)))
        call.arrival_distance_m = round(distance)
        call.save(
            update_fields=[
                "status",
                "acknowledged_at",
                "arrived_at",
                "arrival_lon",
                "arrival_lat",
                "arrival_distance_m",
                "updated_at",
            ]
        )
    return call


def handle(
    call: LinkageCall, user: Any, comment: str = "", at: dt.datetime | None = None
) -> LinkageCall:
    """The called person has done their part (acknowledging implied when not done before);
    the reporter is told. Handling again changes nothing."""
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise DomainError(gettext("the comment is longer than 2000 characters"), field="comment")
    with transaction.atomic():
        call = _locked(call)
        _check_caller(call, user)
        _check_not_cancelled(call)
        if call.status == CallStatus.HANDLED:
            return call
        at = at or timezone.now()
        call.status = CallStatus.HANDLED
        call.acknowledged_at = call.acknowledged_at or at
        call.handled_at = at
        call.comment = comment
        call.save(
            update_fields=["status", "acknowledged_at", "handled_at", "comment", "updated_at"]
        )
        if call.called_by is not None:
            notify(
                user=call.called_by,
                text=gettext("Linkage: %(name)s has handled case %(number)s")
                % {"name": call.person.name if call.person else "—", "number": call.case.number},
                url=_case_url(call.case),
                at=at,
                kind="linkage",
            )
    return call


def call_label(call: LinkageCall) -> str:
    category = call.case.category.name if call.case.category else ""
    return gettext("linkage call %(id)s: case %(number)s %(category)s (%(role)s)") % {
        "id": call.pk,
        "number": call.case.number,
        "category": category,
        "role": RoleKind(call.role).label,
    }


def reassign_calls(
    *, person: Person, successor: Person, by_user: Any, at: dt.datetime
) -> list[tuple[int, str]]:
    """Move every open linkage call addressed to ``person`` to ``successor`` (hand-over).

    The successor's user is told; the call records from whom, when and by whom it was moved.
    When the successor already has a call about the same case and role, the person's call is
    cancelled instead (one call each). Returns (call id, label) for each call moved.
    """
    if successor.pk == person.pk:
        raise DomainError(gettext("the successor must be someone else"), field="successor")
    moved: list[tuple[int, str]] = []
    with transaction.atomic():
        calls = list(
            LinkageCall.objects.select_for_update(of=("self",))
            .filter(person=person, status__in=OPEN_STATUSES)
            .select_related("case", "case__category", "case__grid")
            .order_by("called_at", "pk")
        )
        for call in calls:
            label = call_label(call)
            duplicate = (
                LinkageCall.objects.filter(case=call.case, role=call.role, person=successor)
                .exclude(pk=call.pk)
                .exists()
            )
            if duplicate:
                call.status = CallStatus.CANCELLED
                call.cancelled_at = at
                call.comment = gettext("cancelled at hand-over: %(name)s has the same call") % {
                    "name": successor.name
                }
                call.reassigned_by = by_user if getattr(by_user, "pk", None) else None
                call.save(
                    update_fields=[
                        "status",
                        "cancelled_at",
                        "comment",
                        "reassigned_by",
                        "updated_at",
                    ]
                )
                moved.append((call.pk, label))
                continue
            call.reassign(successor=successor, by_user=by_user, at=at)
            record(
                actor=by_user,
                action="linkage.reassign",
                object_type="linkage_call",
                object_id=call.pk,
                summary=f"{label}: {person.name} → {successor.name}",
                data={"from": person.pk, "to": successor.pk},
            )
            if successor.user is not None:
                notify(
                    user=successor.user,
                    text=gettext("Linkage: case %(number)s was handed over to you from %(name)s")
                    % {"number": call.case.number, "name": person.name},
                    url=_case_url(call.case),
                    at=at,
                    kind="linkage",
                )
            moved.append((call.pk, label))
    return moved
