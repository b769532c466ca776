"""Reads of the leaders app: findings per person, follow-ups, meetings and inspections."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wangge.core.errors import NotFound
from wangge.leaders.models import (
    DEDUCTED_FINDINGS,
    CoordinationMeeting,
    FollowUp,
    FollowUpStatus,
    Inspection,
)
from wangge.org.territory import Territory
from wangge.people.groups import ADMINS, ASSESSORS, OPERATOR_DISPATCH, OPERATOR_INTAKE
from wangge.people.models import LeaderPost, Person

READER_GROUPS = (OPERATOR_INTAKE, OPERATOR_DISPATCH, ASSESSORS)


def is_admin(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or user.groups.filter(name=ADMINS).exists())
    )


def person_of(user: Any) -> Person | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


def may_read(user: Any) -> bool:
    """Leaders' records are read by post holders, administrators and the centre's operators
    (and the assessment group, which turns findings into deductions)."""
    if is_admin(user):
        return True
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.groups.filter(name__in=READER_GROUPS).exists():
        return True
    return LeaderPost.objects.filter(person__user=user).exists()


def acting_posts(user: Any) -> QuerySet[LeaderPost]:
    """The posts a user may record meetings and inspections for: the ones they hold, or every
    post for an administrator."""
    if is_admin(user):
        return posts_visible(Territory.all())
    return posts_held(person_of(user))


def readable_posts(user: Any, territory: Territory) -> QuerySet[LeaderPost]:
    """The posts whose leader's page the user may open: their own, or (administrators and
    operators) those in their territory."""
    if is_admin(user):
        return posts_visible(Territory.all())
    if may_read(user) and user.groups.filter(name__in=READER_GROUPS).exists():
        return posts_visible(territory) | posts_held(person_of(user))
    return posts_held(person_of(user))


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of a local (Asia/Shanghai) day, aware."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


MANY_IDS = 1000  # more people than this: one scan of the period, filtered here


def inspection_findings(
    person_ids: Iterable[int], first_day: dt.date, last_day: dt.date
) -> dict[int, dict[str, int]]:
    """For each person with deducted findings in the local days first_day–last_day (both
    included): how many inspections found them ``"absent"`` (脱岗) and ``"neglect"`` (在岗不履职).

    People with no such finding are absent from the dict; both keys are present for the others.
    The assessment turns these counts into deductions.
    """
    ids = set(person_ids)
    if not ids:
        return {}
    found = Inspection.objects.all()
    if len(ids) <= MANY_IDS:
        found = found.filter(person_id__in=sorted(ids))
    # else: everyone's in one pass, kept below (a long IN list costs more than it saves)
    rows = (
        found.filter(
            finding__in=DEDUCTED_FINDINGS,
            at__gte=_day_start(first_day),
            at__lt=_day_start(last_day + dt.timedelta(days=1)),
        )
        .values("person_id", "finding")
        .annotate(n=Count("id"))
    )
    out: dict[int, dict[str, int]] = {}
    for row in rows:
        if row["person_id"] not in ids:
            continue
        counts = out.setdefault(row["person_id"], {f: 0 for f in DEDUCTED_FINDINGS})
        counts[row["finding"]] = row["n"]
    return out


# Posts and their territory --------------------------------------------------------------------


def post_territory(post: LeaderPost) -> Territory:
    """The part of the map a leader post answers for: the unit it leads."""
    return Territory(
        district_ids=frozenset([post.district_id] if post.district_id else []),
        subdistrict_ids=frozenset([post.subdistrict_id] if post.subdistrict_id else []),
        community_ids=frozenset([post.community_id] if post.community_id else []),
        grid_ids=frozenset([post.grid_id] if post.grid_id else []),
    )


def posts_visible(territory: Territory) -> QuerySet[LeaderPost]:
    """Leader posts whose unit lies in (or contains part of) the territory."""
    qs = LeaderPost.objects.select_related(
        "person", "district", "subdistrict", "community", "grid"
    ).order_by("level", "id")
    if territory.everything:
        return qs
    from wangge.org.models import Community, District, Grid, Subdistrict

    return qs.filter(
        Q(grid__in=Grid.objects.filter(territory.grid_q()))
        | Q(community__in=Community.objects.filter(territory.community_q()))
        | Q(subdistrict__in=Subdistrict.objects.filter(territory.subdistrict_q()))
        | Q(district__in=District.objects.filter(territory.district_q()))
    )


def posts_held(person: Any) -> QuerySet[LeaderPost]:
    if person is None:
        return LeaderPost.objects.none()
    return LeaderPost.objects.filter(person=person).select_related(
        "person", "district", "subdistrict", "community", "grid"
    )


# Meetings and follow-ups ----------------------------------------------------------------------


def meetings_visible(territory: Territory) -> QuerySet[CoordinationMeeting]:
    """Meetings convened by posts in the territory."""
    return (
        CoordinationMeeting.objects.filter(leader__in=posts_visible(territory).values("pk"))
        .select_related("leader__person", "created_by")
        .order_by("-at", "-id")
    )


def meeting_get(territory: Territory, pk: int) -> CoordinationMeeting:
    meeting = meetings_visible(territory).filter(pk=pk).first()
    if meeting is None:
        raise NotFound(f"no meeting {pk} in your territory", field="id")
    return meeting


def meeting_for_user(user: Any, territory: Territory, pk: int) -> CoordinationMeeting:
    """A meeting the user may read: in their territory (leaders, operators, administrators),
    or one they attended or own a follow-up of."""
    if may_read(user):
        meeting = meetings_visible(territory).filter(pk=pk).first()
        if meeting is not None:
            return meeting
    person = person_of(user)
    if person is not None:
        meeting = (
            CoordinationMeeting.objects.filter(pk=pk)
            .filter(Q(attendees=person) | Q(follow_ups__owner=person))
            .select_related("leader__person", "created_by")
            .distinct()
            .first()
        )
        if meeting is not None:
            return meeting
    raise NotFound(f"no meeting {pk} for you", field="id")


def follow_ups_of(
    *,
    territory: Territory | None = None,
    person: Any = None,
    status: str | None = None,
) -> QuerySet[FollowUp]:
    """Follow-ups owned by ``person`` or decided by meetings of their posts, plus (with a
    territory) those of the meetings in it; soonest due first."""
    q = Q(pk__in=[])
    if person is not None:
        q |= Q(owner=person) | Q(meeting__leader__person=person)
    if territory is not None and not territory.is_empty:
        q |= Q(meeting__in=meetings_visible(territory).values("pk"))
    qs = FollowUp.objects.filter(q).select_related("meeting__leader", "owner")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("due_date", "id")


def overdue_q(today: dt.date | None = None) -> Q:
    """Open past the due date."""
    return Q(status=FollowUpStatus.OPEN, due_date__lt=today or timezone.localdate())


def with_overdue(follow_ups: Iterable[FollowUp], today: dt.date | None = None) -> list[FollowUp]:
    """The follow-ups, each with ``overdue`` set (open past its due date)."""
    today = today or timezone.localdate()
    out = []
    for fu in follow_ups:
        fu.overdue = fu.is_overdue(today)  # type: ignore[attr-defined]
        out.append(fu)
    return out


# Inspections ----------------------------------------------------------------------------------


def inspections_visible(territory: Territory) -> QuerySet[Inspection]:
    """Inspections of staff in the territory's grids, newest first."""
    return (
        Inspection.objects.filter(territory.grid_q(prefix="grid__"))
        .select_related("person", "grid", "inspector", "inspector_post")
        .order_by("-at", "-id")
    )


def inspections_in(
    inspections: QuerySet[Inspection], first_day: dt.date, last_day: dt.date
) -> QuerySet[Inspection]:
    return inspections.filter(
        at__gte=_day_start(first_day), at__lt=_day_start(last_day + dt.timedelta(days=1))
    )
