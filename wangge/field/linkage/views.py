"""The linkage page: response times per grid and role for a month, and the recent calls."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wangge.core.errors import DomainError
from wangge.core.xlsx import DATETIME, DECIMAL_1, Column, Sheet, workbook_response
from wangge.field.linkage import selectors, services
from wangge.field.linkage.models import LinkageCall
from wangge.org.territory import request_territory
from wangge.people.models import Person

RECENT_CALLS = 50


def _month(request: HttpRequest) -> tuple[dt.date, dt.datetime, dt.datetime]:
    """The month the page asks for; a malformed one is said and this month shown instead."""
    today = timezone.localdate()
    try:
        return selectors.month_bounds(request.GET.get("month"), today)
    except DomainError as e:
        messages.error(request, e.message)
        return selectors.month_bounds(None, today)


@login_required
@require_GET
def linkage_overview(request: HttpRequest) -> HttpResponse:
    territory = request_territory(request)
    first, since, until = _month(request)
    rows = selectors.response_times(territory, since, until)
    calls = selectors.calls_visible(territory).filter(called_at__gte=since, called_at__lt=until)
    user: Any = request.user
    person = Person.objects.filter(user=user).first()
    return render(
        request,
        "linkage/overview.html",
        {
            "month": first.strftime("%Y-%m"),
            "rows": rows,
            "total": selectors.response_times(territory, since, until, by=()),
            "calls": calls[:RECENT_CALLS],
            "count": calls.count(),
            "mine": list(selectors.open_calls_for(person)) if person else [],
        },
    )


def _minutes_note(step: str, statistic: str) -> str:
    return _(
        "%(statistic)s of the wall-clock minutes from the call to %(step)s, over the calls that"
        " reached that step; cancelled calls are not counted."
    ) % {"statistic": statistic, "step": step}


def _response_sheet(
    rows: list[selectors.ResponseRow], total: list[selectors.ResponseRow], month: str
) -> Sheet:
    steps = [
        ("ack", _("To acknowledge"), _("its acknowledgement")),
        ("arrive", _("To arrive"), _("the arrival on site")),
        ("handle", _("To handle"), _("its handling")),
    ]
    columns = [
        Column(_("Grid"), width=22),
        Column(_("Role called"), width=14),
        Column(_("Calls"), note=_("Calls made in the month; cancelled calls are not counted.")),
        Column(
            _("To the grid leader"),
            note=_("Calls that went to the grid leader (nobody of the role on duty)."),
        ),
        Column(_("Acknowledged")),
        Column(_("Arrived")),
        Column(_("Handled")),
    ]
    for _key, title, step in steps:
        columns.append(
            Column(
                _("%(step)s, median (min)") % {"step": title},
                note=_minutes_note(step, _("Median")),
                number_format=DECIMAL_1,
            )
        )
        columns.append(
            Column(
                _("%(step)s, mean (min)") % {"step": title},
                note=_minutes_note(step, _("Mean")),
                number_format=DECIMAL_1,
            )
        )

    def line(grid: str, role: str, r: selectors.ResponseRow) -> list[Any]:
        return [
            grid,
            role,
            r.calls,
            r.to_leader,
            r.acknowledged,
            r.arrived,
            r.handled,
            r.median_ack_min,
            r.mean_ack_min,
            r.median_arrive_min,
            r.mean_arrive_min,
            r.median_handle_min,
            r.mean_handle_min,
        ]

    out = [line(r.grid.name if r.grid else "", r.role_label, r) for r in rows]
    out += [line(_("All"), "", t) for t in total]
    heading = _("Response times per grid and role")
    return Sheet(_("Response times"), columns, out, heading=f"{heading} {month}")


def _calls_sheet(calls: Any, month: str) -> Sheet:
    columns = [
        Column(_("Called at"), number_format=DATETIME, width=18),
        Column(_("Case"), width=18),
        Column(_("Category"), width=18),
        Column(_("Grid"), width=22),
        Column(_("Role called"), width=14),
        Column(_("Person called"), width=12),
        Column(_("To the grid leader")),
        Column(_("Status")),
        Column(_("Acknowledged at"), number_format=DATETIME, width=18),
        Column(_("Arrived at"), number_format=DATETIME, width=18),
        Column(_("Handled at"), number_format=DATETIME, width=18),
    ]
    rows = (
        [
            c.called_at,
            c.case.number,
            c.case.category.name if c.case.category else "",
            c.grid.name,
            c.get_role_display(),
            c.person.name if c.person else "",
            _("yes") if c.to_leader else "",
            c.get_status_display(),
            c.acknowledged_at,
            c.arrived_at,
            c.handled_at,
        ]
        for c in calls
    )
    title = _("Calls")
    return Sheet(title, columns, rows, heading=f"{title} {month}")


@login_required
@require_GET
def linkage_export(request: HttpRequest) -> HttpResponse:
    """The page's two tables (response times, every call of the month) as an Excel file."""
    territory = request_territory(request)
    first, since, until = _month(request)
    month = first.strftime("%Y-%m")
    rows = selectors.response_times(territory, since, until)
    total = selectors.response_times(territory, since, until, by=())
    calls = selectors.calls_visible(territory).filter(called_at__gte=since, called_at__lt=until)
    return workbook_response(
        f"linkage-{month}.xlsx",
        [_response_sheet(rows, total, month), _calls_sheet(calls.iterator(), month)],
    )


@login_required
@require_POST
def call_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Acknowledge or handle a call addressed to me (arriving needs a position: the handheld
    app or the API)."""
    user: Any = request.user
    call = LinkageCall.objects.filter(pk=pk, user=user).first()
    if call is None or step not in ("ack", "handle"):
        raise Http404("no such linkage call for you")
    try:
        if step == "ack":
            services.acknowledge(call, user)
            messages.success(request, _("Acknowledged."))
        else:
            services.handle(call, user, request.POST.get("comment", ""))
            messages.success(request, _("Marked handled."))
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("linkage:overview")
