"""The case pages. Each view parses a form, calls one service or selector, and renders.

Every read goes through ``cases_visible(request.territory)`` (a case outside the user's
territory is a 404, not a 403, so its existence does not leak); every change goes through
``services.report`` or ``services.act``. A DomainError is shown next to the field it names, a
Forbidden is a 403, a Conflict reloads the case with a note.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from wangge.cases import selectors, services
from wangge.cases.actors import Actor
from wangge.cases.forms import (
    ActionForm,
    CaseFilterForm,
    ReportForm,
    action_form_class,
    search_categories,
)
from wangge.cases.models import OPEN_STATUSES, Case, CaseSource, CaseStatus, PhotoKind
from wangge.cases.tiers import FACTS, propose
from wangge.cases.workflow import TRANSITIONS, Transition, allowed_actions
from wangge.core.errors import Conflict, DomainError, Forbidden, NotFound
from wangge.org.maps import grid_collection
from wangge.org.selectors import grids_visible
from wangge.org.territory import request_territory

CASES_PER_PAGE = 25
QUEUE_PREVIEW = 10
MAP_LIMIT = 3000  # open cases drawn on the live map; more would make the map unreadable anyway
TASK_LIST_LIMIT = 200

# The centre's queues, in the order of the eight steps.
QUEUE_LABELS = {
    "to_verify": gettext_lazy("To verify on site"),
    "to_file": gettext_lazy("To file"),
    "to_dispatch": gettext_lazy("To dispatch"),
    "overdue": gettext_lazy("Overdue"),
    "late": gettext_lazy("A step past its time limit"),
    "extensions": gettext_lazy("Extension requests"),
    "to_close": gettext_lazy("To verify and close"),
    "to_evaluate": gettext_lazy("To evaluate"),
    "suspended": gettext_lazy("Suspended"),
}

# Actions that are options on a case rather than the step it waits for: having them does not put
# a case on someone's to-do list (else every open case would be on every dispatcher's list).
OPTIONAL_ACTIONS = frozenset(
    {
        "return",
        "suspend",
        "request-extension",
        "set-tier",
        "mark-key",
        "instruct",
        "order-oversight",
        "reply-oversight",
        "close-oversight",
        "record-meeting",
        "assess",
    }
)
EXTENSION_DECISIONS = frozenset({"approve-extension", "refuse-extension"})
OVERSIGHT_REPLIES = frozenset({"reply-oversight", "close-oversight"})


def _case_or_404(request: HttpRequest, pk: int) -> Case:
    try:
        return selectors.case_get(request_territory(request), pk)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _htmx_target(request: HttpRequest) -> str | None:
    htmx = getattr(request, "htmx", None)
    return htmx.target if htmx else None


# --- report -----------------------------------------------------------------------------------


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    territory = request_territory(request)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.report(
                actor_user=request.user, photos=form.cleaned_data["photos"], **form.report_kwargs()
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Case %(number)s reported.") % {"number": case.number})
            if selectors.cases_visible(territory).filter(pk=case.pk).exists():
                return redirect("cases:detail", pk=case.pk)
            # Reported in a grid outside the reporter's territory: recorded, but not theirs to see.
            return redirect("cases:list")
    return render(
        request,
        "cases/new.html",
        {"form": form, "grids_geojson": grid_collection(grids_visible(territory))},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def category_options(request: HttpRequest) -> HttpResponse:
    """The category select's options for a few typed characters (htmx swaps them in)."""
    q = (request.GET.get("q") or request.GET.get("category_q") or "").strip()
    return render(
        request,
        "cases/_category_options.html",
        {
            "categories": search_categories(q),
            "q": q,
        },
    )


# --- list and export --------------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[CaseFilterForm, QuerySet[Case]]:
    territory = request_territory(request)
    form = CaseFilterForm(request.GET or None, territory=territory)
    return form, form.apply(selectors.cases_visible(territory))


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    form, cases = _filtered(request)
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "now": timezone.now()}
    # htmx asks for the table alone when a filter changes; a plain request gets the whole page.
    if _htmx_target(request) == "case-table":
        return render(request, "cases/_case_table.html", context)
    return render(request, "cases/list.html", context)


OVERDUE_COLUMN = gettext_lazy("Overdue")
EXPORT_COLUMNS = [
    gettext_lazy("Case number"),
    gettext_lazy("Reported at"),
    gettext_lazy("Status"),
    gettext_lazy("Source"),
    gettext_lazy("Category"),
    gettext_lazy("Description"),
    gettext_lazy("Address"),
    gettext_lazy("Community"),
    gettext_lazy("Grid"),
    gettext_lazy("Urgency"),
    gettext_lazy("Tier"),
    gettext_lazy("Handling unit"),
    gettext_lazy("Handling due at"),
    OVERDUE_COLUMN,
    gettext_lazy("Key case"),
    gettext_lazy("Reworks"),
    gettext_lazy("Closed at"),
]


def _local(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _export_rows(cases: QuerySet[Case]) -> Iterator[list[Any]]:
    now = timezone.now()
    yes, no = _("yes"), _("no")
    for case in cases.iterator(chunk_size=1000):
        yield [
            case.number,
            _local(case.reported_at),
            case.get_status_display(),
            case.get_source_display(),
            case.category.name if case.category else "",
            case.description,
            case.address,
            case.community.name,
            case.grid.name,
            case.get_urgency_display(),
            case.tier or "",
            case.handling_unit.name if case.handling_unit else "",
            _local(case.handling_due_at),
            yes if case.overdue_at(now) else no,
            yes if case.is_key else no,
            case.rework_count,
            _local(case.closed_at),
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@require_GET
def case_export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """The filtered list as CSV (streamed) or Excel; the same filters as the page."""
    _form, cases = _filtered(request)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    header = [str(c) for c in EXPORT_COLUMNS]
    if fmt == "csv":
        writer = csv.writer(_Echo())
        # A BOM first, so that Excel opens the Chinese text as UTF-8.
        lines = (writer.writerow(row) for row in [header, *_export_rows(cases)])
        response = StreamingHttpResponse(_with_bom(lines), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="cases-{stamp}.csv"'
        return response
    if fmt == "xlsx":
        from wangge.core.xlsx import Column, Sheet, workbook_response

        notes = {
            str(OVERDUE_COLUMN): _(
                "Dispatched or being handled, past the handling due time at the time of the export."
            )
        }
        columns = [Column(title, note=notes.get(title, "")) for title in header]
        return workbook_response(
            f"cases-{stamp}.xlsx", [Sheet(_("Cases"), columns, _export_rows(cases))]
        )
    raise Http404("unknown export format")


def _with_bom(lines: Iterable[str]) -> Iterator[str]:
    yield "\ufeff"
    yield from lines


# --- queues and to-do -------------------------------------------------------------------------


@login_required
def case_queues(request: HttpRequest) -> HttpResponse:
    queues = []
    for key, cases in selectors.queues(request_territory(request)).items():
        queues.append(
            {
                "key": key,
                "label": QUEUE_LABELS.get(key, key),
                "count": cases.count(),
                "alarm": key in ("overdue", "late"),  # late work is shown in red
                "cases": list(cases.order_by("step_due_at", "reported_at")[:QUEUE_PREVIEW]),
            }
        )
    return render(
        request,
        "cases/queues.html",
        {"queues": queues, "queues_total": sum(q["count"] for q in queues)},
    )


def _offered(case: Case, actor: Actor) -> list[Transition]:
    """The actions the table allows this actor now, minus those with nothing to act on.

    The table allows deciding an extension whenever a case is being handled, answering an
    oversight order whenever a case is open, and verifying a report whenever one is new; the
    service then refuses when no request or order waits or the report needs no check. Not
    offering them spares the user a button that only errors.
    """
    allowed = allowed_actions(case, actor)
    open_orders = any(t.action in OVERSIGHT_REPLIES for t in allowed) and (
        case.oversights.filter(closed_at__isnull=True).exists()
    )
    return [
        t
        for t in allowed
        if (t.action not in EXTENSION_DECISIONS or case.pending_extension_hours)
        and (t.action not in OVERSIGHT_REPLIES or open_orders)
        and (
            t.action != "verify-report"
            or (CaseSource.needs_verification(case.source) and case.verified_report_at is None)
        )
    ]


def _todo_actions(case: Case, actor: Actor) -> list[Transition]:
    """The steps this case waits for from this actor (options such as suspending excluded)."""
    return [t for t in _offered(case, actor) if t.action not in OPTIONAL_ACTIONS]


# States a case can wait in for someone's step (not rejected, evaluated, assessed, self-handled).
WAITING = [*OPEN_STATUSES, CaseStatus.CLOSED]


@login_required
def case_todo(request: HttpRequest) -> HttpResponse:
    actor = Actor.of(request.user)
    cases = selectors.cases_visible(request_territory(request)).filter(status__in=WAITING)
    rows = []
    # The transition table decides what this user may do; asking it per case keeps one rule.
    # Oldest step first, so that what is most late is at the top.
    for case in cases.order_by("step_due_at", "reported_at").iterator(chunk_size=500):
        todo = _todo_actions(case, actor)
        if todo:
            rows.append({"case": case, "actions": todo})
            if len(rows) >= TASK_LIST_LIMIT:
                break
    return render(
        request,
        "cases/todo.html",
        {"rows": rows, "now": timezone.now(), "limit": TASK_LIST_LIMIT},
    )


# --- the case page (一单式) ---------------------------------------------------------------------


def _action_forms(
    request: HttpRequest,
    case: Case,
    transitions: list[Transition],
    bound: tuple[str, ActionForm] | None,
) -> list[dict[str, Any]]:
    forms = []
    for t in transitions:
        if bound is not None and bound[0] == t.action:
            form = bound[1]
        else:
            form = action_form_class(t.action, t.requires)(
                case=case, territory=request_territory(request)
            )
        is_bound = bound is not None and bound[0] == t.action
        forms.append(
            {
                "action": t.action,
                "label": t.label,
                "form": form,
                # The step the case waits for is open; options (suspend, set tier …) are folded.
                "open": is_bound or t.action not in OPTIONAL_ACTIONS,
                "primary": t.action not in OPTIONAL_ACTIONS,
            }
        )
    forms.sort(key=lambda f: not f["primary"])  # the step the case waits for comes first
    return forms


def _detail(
    request: HttpRequest,
    case: Case,
    bound: tuple[str, ActionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = Actor.of(request.user)
    transitions = _offered(case, actor)
    actions = _action_forms(request, case, transitions, bound)
    # An error on an action this user cannot take here (a stale page, a wrong state) still shows.
    stray = bound if bound and bound[0] not in {t.action for t in transitions} else None
    events = (
        case.events.select_related("actor__person").prefetch_related("photos").order_by("at", "id")
    )
    photos = list(case.photos.all())
    proposal = propose(case.facts or {}) if any(t.action == "file" for t in transitions) else None
    duplicates: list[Case] = []
    if proposal is not None:
        # Offered at filing; only those the user may open (a neighbour's case is not shown).
        near = selectors.likely_duplicates(case)
        visible = set(
            selectors.cases_visible(request_territory(request))
            .filter(pk__in=[c.pk for c in near])
            .values_list("pk", flat=True)
        )
        duplicates = [c for c in near if c.pk in visible]
    context = {
        "case": case,
        "now": timezone.now(),
        "overdue": case.overdue_at(timezone.now()),
        "events": events,
        "photos_before": [p for p in photos if p.kind == PhotoKind.BEFORE],
        "photos_after": [p for p in photos if p.kind != PhotoKind.BEFORE],
        "actions": actions,
        "stray": stray,
        "proposal": proposal,
        "facts": [(FACTS[k], v) for k, v in (case.facts or {}).items() if k in FACTS],
        "duplicates": duplicates,
        "instructions": case.instructions.select_related("leader_post__person", "by"),
        "meetings": case.meetings.all(),
        "oversights": case.oversights.select_related("unit").prefetch_related("replies__by"),
        "grids_geojson": grid_collection([case.grid]),
    }
    return render(request, "cases/detail.html", context, status=status)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _case_or_404(request, pk))


@login_required
@require_POST
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = _case_or_404(request, pk)
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise Http404(f"unknown action {action!r}")
    form = action_form_class(action, transition.requires)(
        request.POST, request.FILES, case=case, territory=request_territory(request)
    )
    data: dict[str, Any] = {}
    photos: list[Any] = []
    if form.is_valid():
        data, photos = form.to_data(), form.uploads()
    elif action in {t.action for t in allowed_actions(case, Actor.of(request.user))}:
        return _detail(request, case, (action, form), status=400)
    # else: someone who may not take the action (or not now) hears why rather than which field
    # is missing; the service refuses on state and person before it reads any input.
    try:
        services.act(case, action, actor_user=request.user, data=data, photos=photos)
    except Forbidden as exc:
        return render(
            request, "cases/forbidden.html", {"case": case, "message": exc.message}, status=403
        )
    except Conflict:
        messages.warning(request, _("Someone else changed this case; reloaded."))
        return redirect("cases:detail", pk=case.pk)
    except DomainError as exc:
        form.add_error(form.form_field(exc.field), exc.message)
        case.refresh_from_db()
        return _detail(request, case, (action, form), status=400)
    messages.success(request, _("Done: %(action)s.") % {"action": transition.label})
    return redirect("cases:detail", pk=case.pk)


@login_required
def case_photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """A case photo, for those who may see the case (photos are not public media files)."""
    case = _case_or_404(request, pk)
    photo = case.photos.filter(pk=photo_pk).first()
    if photo is None:
        raise Http404("no such photo")
    return FileResponse(photo.image.open("rb"))


# --- the live map -----------------------------------------------------------------------------


@login_required
def case_map(request: HttpRequest) -> HttpResponse:
    grids = grids_visible(request_territory(request))
    return render(
        request,
        "cases/map.html",
        {
            "grids_geojson": grid_collection(grids),
            "statuses": [(s.value, s.label) for s in OPEN_STATUSES],
        },
    )


@login_required
@require_GET
def case_map_data(request: HttpRequest) -> JsonResponse:
    """Open cases as points; the map fetches this every 30 s."""
    now = timezone.now()
    cases = selectors.cases_visible(request_territory(request)).filter(status__in=OPEN_STATUSES)[
        :MAP_LIMIT
    ]
    points = [
        {
            "id": c.pk,
            "number": c.number,
            "lon": float(c.lon),
            "lat": float(c.lat),
            "status": c.status,
            "status_label": c.get_status_display(),
            "overdue": c.overdue_at(now),
            "key": c.is_key,
            "category": c.category.name if c.category else "",
            "grid": c.grid.name,
            "description": c.description[:80],
            "url": reverse("cases:detail", args=[c.pk]),
        }
        for c in cases
    ]
    return JsonResponse({"at": now.isoformat(), "cases": points})
