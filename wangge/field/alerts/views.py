"""The centre's alert pages: the list, the form, one alert's deliveries (refreshed by htmx)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wangge.cases.actors import Actor
from wangge.core.errors import DomainError, Forbidden
from wangge.field.alerts import selectors, services
from wangge.field.alerts.forms import AlertForm
from wangge.org.territory import request_territory

LIST_LIMIT = 100


@login_required
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    territory = request_territory(request)
    return render(
        request,
        "alerts/list.html",
        {
            "alerts": selectors.alerts_visible(territory)[:LIST_LIMIT],
            "mine": selectors.open_for_user(request.user),
            "may_send": services.may_send(Actor.of(request.user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def alert_new(request: HttpRequest) -> HttpResponse:
    territory = request_territory(request)
    if not services.may_send(Actor.of(request.user)):
        return render(
            request,
            "alerts/list.html",
            {"alerts": [], "mine": [], "may_send": False, "forbidden": True},
            status=403,
        )
    form = AlertForm(request.POST or None, territory=territory)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            alert = services.send_alert(
                by_user=request.user,
                kind=data["kind"],
                title=data["title"],
                text=data["text"],
                grids=list(data["grids"]),
                roles=data["roles"] or [],
                ack_minutes=data["ack_minutes"],
            )
        except Forbidden as e:
            form.add_error(None, e.message)
        except DomainError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(
                request, _("Sent to %(n)d people on duty.") % {"n": alert.recipients.count()}
            )
            return redirect("alerts:detail", pk=alert.pk)
    return render(request, "alerts/new.html", {"form": form})


def _detail_context(request: HttpRequest, pk: int) -> dict[str, object]:
    alert = selectors.alert_get(request_territory(request), pk, request.user)
    recipients = list(selectors.recipients_of(alert))
    acked = [r for r in recipients if r.acknowledged_at is not None]
    silent = [r for r in recipients if r.acknowledged_at is None]
    mine = next((r for r in recipients if r.user_id == request.user.pk), None)
    return {
        "alert": alert,
        "acked": acked,
        "silent": silent,
        "mine": mine,
        "now": timezone.now(),
        "deadline": alert.sent_at + dt.timedelta(minutes=alert.ack_minutes),
    }


@login_required
@require_GET
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        context = _detail_context(request, pk)
    except DomainError as e:
        return render(request, "alerts/missing.html", {"message": e.message}, status=404)
    template = "alerts/_status.html" if request.headers.get("HX-Request") else "alerts/detail.html"
    return render(request, template, context)


@login_required
@require_POST
def alert_ack(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        alert = selectors.alert_get(request_territory(request), pk, request.user)
        services.acknowledge(alert, request.user)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Acknowledged."))
    return redirect("alerts:detail", pk=pk)
