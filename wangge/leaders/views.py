"""The leader's page, the meeting and inspection forms, a meeting with its follow-ups."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.forms import formset_factory
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wangge.cases.models import OPEN_STATUSES, Case, CaseStatus
from wangge.cases.selectors import cases_visible
from wangge.core.errors import DomainError, Forbidden, NotFound
from wangge.core.xlsx import DATE, DATETIME, Column, Sheet, workbook_response
from wangge.leaders import selectors, services
from wangge.leaders.forms import DoneForm, FollowUpForm, InspectionForm, MeetingForm
from wangge.leaders.models import DEDUCTED_FINDINGS, CoordinationMeeting, Finding, FollowUp
from wangge.org.territory import request_territory
from wangge.people.models import GridRole, LeaderPost, Person, RoleKind
from wangge.people.selectors import persons_visible

LIST_LIMIT = 20
FOLLOW_UP_ROWS = 4

FollowUpFormSet = formset_factory(FollowUpForm, extra=FOLLOW_UP_ROWS)


def _refuse_non_readers(request: HttpRequest) -> None:
    if not selectors.may_read(request.user):
        raise PermissionDenied(
            _("The leaders' pages are for grid leaders, administrators and the centre's operators.")
        )


def _pick_post(request: HttpRequest, posts: QuerySet[LeaderPost]) -> LeaderPost | None:
    """The post of ``?post=ID`` among those the user may open; else the user's own first
    post; else the first one offered."""
    raw = request.GET.get("post") or request.POST.get("post") or ""
    if raw:
        if not raw.isdigit():
            raise Http404("no such post")
        post = posts.filter(pk=int(raw)).first()
        if post is None:
            raise Http404("no such post among yours")
        return post
    own = selectors.posts_held(selectors.person_of(request.user)).first()
    return own or posts.first()


def _cases_link(post: LeaderPost) -> str:
    url = reverse("cases:list")
    if post.community_id:
        return f"{url}?community={post.community_id}"
    if post.grid_id:
        return f"{url}?grid={post.grid_id}"
    return url


def _post_cases(post: LeaderPost, now: Any) -> tuple[QuerySet[Case], ...]:
    """The open cases of the post's territory, those overdue (soonest due first) and the key
    ones (newest first)."""
    open_cases = cases_visible(selectors.post_territory(post)).filter(status__in=OPEN_STATUSES)
    overdue = open_cases.filter(
        status__in=[CaseStatus.DISPATCHED, CaseStatus.HANDLING], handling_due_at__lt=now
    ).order_by("handling_due_at", "id")
    key = open_cases.filter(is_key=True).order_by("-reported_at", "-id")
    return open_cases, overdue, key


def _open_follow_ups(post: LeaderPost) -> list[FollowUp]:
    """The open follow-ups of the post's holder (selectors.follow_ups_of), each with
    ``overdue``; none for a vacant post."""
    if not post.person:
        return []
    return selectors.with_overdue(selectors.follow_ups_of(person=post.person, status="open"))


@login_required
@require_GET
def leader_page(request: HttpRequest) -> HttpResponse:
    """One leader post's page: the open, overdue and key cases of its territory, the
    holder's open follow-ups, recent meetings and inspections."""
    _refuse_non_readers(request)
    posts = selectors.readable_posts(request.user, request_territory(request))
    post = _pick_post(request, posts)
    if post is None:
        return render(request, "leaders/page.html", {"post": None, "posts": []})
    now = timezone.now()
    open_cases, overdue, key = _post_cases(post, now)
    follow_ups = _open_follow_ups(post)
    return render(
        request,
        "leaders/page.html",
        {
            "post": post,
            "posts": list(posts),
            "may_act": selectors.acting_posts(request.user).filter(pk=post.pk).exists(),
            "open_count": open_cases.count(),
            "cases_link": _cases_link(post),
            "overdue": overdue[:LIST_LIMIT],
            "overdue_count": overdue.count(),
            "key": key[:LIST_LIMIT],
            "key_count": key.count(),
            "follow_ups": follow_ups,
            "follow_ups_overdue": sum(1 for f in follow_ups if getattr(f, "overdue", False)),
            "meetings": post.meetings.order_by("-at", "-id")[:LIST_LIMIT],
            "inspections": post.inspections.select_related("person", "grid").order_by("-at", "-id")[
                :LIST_LIMIT
            ],
            "now": now,
        },
    )


def _follow_ups_sheet(post: LeaderPost) -> Sheet:
    follow_ups = _open_follow_ups(post)
    columns = [
        Column(_("Action"), width=40),
        Column(_("Owner"), width=12),
        Column(_("Due"), number_format=DATE, width=12),
        Column(_("Overdue"), note=_("Open past its due date (the day of the export).")),
        Column(_("Meeting"), width=30),
        Column(_("Meeting date"), number_format=DATETIME, width=18),
    ]
    rows = [
        [
            f.action,
            f.owner.name,
            f.due_date,
            _("yes") if getattr(f, "overdue", False) else "",
            f.meeting.topic,
            f.meeting.at,
        ]
        for f in follow_ups
    ]
    return Sheet(_("Open follow-ups"), columns, rows, heading=str(post))


def _inspections_sheet(post: LeaderPost) -> Sheet:
    deducted = ", ".join(str(Finding(f).label) for f in DEDUCTED_FINDINGS)
    columns = [
        Column(_("At"), number_format=DATETIME, width=18),
        Column(_("Person"), width=12),
        Column(_("Role"), width=14),
        Column(_("Grid"), width=22),
        Column(_("Place"), width=20),
        Column(_("Finding"), width=14),
        Column(
            _("Deducted"),
            note=_("The finding counts into the person's monthly deductions: %(findings)s.")
            % {"findings": deducted},
        ),
        Column(_("Note"), width=40),
    ]
    inspections = post.inspections.select_related("person", "grid").order_by("-at", "-id")
    rows = (
        [
            i.at,
            i.person.name,
            i.get_role_display(),
            i.grid.name,
            i.place,
            i.get_finding_display(),
            _("yes") if i.is_deducted else "",
            i.note,
        ]
        for i in inspections
    )
    return Sheet(_("Inspections"), columns, rows, heading=str(post))


def _cases_sheet(title: str, cases: QuerySet[Case], due_note: str) -> Sheet:
    """``cases`` come from cases_visible, which brings each case's grid and category."""
    columns = [
        Column(_("Case"), width=20),
        Column(_("Grid"), width=22),
        Column(_("Category"), width=18),
        Column(_("Status"), width=12),
        Column(_("Reported"), number_format=DATETIME, width=18),
        Column(_("Due"), note=due_note, number_format=DATETIME, width=18),
    ]
    rows = (
        [
            c.number,
            c.grid.name,
            c.category.name if c.category else "",
            c.get_status_display(),
            c.reported_at,
            c.handling_due_at,
        ]
        for c in cases
    )
    return Sheet(title, columns, rows)


@login_required
@require_GET
def leader_export(request: HttpRequest) -> HttpResponse:
    """The leader page's tables (overdue and key cases, open follow-ups, inspections), every
    row, as an Excel file; the same post (``?post=``) and the same permissions as the page."""
    _refuse_non_readers(request)
    posts = selectors.readable_posts(request.user, request_territory(request))
    post = _pick_post(request, posts)
    if post is None:
        raise Http404(_("No leader post to show: you hold none, and none is in your territory."))
    _open, overdue, key = _post_cases(post, timezone.now())
    due = _("The handling due time; overdue: dispatched or being handled and past it.")
    sheets = [
        _cases_sheet(_("Overdue"), overdue, due),
        _cases_sheet(_("Key cases"), key, due),
        _follow_ups_sheet(post),
        _inspections_sheet(post),
    ]
    stamp = timezone.localtime().strftime("%Y%m%d")
    return workbook_response(f"leader-{post.pk}-{stamp}.xlsx", sheets)


def _meeting(request: HttpRequest, pk: int) -> tuple[CoordinationMeeting, list[FollowUp]]:
    """The meeting (404 unless the user may read it) and its follow-ups, soonest due first,
    each with ``overdue``."""
    try:
        meeting = selectors.meeting_for_user(request.user, request_territory(request), pk)
    except NotFound as exc:
        raise Http404(exc.message) from None
    follow_ups = selectors.with_overdue(
        meeting.follow_ups.select_related("owner", "done_by").order_by("due_date", "id")
    )
    return meeting, follow_ups


def _people(request: HttpRequest) -> QuerySet[Person]:
    """People of the user's territory still working (an administrator: everybody)."""
    return persons_visible(request_territory(request)).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate())
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    posts = selectors.acting_posts(request.user)
    if not posts.exists():
        raise PermissionDenied(_("Only grid leaders and administrators record meetings."))
    people = _people(request)
    initial: dict[str, Any] = {"at": timezone.localtime().replace(second=0, microsecond=0)}
    if request.GET.get("post", "").isdigit():
        initial["post"] = int(request.GET["post"])
    form = MeetingForm(request.POST or None, posts=posts, people=people, initial=initial)
    rows = FollowUpFormSet(request.POST or None, prefix="fu", form_kwargs={"people": people})
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        data = form.cleaned_data
        follow_ups = [
            services.FollowUpInput(
                r.cleaned_data.get("action") or "",
                r.cleaned_data.get("owner"),
                r.cleaned_data.get("due_date"),
            )
            for r in rows
            if not r.is_blank
        ]
        try:
            meeting = services.meeting_record(
                by_user=request.user,
                leader=data["post"],
                at=data["at"],
                topic=data["topic"],
                place=data["place"],
                attendees=list(data["attendees"]),
                other_attendees=data["other_attendees"],
                decisions=data["decisions"],
                minutes=data["minutes"],
                follow_ups=follow_ups,
            )
        except DomainError as e:
            field = e.field or ""
            if field in form.fields:
                form.add_error(field, e.message)
            else:
                form.add_error(None, e.message)
        else:
            messages.success(request, _("Meeting recorded."))
            return redirect("leaders:meeting", pk=meeting.pk)
    return render(
        request,
        "leaders/meeting_new.html",
        {"form": form, "rows": rows},
        # A POST that reaches here was refused (a valid one redirects).
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, follow_ups = _meeting(request, pk)
    for fu in follow_ups:
        fu.may_close = services.may_close_follow_up(request.user, fu)  # type: ignore[attr-defined]
    return render(
        request,
        "leaders/meeting.html",
        {
            "meeting": meeting,
            "attendees": meeting.attendees.all(),
            "follow_ups": follow_ups,
            "done_form": DoneForm(),
        },
    )


@login_required
@require_GET
def meeting_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's follow-up actions, every one with its status, as an Excel file."""
    meeting, follow_ups = _meeting(request, pk)
    columns = [
        Column(_("Action"), width=40),
        Column(_("Owner"), width=12),
        Column(_("Due"), number_format=DATE, width=12),
        Column(_("Status"), width=10),
        Column(_("Overdue"), note=_("Open past its due date (the day of the export).")),
        Column(_("Done at"), number_format=DATETIME, width=18),
        Column(_("What was done"), width=40),
    ]
    rows = [
        [
            f.action,
            f.owner.name,
            f.due_date,
            f.get_status_display(),
            _("yes") if getattr(f, "overdue", False) else "",
            f.done_at,
            f.done_note,
        ]
        for f in follow_ups
    ]
    heading = f"{meeting.topic} · {timezone.localtime(meeting.at):%Y-%m-%d %H:%M}"
    sheet = Sheet(_("Follow-up actions"), columns, rows, heading=heading)
    return workbook_response(f"meeting-{meeting.pk}.xlsx", [sheet])


@login_required
@require_POST
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    fu = FollowUp.objects.select_related("meeting__leader").filter(pk=pk).first()
    if fu is None:
        raise Http404("no such follow-up")
    form = DoneForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.follow_up_done(fu, request.user, note)
    except Forbidden as e:
        raise PermissionDenied(e.message) from None
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Marked done."))
    nxt = request.POST.get("next") or ""
    if nxt.startswith("/") and not nxt.startswith("//"):
        return redirect(nxt)
    return redirect("leaders:meeting", pk=fu.meeting_id)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_new(request: HttpRequest) -> HttpResponse:
    posts = selectors.acting_posts(request.user)
    if not posts.exists():
        raise PermissionDenied(_("Only grid leaders and administrators record inspections."))
    today = timezone.localdate()
    # The grid staff of the territory today, supervisors excepted (the service says why).
    current = GridRole.objects.active_on(today).exclude(role=RoleKind.SUPERVISOR)
    people = (
        _people(request)
        .filter(pk__in=current.values("person_id"))
        .prefetch_related(
            Prefetch(
                "roles",
                queryset=current.select_related("grid").order_by("start_date", "id"),
                to_attr="current_roles",
            )
        )
    )
    initial: dict[str, Any] = {"at": timezone.localtime().replace(second=0, microsecond=0)}
    if request.GET.get("post", "").isdigit():
        initial["post"] = int(request.GET["post"])
    if request.GET.get("person", "").isdigit():
        initial["person"] = int(request.GET["person"])
    form = InspectionForm(request.POST or None, posts=posts, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.inspection_record(
                by_user=request.user,
                person=data["person"],
                at=data["at"],
                finding=data["finding"],
                post=data["post"],
                note=data["note"],
                place=data["place"],
                lon=data["lon"],
                lat=data["lat"],
            )
        except DomainError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(
                request,
                _("Inspection of %(name)s recorded.") % {"name": inspection.person.name},
            )
            url = reverse("leaders:page")
            if inspection.inspector_post_id:
                url += f"?post={inspection.inspector_post_id}"
            return redirect(url)
    return render(
        request, "leaders/inspection_new.html", {"form": form}, status=400 if form.errors else 200
    )
