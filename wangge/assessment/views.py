"""The assessment pages: a period's runs, a run's table with its manual items, publishing,
corrections, the Excel export and the year end. For the assessment group and administrators."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wangge.assessment import selectors, services
from wangge.assessment.export import ranking_workbook
from wangge.assessment.models import AssessmentRun, Score
from wangge.core.errors import DomainError


def _assessor(request: HttpRequest) -> Any:
    if not services.can_assess(request.user):
        raise PermissionDenied(_("Only the assessment group and administrators may see this."))
    return request.user


def _last_month() -> str:
    first = timezone.localdate().replace(day=1)
    return f"{(first - dt.timedelta(days=1)):%Y-%m}"


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _assessor(request)
    period = (request.GET.get("period") or _last_month()).strip()
    try:
        services.parse_period(period)
    except DomainError as exc:
        messages.error(request, exc.message)
        period = _last_month()
    runs = selectors.runs_of(period)
    return render(
        request,
        "assessment/index.html",
        {
            "period": period,
            "runs": runs,
            "periods": selectors.periods()[:24],
            "year": period[:4],
        },
    )


@login_required
@require_POST
def assess(request: HttpRequest) -> HttpResponse:
    user = _assessor(request)
    period = (request.POST.get("period") or "").strip()
    try:
        runs = services.assess(period, by_user=user)
        messages.success(
            request, _("Assessed %(period)s: %(n)d run(s).") % {"period": period, "n": len(runs)}
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('assessment:index')}?period={period}")


def _run(pk: int) -> AssessmentRun:
    try:
        return services.run_get(pk)
    except DomainError as exc:
        raise Http404(exc.message) from None


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _assessor(request)
    run = _run(pk)
    latest = (
        AssessmentRun.objects.filter(scheme=run.scheme, period=run.period)
        .order_by("-version")
        .first()
    )
    return render(
        request,
        "assessment/run.html",
        {
            "run": run,
            "table": selectors.run_table(run),
            "is_latest": latest is not None and latest.pk == run.pk,
            "unscored": services.unscored(run) if not run.is_published else [],
            "versions": AssessmentRun.objects.filter(scheme=run.scheme, period=run.period).order_by(
                "version"
            ),
        },
    )


@login_required
@require_POST
def score(request: HttpRequest, pk: int) -> HttpResponse:
    user = _assessor(request)
    item = Score.objects.filter(pk=pk).select_related("run").first()
    if item is None:
        raise Http404(_("no such score"))
    try:
        services.score_manual(
            item,
            request.POST.get("points", ""),
            evidence=request.POST.get("evidence", ""),
            remarks=request.POST.get("remarks", ""),
            by_user=user,
        )
        messages.success(request, _("Score saved."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('assessment:run', args=[item.run_id])}#score-{item.pk}")


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = _assessor(request)
    try:
        services.publish(_run(pk), by_user=user)
        messages.success(request, _("Published."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("assessment:run", pk=pk)


@login_required
@require_POST
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    user = _assessor(request)
    try:
        new = services.correct(_run(pk), by_user=user, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("assessment:run", pk=pk)
    messages.success(request, _("Version %(v)d drafted: edit and publish it.") % {"v": new.version})
    return redirect("assessment:run", pk=new.pk)


@login_required
@require_GET
def export(request: HttpRequest, pk: int) -> HttpResponse:
    _assessor(request)
    run = _run(pk)
    response = HttpResponse(
        ranking_workbook(selectors.run_table(run)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"assessment-{run.scheme.code}-{run.period}-v{run.version}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def year_end(request: HttpRequest, year: int) -> HttpResponse:
    _assessor(request)
    if request.method == "POST":
        try:
            services.year_end(year)
            messages.success(request, _("Year-end ranking computed."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("assessment:year_end", year=year)
    return render(
        request,
        "assessment/year_end.html",
        {"year": year, "results": selectors.year_end_results(year)},
    )
