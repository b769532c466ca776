"""Changes to commands and alerts: the centre sends, the staff on duty acknowledge, the silent
are called again and their leader is told, and hand-over moves open deliveries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from wangge.cases.actors import Actor
from wangge.core.audit import record
from wangge.core.errors import DomainError, Forbidden, NotFound
from wangge.core.notifications import notify
from wangge.field.alerts.models import Alert, AlertKind, AlertRecipient, AlertRules
from wangge.field.duty.models import DutySession
from wangge.org.models import Grid, GridCenter
from wangge.people.groups import LEADERS, OPERATOR_DISPATCH, OPERATOR_INTAKE
from wangge.people.models import LeaderLevel, LeaderPost, Person, RoleKind

SENDER_GROUPS = frozenset({OPERATOR_INTAKE, OPERATOR_DISPATCH, LEADERS})


def _alert_url(alert: Alert) -> str:
    return reverse("alerts:detail", args=[alert.pk])


def may_send(actor: Actor) -> bool:
    """The centre's operators, grid leaders, admins and the district grid centre's staff."""
    if actor.superuser or actor.groups & SENDER_GROUPS:
        return True
    person = actor.person
    return (
        person is not None
        and person.center is not None
        and person.center.level == GridCenter.Level.DISTRICT
    )


def _grid_list(grids: Iterable[Grid | int]) -> list[int]:
    ids: list[int] = []
    for g in grids:
        ids.append(g if isinstance(g, int) else g.pk)
    return sorted(set(ids))


def _text(alert: Alert) -> str:
    return f"{alert.get_kind_display()}: {alert.title} — {alert.text}"


def send_alert(
    *,
    by_user: Any,
    kind: str,
    title: str,
    text: str,
    grids: Iterable[Grid | int],
    roles: Sequence[str] = (),
    ack_minutes: int | None = None,
    now: dt.datetime | None = None,
) -> Alert:
    """Send an instruction or an emergency alert to everyone on duty now in the grids and
    roles (no roles = all five); each is notified at once (inbox, live push, outbound).

    Nobody on duty there → refused, nothing written.
    """
    now = now or timezone.now()
    actor = Actor.of(by_user, day=timezone.localdate(now))
    if not may_send(actor):
        raise Forbidden(
            gettext(
                "only the grid centre's operators, grid leaders and administrators send"
                " commands and alerts"
            )
        )
    if kind not in AlertKind.values:
        raise DomainError(
            gettext("kind must be one of %(values)s") % {"values": ", ".join(AlertKind.values)},
            field="kind",
        )
    title = (title or "").strip()
    text = (text or "").strip()
    if not title:
        raise DomainError(gettext("give the alert a title"), field="title")
    if len(title) > 100:
        raise DomainError(gettext("the title is longer than 100 characters"), field="title")
    if not text:
        raise DomainError(gettext("say what to do in the text"), field="text")
    if len(text) > 2000:
        raise DomainError(gettext("the text is longer than 2000 characters"), field="text")
    role_list = sorted(set(roles or ()))
    for role in role_list:
        if role not in RoleKind.values:
            raise DomainError(
                gettext("unknown role %(role)s; roles: %(values)s")
                % {"role": repr(role), "values": ", ".join(RoleKind.values)},
                field="roles",
            )
    rules = AlertRules.load()
    if ack_minutes is None:
        ack_minutes = rules.ack_minutes
    if not 1 <= int(ack_minutes) <= 24 * 60:
        raise DomainError(
            gettext("the time to acknowledge must be 1 to 1440 minutes"), field="ack_minutes"
        )
    grid_ids = _grid_list(grids)
    if not grid_ids:
        raise DomainError(gettext("choose at least one grid"), field="grids")
    chosen = list(Grid.objects.filter(pk__in=grid_ids).select_related("community"))
    if len(chosen) != len(grid_ids):
        raise DomainError(gettext("one of the grids does not exist"), field="grids")
    allowed = set(
        Grid.objects.filter(actor.territory.grid_q(), pk__in=grid_ids).values_list("pk", flat=True)
    )
    outside = [g.name for g in chosen if g.pk not in allowed]
    if outside:
        raise Forbidden(
            gettext("%(grids)s is outside your territory; send alerts only to your own grids")
            % {"grids": "、".join(outside)}
        )
    sessions = (
        DutySession.objects.filter(grid_id__in=grid_ids, started_at__lte=now)
        .exclude(ended_at__lt=now)
        .select_related("person", "person__user")
        .order_by("grid__code", "role", "person__name", "pk")
    )
    if role_list:
        sessions = sessions.filter(role__in=role_list)
    recipients: dict[int, DutySession] = {}
    for session in sessions:
        recipients.setdefault(session.person_id, session)
    if not recipients:
        raise DomainError(
            gettext("nobody is on duty in %(grids)s in the chosen roles now; nothing was sent")
            % {"grids": "、".join(g.name for g in chosen)},
            field="grids",
            code="nobody_on_duty",
        )
    with transaction.atomic():
        alert = Alert.objects.create(
            kind=kind,
            title=title,
            text=text,
            sent_by=by_user if getattr(by_user, "is_authenticated", False) else None,
            sent_at=now,
            roles=role_list,
            ack_minutes=int(ack_minutes),
        )
        alert.grids.set(grid_ids)
        AlertRecipient.objects.bulk_create(
            [
                AlertRecipient(
                    alert=alert,
                    person=s.person,
                    user=s.person.user,
                    grid_id=s.grid_id,
                    role=s.role,
                    delivered_at=now,
                )
                for s in recipients.values()
            ]
        )
        url = _alert_url(alert)
        for s in recipients.values():
            if s.person.user is not None:
                notify(
                    user=s.person.user,
                    text=_text(alert),
                    url=url,
                    at=now,
                    kind="alert",
                    outbound=True,
                )
    return alert


def acknowledge(
    target: AlertRecipient | Alert, user: Any, at: dt.datetime | None = None
) -> AlertRecipient:
    """The recipient has seen the alert (given the delivery, or the alert: the user's own
    delivery). Acknowledging again changes nothing."""
    if not getattr(user, "is_authenticated", False):
        raise Forbidden(gettext("sign in to acknowledge an alert"))
    with transaction.atomic():
        if isinstance(target, Alert):
            recipient = (
                AlertRecipient.objects.select_for_update(of=("self",))
                .filter(alert=target, user=user)
                .first()
            )
            if recipient is None:
                raise NotFound(gettext("this alert was not sent to you"), field="id")
        else:
            recipient = AlertRecipient.objects.select_for_update(of=("self",)).get(pk=target.pk)
            if recipient.user_id != user.pk and not Actor.of(user).superuser:
                raise Forbidden(gettext("this alert was sent to someone else"))
        if recipient.acknowledged_at is None:
            recipient.acknowledged_at = at or timezone.now()
            recipient.save(update_fields=["acknowledged_at"])
    return recipient


def _leaders_to_tell(grid: Grid) -> list[LeaderPost]:
    """The grid's level-4 leaders (of the grid or its community); else its level-3 leaders."""
    community = grid.community
    posts = list(
        LeaderPost.objects.filter(person__isnull=False, person__user__isnull=False)
        .filter(Q(grid=grid) | Q(community=community) | Q(subdistrict_id=community.subdistrict_id))
        .select_related("person__user")
    )
    for level in (LeaderLevel.LEVEL4, LeaderLevel.LEVEL3):
        found = [p for p in posts if p.level == level]
        if found:
            # the closest to the grid: a post on the grid, else its community, else above
            nearest = min(0 if p.grid_id else 1 if p.community_id else 2 for p in found)
            return [p for p in found if (0 if p.grid_id else 1 if p.community_id else 2) == nearest]
    return []


def chase_alerts(now: dt.datetime | None = None) -> int:
    """Call again those who have not acknowledged by the deadline (once per interval, up to
    the limit) and, the first time, tell their grid's leader(s). Safe to run twice.

    Returns how many messages were sent.
    """
    now = now or timezone.now()
    rules = AlertRules.load()
    interval = dt.timedelta(minutes=rules.recall_minutes)
    sent = 0
    silent = (
        AlertRecipient.objects.filter(acknowledged_at__isnull=True)
        .filter(Q(recalls__lt=rules.max_recalls) | Q(leader_told_at__isnull=True))
        .select_related("alert", "person", "user", "grid__community")
        .order_by("pk")
    )
    for r in silent:
        deadline = r.delivered_at + dt.timedelta(minutes=r.alert.ack_minutes)
        if now < deadline:
            continue
        with transaction.atomic():
            r = (
                AlertRecipient.objects.select_for_update(of=("self",))
                .select_related("alert", "person", "user", "grid__community")
                .get(pk=r.pk)
            )
            if r.acknowledged_at is not None:
                continue
            fields: list[str] = []
            due = r.last_recalled_at is None or now >= r.last_recalled_at + interval
            if r.recalls < rules.max_recalls and due:
                r.recalls += 1
                r.last_recalled_at = now
                fields += ["recalls", "last_recalled_at"]
                if r.user is not None:
                    notify(
                        user=r.user,
                        text=gettext("Called again (%(n)d): please acknowledge. %(text)s")
                        % {"n": r.recalls, "text": _text(r.alert)},
                        url=_alert_url(r.alert),
                        at=now,
                        kind="alert",
                        outbound=True,
                    )
                    sent += 1
            if r.leader_told_at is None:
                r.leader_told_at = now
                fields.append("leader_told_at")
                for post in _leaders_to_tell(r.grid):
                    assert post.person is not None
                    notify(
                        user=post.person.user,
                        text=gettext(
                            "%(name)s (%(role)s, %(grid)s) has not acknowledged"
                            ' %(kind)s "%(title)s" sent at %(at)s'
                        )
                        % {
                            "name": r.person.name,
                            "role": RoleKind(r.role).label,
                            "grid": r.grid.name,
                            "kind": r.alert.get_kind_display(),
                            "title": r.alert.title,
                            "at": timezone.localtime(r.delivered_at).strftime("%H:%M"),
                        },
                        url=_alert_url(r.alert),
                        at=now,
                        kind="alert",
                    )
                    sent += 1
            if fields:
                r.save(update_fields=fields)
    return sent


def recipient_label(r: AlertRecipient) -> str:
    return gettext("alert %(id)s: %(title)s (unacknowledged)") % {
        "id": r.alert_id,
        "title": r.alert.title,
    }


def reassign_alerts(
    *, person: Person, successor: Person, by_user: Any, at: dt.datetime
) -> list[tuple[int, str]]:
    """Move every alert delivery ``person`` has not acknowledged to ``successor`` (hand-over);
    the successor is told. When the successor already has that alert, the person's delivery
    is removed (the move is in the audit log). Returns (delivery id, label) for each."""
    if successor.pk == person.pk:
        raise DomainError(gettext("the successor must be someone else"), field="successor")
    moved: list[tuple[int, str]] = []
    with transaction.atomic():
        open_ones = list(
            AlertRecipient.objects.select_for_update(of=("self",))
            .filter(person=person, acknowledged_at__isnull=True)
            .select_related("alert")
            .order_by("pk")
        )
        for r in open_ones:
            label = recipient_label(r)
            moved.append((r.pk, label))
            record(
                actor=by_user,
                action="alerts.reassign",
                object_type="alert_recipient",
                object_id=r.pk,
                summary=f"{label}: {person.name} → {successor.name}",
                data={"alert": r.alert_id, "from": person.pk, "to": successor.pk},
            )
            if AlertRecipient.objects.filter(alert=r.alert, person=successor).exists():
                r.delete()
                continue
            r.reassign(successor=successor, by_user=by_user, at=at)
            if successor.user is not None:
                notify(
                    user=successor.user,
                    text=gettext("Handed over to you from %(name)s: %(text)s")
                    % {"name": person.name, "text": _text(r.alert)},
                    url=_alert_url(r.alert),
                    at=at,
                    kind="alert",
                )
    return moved
