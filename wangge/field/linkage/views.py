"""The linkage page: response times per grid and role for a month, and the recent calls."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wangge.core.errors import DomainError
from wangge.field.linkage import selectors, services
from wangge.field.linkage.models import LinkageCall
from wangge.org.territory import request_territory
from wangge.people.models import Person

RECENT_CALLS = 50
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_bounds(value: str | None, today: dt.date) -> tuple[dt.date, dt.datetime, dt.datetime]:
    """The first day and the [start, end) of a month "YYYY-MM" (this month when absent or
    malformed), in local time."""
    first = today.replace(day=1)
    match = MONTH.match(value or "")
    if match and 1 <= int(match.group(2)) <= 12 and 2000 <= int(match.group(1)) <= 2100:
        first = dt.date(int(match.group(1)), int(match.group(2)), 1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (
        first,
        dt.datetime.combine(first, dt.time.min, tzinfo=tz),
        dt.datetime.combine(nxt, dt.time.min, tzinfo=tz),
    )


@login_required
@require_GET
def linkage_overview(request: HttpRequest) -> HttpResponse:
    territory = request_territory(request)
    first, since, until = month_bounds(request.GET.get("month"), timezone.localdate())
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
