"""Changes in the leaders app: record a coordination meeting and its follow-ups, mark a
follow-up done or cancelled, record a spot inspection.

Who may: the holder of a leader post, for that post's territory; administrators for any post.
The seed's rule (三.1): grid leaders inspect the five roles EXCEPT the supervisors, whose work
is reported to the district grid centre.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from wangge.core.audit import record
from wangge.core.errors import Conflict, DomainError, Forbidden
from wangge.leaders.models import (
    CoordinationMeeting,
    Finding,
    FollowUp,
    FollowUpStatus,
    Inspection,
)
from wangge.leaders.selectors import is_admin, person_of
from wangge.org.models import Grid
from wangge.people.models import GridRole, LeaderPost, Person, RoleKind


def post_covers_grid(post: LeaderPost, grid: Grid) -> bool:
    """Does the post lead the grid, its community, its subdistrict or its district?"""
    community = grid.community
    return (
        post.grid_id == grid.pk
        or post.community_id == grid.community_id
        or post.subdistrict_id == community.subdistrict_id
        or (post.district_id is not None and post.district_id == community.subdistrict.district_id)
    )


def check_acts_for(user: Any, post: LeaderPost) -> None:
    """The user holds the post, or is an administrator."""
    if is_admin(user):
        return
    person = person_of(user)
    if person is None or post.person_id is None or post.person_id != person.pk:
        raise Forbidden(
            gettext("Only the holder of the post “%(post)s” or an administrator may do this.")
            % {"post": post}
        )


def _aware(value: dt.datetime, field: str) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise DomainError(gettext("Give a date and time."), field=field)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _text(value: Any) -> str:
    return str(value or "").strip()


# Meetings and follow-ups ----------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpInput:
    action: str
    owner: Person | None
    due_date: dt.date | None


def _check_follow_ups(items: Sequence[FollowUpInput], meeting_day: dt.date) -> None:
    for i, item in enumerate(items):
        field = f"follow_ups[{i}]"
        if not _text(item.action):
            raise DomainError(
                gettext("Follow-up %(n)d has no action: say what is to be done.") % {"n": i + 1},
                field=f"{field}.action",
            )
        if len(_text(item.action)) > 500:
            raise DomainError(
                gettext("Follow-up %(n)d: the action is longer than 500 characters.")
                % {"n": i + 1},
                field=f"{field}.action",
            )
        if item.owner is None:
            raise DomainError(
                gettext("Follow-up %(n)d has no owner: choose who is to do it.") % {"n": i + 1},
                field=f"{field}.owner",
            )
        if item.owner.end_date is not None and item.owner.end_date < meeting_day:
            raise DomainError(
                gettext("Follow-up %(n)d: %(owner)s left on %(end)s; choose someone still working.")
                % {"n": i + 1, "owner": item.owner.name, "end": item.owner.end_date.isoformat()},
                field=f"{field}.owner",
            )
        if item.due_date is None:
            raise DomainError(
                gettext("Follow-up %(n)d has no due date.") % {"n": i + 1},
                field=f"{field}.due_date",
            )
        if item.due_date < meeting_day:
            raise DomainError(
                gettext(
                    "Follow-up %(n)d is due on %(due)s, before the meeting (%(day)s);"
                    " give a due date on or after the meeting."
                )
                % {"n": i + 1, "due": item.due_date.isoformat(), "day": meeting_day.isoformat()},
                field=f"{field}.due_date",
            )


def meeting_record(
    *,
    by_user: Any,
    leader: LeaderPost,
    at: dt.datetime,
    topic: str,
    place: str = "",
    attendees: Iterable[Person] = (),
    other_attendees: str = "",
    decisions: str = "",
    minutes: str = "",
    follow_ups: Sequence[FollowUpInput] = (),
    now: dt.datetime | None = None,
) -> CoordinationMeeting:
    """Record a coordination meeting convened by ``leader`` and the follow-up actions it
    decided; each owner with a login gets a message. Nothing is written when any input is
    wrong."""
    check_acts_for(by_user, leader)
    now = now or timezone.now()
    at = _aware(at, "at")
    if at > now + dt.timedelta(minutes=5):
        raise DomainError(
            gettext("The meeting is in the future; record a meeting after it was held."),
            field="at",
        )
    topic = _text(topic)
    if not topic:
        raise DomainError(gettext("Give the meeting's topic."), field="topic")
    if len(topic) > 200:
        raise DomainError(gettext("The topic is longer than 200 characters."), field="topic")
    if len(_text(place)) > 200:
        raise DomainError(gettext("The place is longer than 200 characters."), field="place")
    if len(_text(other_attendees)) > 500:
        raise DomainError(
            gettext("The other attendees are longer than 500 characters."),
            field="other_attendees",
        )
    meeting_day = timezone.localtime(at).date()
    _check_follow_ups(follow_ups, meeting_day)
    people = list(attendees)
    with transaction.atomic():
        meeting = CoordinationMeeting.objects.create(
            at=at,
            leader=leader,
            place=_text(place),
            topic=topic,
            other_attendees=_text(other_attendees),
            decisions=_text(decisions),
            minutes=_text(minutes),
            created_by=by_user if getattr(by_user, "pk", None) else None,
        )
        if people:
            meeting.attendees.set(people)
        url = reverse("leaders:meeting", args=[meeting.pk])
        for item in follow_ups:
            assert item.owner is not None and item.due_date is not None
            fu = FollowUp.objects.create(
                meeting=meeting,
                action=_text(item.action),
                owner=item.owner,
                due_date=item.due_date,
            )
            if item.owner.user_id:
                from wangge.core.notifications import notify

                notify(
                    user=item.owner.user,
                    text=gettext("Follow-up from the meeting “%(topic)s”, due %(due)s: %(action)s")
                    % {"topic": topic, "due": fu.due_date.isoformat(), "action": fu.action},
                    url=url,
                    kind="follow_up",
                )
        record(
            actor=by_user if getattr(by_user, "pk", None) else None,
            action="leaders.meeting_record",
            object_type="CoordinationMeeting",
            object_id=meeting.pk,
            summary=f"{meeting.at:%Y-%m-%d} {topic} ({len(follow_ups)} follow-ups)",
        )
    return meeting


def may_close_follow_up(user: Any, follow_up: FollowUp) -> bool:
    """The owner, the holder of the convening post, or an administrator."""
    if is_admin(user):
        return True
    person = person_of(user)
    if person is None:
        return False
    return person.pk in (follow_up.owner_id, follow_up.meeting.leader.person_id)


def follow_up_done(
    follow_up: FollowUp, by_user: Any, note: str = "", *, now: dt.datetime | None = None
) -> FollowUp:
    """Mark an open follow-up done, with a note on what was done."""
    if not may_close_follow_up(by_user, follow_up):
        raise Forbidden(
            gettext(
                "Only the follow-up's owner, the leader who convened the meeting or an"
                " administrator may mark it done."
            )
        )
    if len(_text(note)) > 500:
        raise DomainError(gettext("The note is longer than 500 characters."), field="note")
    now = now or timezone.now()
    with transaction.atomic():
        fu = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if fu.status != FollowUpStatus.OPEN:
            raise Conflict(
                gettext("This follow-up is already %(status)s.")
                % {"status": fu.get_status_display()}
            )
        fu.status = FollowUpStatus.DONE
        fu.done_at = now
        fu.done_note = _text(note)
        fu.done_by = by_user if getattr(by_user, "pk", None) else None
        fu.save(update_fields=["status", "done_at", "done_note", "done_by", "updated_at"])
        record(
            actor=fu.done_by,
            action="leaders.follow_up_done",
            object_type="FollowUp",
            object_id=fu.pk,
            summary=fu.action[:200],
        )
    follow_up.refresh_from_db()
    return follow_up


def follow_up_cancel(follow_up: FollowUp, by_user: Any, note: str = "") -> FollowUp:
    """Cancel an open follow-up (the convening leader or an administrator), saying why."""
    check_acts_for(by_user, follow_up.meeting.leader)
    if not _text(note):
        raise DomainError(gettext("Say why the follow-up is cancelled."), field="note")
    with transaction.atomic():
        fu = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if fu.status != FollowUpStatus.OPEN:
            raise Conflict(
                gettext("This follow-up is already %(status)s.")
                % {"status": fu.get_status_display()}
            )
        fu.status = FollowUpStatus.CANCELLED
        fu.done_note = _text(note)[:500]
        fu.save(update_fields=["status", "done_note", "updated_at"])
        record(
            actor=by_user if getattr(by_user, "pk", None) else None,
            action="leaders.follow_up_cancel",
            object_type="FollowUp",
            object_id=fu.pk,
            summary=fu.action[:200],
        )
    follow_up.refresh_from_db()
    return follow_up


# Inspections ----------------------------------------------------------------------------------


def _inspector_post(by_user: Any, post: LeaderPost | None, grid: Grid) -> LeaderPost | None:
    """The post the inspection is made under: the given one, or the user's post covering the
    grid; administrators may record without a post."""
    if post is not None:
        check_acts_for(by_user, post)
        if not post_covers_grid(post, grid):
            raise Forbidden(
                gettext(
                    "The post “%(post)s” does not cover %(grid)s; inspect staff of your own area."
                )
                % {"post": post, "grid": grid.name},
                field="post",
            )
        return post
    person = person_of(by_user)
    if person is not None:
        for candidate in LeaderPost.objects.filter(person=person).select_related(
            "community__subdistrict", "subdistrict"
        ):
            if post_covers_grid(candidate, grid):
                return candidate
    if is_admin(by_user):
        return None
    raise Forbidden(
        gettext(
            "Only a grid leader whose post covers %(grid)s, or an administrator, may inspect there."
        )
        % {"grid": grid.name},
        field="post",
    )


def inspection_record(
    *,
    by_user: Any,
    person: Person,
    at: dt.datetime,
    finding: str,
    post: LeaderPost | None = None,
    grid: Grid | None = None,
    note: str = "",
    place: str = "",
    lon: float | None = None,
    lat: float | None = None,
    now: dt.datetime | None = None,
) -> Inspection:
    """Record a spot inspection of one of the grid staff (not a supervisor).

    The person's role is the one they held on the inspection's day (in ``grid`` when given);
    an "absent" or "neglect" finding counts into their month's deductions
    (selectors.inspection_findings).
    """
    now = now or timezone.now()
    at = _aware(at, "at")
    if at > now + dt.timedelta(minutes=5):
        raise DomainError(
            gettext("The inspection is in the future; record it after it was made."), field="at"
        )
    if finding not in Finding.values:
        raise DomainError(
            gettext("Unknown finding “%(value)s”; use one of: %(choices)s.")
            % {"value": finding, "choices": ", ".join(Finding.values)},
            field="finding",
        )
    if finding != Finding.OK and not _text(note):
        raise DomainError(
            gettext(
                "Describe what was found: every finding but “at the post and doing the job”"
                " needs a note."
            ),
            field="note",
        )
    if (lon is None) != (lat is None):
        raise DomainError(gettext("Give both longitude and latitude, or neither."), field="lon")
    if lon is not None and lat is not None and not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise DomainError(gettext("The position is outside the valid range."), field="lon")
    day = timezone.localtime(at).date()
    if person.end_date is not None and person.end_date < day:
        raise DomainError(
            gettext("%(name)s had left on %(end)s, before the inspection.")
            % {"name": person.name, "end": person.end_date.isoformat()},
            field="person",
        )
    roles = list(
        GridRole.objects.active_on(day)
        .filter(person=person)
        .select_related("grid__community__subdistrict")
        .order_by("start_date", "id")
    )
    if grid is not None:
        roles = [r for r in roles if r.grid_id == grid.pk]
    if not roles:
        if grid is not None:
            message = gettext("%(name)s held no role in %(grid)s on %(day)s.") % {
                "name": person.name,
                "grid": grid.name,
                "day": day.isoformat(),
            }
        else:
            message = gettext(
                "%(name)s held no grid role on %(day)s; only grid staff can be inspected."
            ) % {"name": person.name, "day": day.isoformat()}
        raise DomainError(message, field="person")
    others = [r for r in roles if r.role != RoleKind.SUPERVISOR]
    if not others:
        raise DomainError(
            gettext(
                "%(name)s is a grid supervisor: grid leaders inspect the other grid staff;"
                " supervisors' work is reported to the district grid centre."
            )
            % {"name": person.name},
            field="person",
        )
    # The role in a grid the inspector's post covers, when there are several.
    chosen: GridRole | None = None
    inspector_post: LeaderPost | None = None
    error: DomainError | None = None
    for role in others:
        try:
            inspector_post = _inspector_post(by_user, post, role.grid)
        except DomainError as exc:
            error = error or exc
            continue
        chosen = role
        break
    if chosen is None:
        assert error is not None
        raise error
    inspector = inspector_post.person if inspector_post is not None else person_of(by_user)
    with transaction.atomic():
        inspection = Inspection.objects.create(
            person=person,
            grid_role=chosen,
            grid=chosen.grid,
            role=chosen.role,
            inspector_post=inspector_post,
            inspector=inspector,
            at=at,
            lon=lon,
            lat=lat,
            place=_text(place)[:200],
            finding=finding,
            note=_text(note),
            created_by=by_user if getattr(by_user, "pk", None) else None,
        )
        record(
            actor=by_user if getattr(by_user, "pk", None) else None,
            action="leaders.inspection_record",
            object_type="Inspection",
            object_id=inspection.pk,
            summary=f"{person.name} {finding} {at:%Y-%m-%d %H:%M}",
        )
    return inspection
