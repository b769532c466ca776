"""The assessment pages: a period's runs, a run's table with its manual items, publishing,
corrections, the Excel export and the year end. For the assessment group and administrators."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

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
from wangge.assessment.export import ranking_sheet
from wangge.assessment.models import AssessmentRun, Score, YearEndRule
from wangge.assessment.tasks import previous_month
from wangge.core.errors import DomainError
from wangge.core.xlsx import DATETIME, DECIMAL_2, Column, Sheet, workbook_response


def _assessor(request: HttpRequest) -> Any:
    if not services.can_assess(request.user):
        raise PermissionDenied(_("Only the assessment group and administrators may see this."))
    return request.user


def _last_month() -> str:
    return previous_month(timezone.localdate())


def _period(request: HttpRequest) -> str:
    """``?period=`` (a month or a year, services.parse_period), by default last month; a bad
    one raises DomainError."""
    period = (request.GET.get("period") or _last_month()).strip()
    services.parse_period(period)
    return period


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _assessor(request)
    try:
        period = _period(request)
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
@require_GET
def index_export(request: HttpRequest) -> HttpResponse:
    """The period's runs (the index page's table) as an Excel file."""
    _assessor(request)
    try:
        period = _period(request)
    except DomainError as exc:
        raise Http404(exc.message) from None
    columns = [
        Column(_("Scheme"), width=30),
        Column(_("Version"), width=8),
        Column(_("Status"), width=10),
        Column(
            _("Subjects"), note=_("Subjects ranked in the run (communities, offices or staff).")
        ),
        Column(_("Published at"), number_format=DATETIME, width=18),
        Column(_("Published by"), width=14),
        Column(_("Reason for the correction"), width=40),
    ]
    rows = [
        [
            r.scheme.name,
            r.version,
            r.get_status_display(),
            r.subject_count,  # type: ignore[attr-defined]
            r.published_at,
            r.published_by.get_username() if r.published_by else "",
            r.reason,
        ]
        for r in selectors.runs_of(period)
    ]
    sheet = Sheet(_("Runs"), columns, rows, heading=period)
    return workbook_response(f"assessment-{period}.xlsx", [sheet])


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
    return redirect(f"{reverse('assessment:index')}?{urlencode({'period': period})}")


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
    versions = list(
        AssessmentRun.objects.filter(scheme=run.scheme, period=run.period).order_by("version")
    )
    return render(
        request,
        "assessment/run.html",
        {
            "run": run,
            "table": selectors.run_table(run),
            "is_latest": versions[-1].pk == run.pk,
            "unscored": services.unscored(run) if not run.is_published else [],
            "versions": versions,
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
    name = f"assessment-{run.scheme.code}-{run.period}-v{run.version}.xlsx"
    return workbook_response(name, [ranking_sheet(selectors.run_table(run))])


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


@login_required
@require_GET
def year_end_export(request: HttpRequest, year: int) -> HttpResponse:
    """The year-end table as an Excel file, each computed column's rule in its header note."""
    _assessor(request)
    rule = YearEndRule.load()
    columns = [
        Column(
            _("Rank"), note=_("By the mean total, highest first; ties share a rank (1, 2, 2, 4).")
        ),
        Column(_("Community"), width=16),
        Column(
            _("Mean total"),
            note=_(
                "Mean of the community's totals in the year's published months (the latest"
                " published version of each month), to the fen."
            ),
            number_format=DECIMAL_2,
        ),
        Column(_("Published months"), note=_("The months the mean is over.")),
        Column(
            _("Reward"),
            note=_(
                "Rewarded: rank ≤ %(top)d. Deducted: the last %(bottom)d ranks (ties included),"
                " unless rewarded (year-end rule in the admin)."
            )
            % {"top": rule.top_n, "bottom": rule.bottom_n},
        ),
        Column(
            _("Bonus (yuan)"),
            note=_("The community's bonus of the year (admin)."),
            number_format=DECIMAL_2,
        ),
        Column(
            _("Deduction (yuan)"),
            note=_("Deducted communities: bonus × %(percent)s %%, rounded to the fen.")
            % {"percent": rule.deduction_percent.normalize()},
            number_format=DECIMAL_2,
        ),
    ]
    rows = [
        [
            r.rank,
            r.community_name,
            r.mean_total,
            r.months,
            _("rewarded") if r.rewarded else _("deducted") if r.deducted else "",
            r.bonus,
            r.deduction if r.deducted else None,
        ]
        for r in selectors.year_end_results(year)
    ]
    title = _("Year-end ranking of the communities")
    sheet = Sheet(str(year), columns, rows, heading=f"{title} {year}")
    return workbook_response(f"assessment-year-end-{year}.xlsx", [sheet])
