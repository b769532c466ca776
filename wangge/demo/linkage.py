"""Demo linkage calls and one emergency alert, made through the linkage and alerts services.

Run after the cases (and duty) demo: for some five-role reports of the last weeks whose problem
is another role's duty, the on-duty person of that role is called (``call_for_case`` at the
report's time) and answers like real staff do: most acknowledge within minutes, arrive and
handle; a few never answer. When nobody of the role was on duty then, the role's holder is
signed on for a few hours around the report with the duty services (so the call reaches them,
not the leader) — unless they hold a session already.

Then one emergency alert (heavy rain) goes to everyone on duty in two grids; some acknowledge,
the silent ones are called again (``chase_alerts``) and their leaders told.

Safe to run twice: when the demo alert exists, nothing is made again.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from wangge.cases.models import Case, CaseSource, CaseStatus
from wangge.core.errors import DomainError
from wangge.field.alerts import services as alerts
from wangge.field.alerts.models import Alert, AlertKind, AlertRules
from wangge.field.duty.selectors import on_duty
from wangge.field.duty.services import sign_off, sign_on
from wangge.field.linkage import services as linkage
from wangge.field.linkage.models import LinkageCall
from wangge.org.models import Grid
from wangge.people.groups import OPERATOR_DISPATCH, OPERATOR_INTAKE
from wangge.people.models import GridRole, Person

ALERT_TITLE = "暴雨红色预警：立即巡查低洼路段和地下通道"
ALERT_TEXT = (
    "市气象台发布暴雨红色预警。请在岗五员立即巡查辖区低洼路段、地下通道和在建工地，"
    "发现积水、井盖缺失、树木倒伏立即上报并设置警示，确认收到后回复。"
)
CASES_WANTED = 40
LOOKBACK_DAYS = 30
UNANSWERED = 0.1  # share of calls nobody answers
LEADER_SHARE = 0.1  # share of cases left to the grid leader (nobody of the role on duty)


def _hold_session(
    person: Person, grid: Grid, role: str, start: dt.datetime, end: dt.datetime
) -> bool:
    """Sign the person on at ``start`` and off at ``end`` (through the duty services); False
    when they have a session open already (the duty demo's), which is left alone."""
    try:
        sign_on(
            person=person,
            client_id=f"demo-linkage-{person.pk}-{int(start.timestamp())}",
            grid=grid,
            role=role,
            at=start,
        )
    except DomainError:
        return False
    sign_off(person=person, at=end)
    return True


def _ensure_on_duty(case: Case, role: str, now: dt.datetime) -> None:
    """Someone of the role is on duty in the case's grid when it was reported."""
    if on_duty(case.grid_id, role, at=case.reported_at).exists():
        return
    day = timezone.localdate(case.reported_at)
    holder = (
        GridRole.objects.active_on(day)
        .filter(grid_id=case.grid_id, role=role, person__end_date__isnull=True)
        .select_related("person", "grid")
        .order_by("start_date", "pk")
        .first()
    )
    if holder is None:
        return  # the grid leader is called: that happens too
    start = case.reported_at - dt.timedelta(hours=2)
    end = min(case.reported_at + dt.timedelta(hours=4), now - dt.timedelta(minutes=1))
    _hold_session(holder.person, holder.grid, role, start, end)


def _answer(call: LinkageCall, r: random.Random, now: dt.datetime, admin: Any) -> str:
    """Take the called person's steps at plausible minutes (never later than now)."""
    user = call.user or admin
    if r.random() < UNANSWERED:
        return "unanswered"
    ack = call.called_at + dt.timedelta(minutes=r.triangular(0.5, 15, 3))
    if ack >= now:
        return "unanswered"
    linkage.acknowledge(call, user, at=ack)
    arrive_at = ack + dt.timedelta(minutes=r.triangular(3, 40, 10))
    if arrive_at >= now or r.random() < 0.08:
        return "acknowledged"
    case = call.case
    # Within a few dozen metres of the case (1e-4° ≈ 10 m).
    lon = float(case.lon) + r.uniform(-3e-4, 3e-4)
    lat = float(case.lat) + r.uniform(-3e-4, 3e-4)
    linkage.arrive(call, user, lon, lat, at=arrive_at)
    handled = arrive_at + dt.timedelta(minutes=r.triangular(5, 90, 20))
    if handled >= now:
        return "arrived"
    linkage.handle(
        call, user, r.choice(["已到场处置完毕", "已清理", "已劝离", "已协助处置"]), at=handled
    )
    return "handled"


def _linkage_calls(now: dt.datetime, r: random.Random, admin: Any) -> dict[str, int]:
    counts = {
        "cases": 0,
        "calls": 0,
        "handled": 0,
        "arrived": 0,
        "acknowledged": 0,
        "unanswered": 0,
    }
    recent = (
        Case.objects.filter(
            source__in=[CaseSource.FIVE_ROLES, CaseSource.SUPERVISOR],
            reporter__isnull=False,
            category__isnull=False,
            reported_at__gte=now - dt.timedelta(days=LOOKBACK_DAYS),
            reported_at__lte=now - dt.timedelta(minutes=30),
        )
        .exclude(status=CaseStatus.SELF_HANDLED)
        .exclude(linkage_calls__isnull=False)
        .select_related("category", "grid", "grid__community__subdistrict")
        .order_by("reported_at", "pk")
    )
    for case in recent:
        if counts["cases"] >= CASES_WANTED:
            break
        own = linkage.reporter_roles(case)
        if own is None:
            continue
        roles = [role for role in linkage.responsible_roles(case.category) if role not in own]
        if not roles:
            continue
        if r.random() < LEADER_SHARE:
            pass  # nobody of the role on duty: the grid's level-3 leader is called
        else:
            for role in roles:
                _ensure_on_duty(case, role, now)
        called_at = case.reported_at + dt.timedelta(seconds=r.randint(5, 90))
        calls = linkage.call_for_case(case, now=called_at)
        if not calls:
            continue
        counts["cases"] += 1
        for call in calls:
            counts["calls"] += 1
            counts[_answer(call, r, now, admin)] += 1
    return counts


def _alert_time(now: dt.datetime) -> dt.datetime:
    """10:00 today (or yesterday, before 11:00): a working morning."""
    local = timezone.localtime(now)
    day = local.date() if local.hour >= 11 else local.date() - dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=local.tzinfo)


def _emergency_alert(now: dt.datetime, r: random.Random) -> tuple[Alert | None, int, int]:
    sender = (
        User.objects.filter(
            groups__name__in=[OPERATOR_DISPATCH, OPERATOR_INTAKE], person__center__isnull=False
        )
        .order_by("pk")
        .first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )
    if sender is None:
        return None, 0, 0
    at = _alert_time(now)
    day = timezone.localdate(at)
    grids = list(
        Grid.objects.annotate(
            staff=Count(
                "roles",
                filter=Q(roles__start_date__lte=day)
                & (Q(roles__end_date__isnull=True) | Q(roles__end_date__gte=day)),
            )
        )
        .filter(staff__gt=0)
        .order_by("-staff", "code")[:2]
    )
    for grid in grids:
        for holder in GridRole.objects.active_on(day).filter(grid=grid).select_related("person"):
            if holder.person.end_date is not None:
                continue
            if on_duty(grid, holder.role, at=at).filter(pk=holder.person_id).exists():
                continue
            end = min(at + dt.timedelta(hours=6), now - dt.timedelta(minutes=1))
            _hold_session(holder.person, grid, holder.role, at - dt.timedelta(hours=1), end)
    try:
        alert = alerts.send_alert(
            by_user=sender,
            kind=AlertKind.EMERGENCY,
            title=ALERT_TITLE,
            text=ALERT_TEXT,
            grids=grids,
            now=at,
        )
    except DomainError:
        return None, 0, 0
    acked = 0
    for recipient in alert.recipients.select_related("user").order_by("pk"):
        if recipient.user is not None and r.random() < 0.65:
            alerts.acknowledge(
                recipient, recipient.user, at=at + dt.timedelta(minutes=r.triangular(0.5, 9, 2))
            )
            acked += 1
    rules = AlertRules.load()
    for k in range(rules.max_recalls):
        moment = at + dt.timedelta(minutes=alert.ack_minutes + k * rules.recall_minutes)
        if moment <= now:
            alerts.chase_alerts(now=moment)
    return alert, alert.recipients.count(), acked


def build_linkage(now: dt.datetime) -> str:
    """Make the demo's linkage calls and emergency alert; a one-line summary."""
    started = time.monotonic()
    # The receiver calls only for reports younger than a day; older calls are this demo's.
    if (
        Alert.objects.filter(title=ALERT_TITLE).exists()
        or LinkageCall.objects.filter(case__reported_at__lt=now - dt.timedelta(days=1)).exists()
    ):
        return f"Linkage: already built ({LinkageCall.objects.count()} calls)."
    r = random.Random("demo-linkage")
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    # The default outbound channel logs every message: some hundred lines nobody needs here.
    outbound = logging.getLogger("wangge.outbound")
    level = outbound.level
    outbound.setLevel(logging.WARNING)
    try:
        with transaction.atomic():
            counts = _linkage_calls(now, r, admin)
            alert, sent, acked = _emergency_alert(now, r)
    finally:
        outbound.setLevel(level)
    alert_line = (
        f"an emergency alert to {sent} people on duty in 2 grids ({acked} acknowledged)"
        if alert is not None
        else "no alert (nobody on duty)"
    )
    return (
        f"Linkage: {counts['calls']} calls for {counts['cases']} cases ({counts['handled']}"
        f" handled, {counts['arrived']} arrived, {counts['acknowledged']} acknowledged,"
        f" {counts['unanswered']} unanswered); {alert_line}; {time.monotonic() - started:.1f} s."
    )
