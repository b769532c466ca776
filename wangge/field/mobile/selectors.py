"""Reads of the handheld app: who I am in the field, and what waits for me.

Cases come from cases.selectors (territory-scoped) and the transition table decides, per case,
whether it waits for this user: the same rule as the centre's to-do page. Linkage calls and
alerts come from their apps' selectors when those apps provide them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from wangge.cases import selectors as case_selectors
from wangge.cases.actors import Actor
from wangge.cases.models import Case, CaseSource, CaseStatus, Category
from wangge.cases.workflow import Transition, allowed_actions
from wangge.field.alerts.selectors import open_for
from wangge.field.linkage.models import LinkageCall
from wangge.field.linkage.selectors import open_calls_for
from wangge.org.maps import grid_collection
from wangge.org.models import Grid
from wangge.org.territory import Territory
from wangge.people.models import GridRole, LeaderPost, Person, RoleKind

# The steps a field worker takes on a dispatched case, and a supervisor's checks.
HANDLING_ACTIONS = ("accept", "feedback")
VERIFY_ACTIONS = ("verify", "verify-report")
# Actions the case page offers on a phone (the rest belong to the centre's pages).
PHONE_ACTIONS = ("accept", "feedback", "return", "request-extension", "verify", "verify-report")
TASK_LIMIT = 100


@dataclass
class Post:
    """One place I work in: a role in a grid, or a leader's post."""

    grid: Grid | None
    role: str
    label: str


@dataclass
class Me:
    person: Person | None
    posts: list[Post] = field(default_factory=list)

    @property
    def grids(self) -> list[Grid]:
        seen: dict[int, Grid] = {}
        for post in self.posts:
            if post.grid is not None:
                seen.setdefault(post.grid.pk, post.grid)
        return list(seen.values())

    @property
    def grid(self) -> Grid | None:
        grids = self.grids
        return grids[0] if grids else None

    @property
    def five_roles(self) -> list[Post]:
        return [p for p in self.posts if p.role in RoleKind.values and p.grid is not None]

    def grids_geojson(self) -> dict[str, Any]:
        return grid_collection(self.grids)

    def centre(self) -> list[float] | None:
        """[lon, lat] of a point inside my first grid (where a report starts without GPS)."""
        grid = self.grid
        if grid is None or grid.shape is None:
            return None
        point = grid.shape.representative_point()
        return [round(point.x, 7), round(point.y, 7)]


def me(user: Any, day: dt.date | None = None) -> Me:
    """The signed-in user's person, roles in grids today and leader posts (with their grid)."""
    day = day or timezone.localdate()
    person = Person.objects.filter(user=user).first() if user.is_authenticated else None
    if person is None:
        return Me(None)
    posts: list[Post] = []
    roles = (
        GridRole.objects.active_on(day)
        .filter(person=person)
        .select_related("grid__community")
        .order_by("start_date", "pk")
    )
    for r in roles:
        posts.append(Post(r.grid, r.role, str(r.get_role_display())))
    leader_posts = LeaderPost.objects.filter(person=person).select_related("grid__community")
    for lp in leader_posts:
        grid = lp.grid
        if grid is None and lp.community_id is not None:
            grid = (
                Grid.objects.filter(community_id=lp.community_id)
                .select_related("community")
                .order_by("code")
                .first()
            )
        posts.append(Post(grid, f"leader:{lp.level}", str(lp.title or lp.get_level_display())))
    return Me(person, posts)


# --- tasks ------------------------------------------------------------------------------------


@dataclass
class CaseTask:
    case: Case
    actions: list[Transition]


@dataclass
class Tasks:
    cases: list[CaseTask] = field(default_factory=list)
    verify: list[CaseTask] = field(default_factory=list)
    linkage: list[LinkageCall] = field(default_factory=list)
    alerts: list[Any] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "cases": len(self.cases),
            "verify": len(self.verify),
            "linkage": len(self.linkage),
            "alerts": len(self.alerts),
        }


def _waiting_for(cases: QuerySet[Case], actor: Actor, wanted: tuple[str, ...]) -> list[CaseTask]:
    """The cases on which the table lets this actor take one of ``wanted`` now, due first."""
    out: list[CaseTask] = []
    ordered = cases.select_related("category", "grid").order_by("step_due_at", "reported_at")
    for case in ordered.iterator(chunk_size=200):
        actions = [t for t in allowed_actions(case, actor) if t.action in wanted]
        if actions:
            out.append(CaseTask(case, actions))
            if len(out) >= TASK_LIMIT:
                break
    return out


def case_tasks(territory: Territory, actor: Actor) -> tuple[list[CaseTask], list[CaseTask]]:
    """(cases to handle, cases to verify) for a field worker."""
    if actor.person is None:
        return [], []
    visible = case_selectors.cases_visible(territory)
    handling = visible.filter(status__in=(CaseStatus.DISPATCHED, CaseStatus.HANDLING))
    to_verify = visible.filter(
        Q(status=CaseStatus.HANDLED)
        | Q(
            status=CaseStatus.REPORTED,
            verified_report_at__isnull=True,
            source__in=[s for s in CaseSource.values if CaseSource.needs_verification(s)],
        )
    )
    return (
        _waiting_for(handling, actor, HANDLING_ACTIONS),
        _waiting_for(to_verify, actor, VERIFY_ACTIONS),
    )


def linkage_calls(person: Person | None) -> list[LinkageCall]:
    """Open linkage calls for me."""
    if person is None:
        return []
    return list(open_calls_for(person)[:TASK_LIMIT])


def my_call(user: Any, person: Person | None, pk: int) -> LinkageCall | None:
    """A linkage call addressed to me, open or not (None: no such call for me)."""
    mine = Q(user_id=user.pk) | Q(person=person) if person is not None else Q(user_id=user.pk)
    return LinkageCall.objects.select_related("case", "grid").filter(mine, pk=pk).first()


def call_steps(call: LinkageCall) -> dict[str, bool]:
    """Which steps of a call are still to take (acknowledge, arrive, handle)."""
    closed = call.handled_at is not None or call.cancelled_at is not None
    return {
        "ack": not closed and call.acknowledged_at is None,
        "arrive": not closed and call.arrived_at is None,
        "handle": not closed,
    }


def open_alerts(person: Person | None) -> list[Any]:
    """Alerts waiting for my acknowledgement."""
    if person is None:
        return []
    return list(open_for(person)[:TASK_LIMIT])


def tasks(territory: Territory, actor: Actor) -> Tasks:
    cases, verify = case_tasks(territory, actor)
    return Tasks(
        cases=cases,
        verify=verify,
        linkage=linkage_calls(actor.person),
        alerts=open_alerts(actor.person),
    )


def phone_actions(case: Case, actor: Actor) -> list[Transition]:
    """The actions the case page offers on a phone, as the table allows them now."""
    return [
        t
        for t in allowed_actions(case, actor)
        if t.action in PHONE_ACTIONS
        and (
            t.action != "verify-report"
            or (CaseSource.needs_verification(case.source) and case.verified_report_at is None)
        )
    ]


# --- how the lists show items -----------------------------------------------------------------


def _first(obj: Any, *names: str) -> Any:
    for name in names:
        value = getattr(obj, name, None)
        if value not in (None, ""):
            return value() if callable(value) else value
    return None


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.datetime) else None


def case_item(task: CaseTask) -> dict[str, Any]:
    case = task.case
    return {
        "id": case.pk,
        "number": case.number,
        "status": case.status,
        "status_label": str(case.get_status_display()),
        "category": case.category.name if case.category else "",
        "description": case.description[:200],
        "address": case.address,
        "grid": case.grid.name,
        "step_due_at": _iso(case.step_due_at),
        "overdue": bool(case.step_due_at and case.step_due_at < timezone.now()),
        "actions": [t.action for t in task.actions],
        "url": reverse("mobile:case", args=[case.pk]),
    }


def _related_case(obj: Any) -> Case | None:
    case = getattr(obj, "case", None)
    return case if isinstance(case, Case) else None


def call_item(call: Any) -> dict[str, Any]:
    """A linkage call for a list (linkage.models.LinkageCall)."""
    case = _related_case(call)
    category = case.category.name if case is not None and case.category else ""
    return {
        "id": call.pk,
        "text": category or str(call),
        "case": case.number if case else None,
        "description": case.description[:200] if case else "",
        "address": case.address if case else "",
        "state": _first(call, "get_status_display", "status"),
        "at": _iso(_first(call, "called_at", "created_at")),
        "url": _url("mobile:call", call.pk),
    }


def alert_item(delivery: Any) -> dict[str, Any]:
    """An alert delivered to me (alerts.models.AlertRecipient) for a list: the alert's id,
    which its acknowledge endpoint takes."""
    alert = getattr(delivery, "alert", delivery)
    title = _first(alert, "title") or ""
    return {
        "id": alert.pk,
        "title": str(title),
        "text": str(_first(alert, "text") or alert),
        "kind": _first(alert, "get_kind_display", "kind"),
        "at": _iso(_first(delivery, "delivered_at") or _first(alert, "sent_at", "created_at")),
        "url": _url("mobile:alert", alert.pk),
    }


def _url(name: str, pk: int) -> str | None:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


def tasks_out(found: Tasks) -> dict[str, Any]:
    return {
        "counts": found.counts,
        "cases": [case_item(t) for t in found.cases],
        "verify": [case_item(t) for t in found.verify],
        "linkage": [call_item(c) for c in found.linkage],
        "alerts": [alert_item(a) for a in found.alerts],
    }


# --- the report form's category picker --------------------------------------------------------


def _letters(parts: list[str]) -> str:
    return re.sub(r"[^a-z0-9]", "", "".join(parts).lower())


_picker: dict[tuple[Any, ...], list[dict[str, str]]] = {}


def picker_categories() -> list[dict[str, str]]:
    """Every category in use with its pinyin and initials, for searching while offline (the
    report page embeds it; online, the page asks GET /api/v1/categories?q=).

    Worked out again only when a category changes (pinyin for a few hundred names is slow).
    """
    active = Category.objects.filter(active=True)
    signature = tuple(active.aggregate(n=Count("pk"), last=Max("updated_at")).values())
    cached = _picker.get(signature)
    if cached is None:
        cached = _picker_rows(active.order_by("kind", "code"))
        _picker.clear()
        _picker[signature] = cached
    return cached


def _picker_rows(categories: QuerySet[Category]) -> list[dict[str, str]]:
    from pypinyin import Style, lazy_pinyin

    out = []
    for c in categories:
        words = [c.name, *(k for k in c.keywords.replace("，", ",").split(",") if k.strip())]
        out.append(
            {
                "code": c.code,
                "name": c.name,
                "major_name": c.major_name,
                "keywords": c.keywords,
                "pinyin": " ".join(_letters(lazy_pinyin(w)) for w in words),
                "initials": " ".join(
                    _letters(lazy_pinyin(w, style=Style.FIRST_LETTER)) for w in words
                ),
            }
        )
    return out
