"""The wage-sheet pages: every project's months, a project's payees and months, a month's sheet
with its Excel export. The finance group writes; the subdistrict and district offices read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wangge.core.errors import DomainError, Forbidden, NotFound
from wangge.core.xlsx import DECIMAL_2, INTEGER, Column, Sheet, workbook_response
from wangge.org.territory import request_territory

from . import payroll
from .models import BudgetProject, Payee, Payroll, PayrollStatus
from .payroll_forms import DraftForm, LineForm, PayeeEndForm, PayeeForm, ReopenForm
from .selectors import to_wan


def _projects(request: HttpRequest) -> QuerySet[BudgetProject]:
    try:
        return payroll.wage_projects_visible(request.user, request_territory(request))
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None


def _writer(request: HttpRequest) -> Any:
    if not payroll.can_write(request.user):
        raise PermissionDenied(_("Only the finance group may change wage sheets."))
    return request.user


def _project(request: HttpRequest, project_id: int) -> BudgetProject:
    try:
        return payroll.project_get(_projects(request), project_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _sheet(request: HttpRequest, project_id: int, month: str) -> Payroll:
    project = _project(request, project_id)
    try:
        return payroll.payroll_get(project, month)
    except DomainError as exc:
        raise Http404(exc.message) from None


def _sheet_url(sheet: Payroll) -> str:
    return reverse("finance:payroll_sheet", args=[sheet.project_id, sheet.month])


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Projects × months: each month's status and net total."""
    projects = _projects(request).order_by("-year", "subdistrict__name", "name")
    rows = [
        {
            "project": row.project,
            "months": [
                {"sheet": s, "totals": payroll.totals_of(s) if s is not None else None}
                for s in row.months
            ],
            "locked_wan": to_wan(row.locked_net),
        }
        for row in payroll.overview(projects)
    ]
    return render(
        request,
        "finance/payroll_index.html",
        {"rows": rows, "month_numbers": [f"{n:02d}" for n in range(1, 13)]},
    )


def _project_page(
    request: HttpRequest,
    project: BudgetProject,
    *,
    form: PayeeForm | None = None,
    draft_form: DraftForm | None = None,
    status: int = 200,
) -> HttpResponse:
    sheets = [(s, payroll.totals_of(s)) for s in payroll.payrolls_of(project)]
    last = timezone.localdate().replace(day=1)
    default_month = f"{project.year}-{last.month:02d}" if last.year == project.year else ""
    return render(
        request,
        "finance/payroll_project.html",
        {
            "project": project,
            "payees": payroll.payees_of(project),
            "sheets": sheets,
            "can_write": payroll.can_write(request.user),
            "form": form or PayeeForm(project=project, initial={"start": f"{project.year}-01-01"}),
            "draft_form": draft_form or DraftForm(initial={"month": default_month}),
            "end_form": PayeeEndForm(),
        },
        status=status,
    )


@login_required
@require_GET
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    return _project_page(request, _project(request, project_id))


@login_required
@require_POST
def payee_add(request: HttpRequest, project_id: int) -> HttpResponse:
    user = _writer(request)
    project = _project(request, project_id)
    form = PayeeForm(request.POST, project=project)
    if form.is_valid():
        data = form.cleaned_data
        try:
            payee = payroll.payee_add(
                project,
                person=data["person"],
                role=data["role"],
                base_wage=data["base_wage"],
                start=data["start"],
                end=data["end"],
                by_user=user,
            )
        except DomainError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, exc.message)
        else:
            messages.success(
                request, _("%(name)s added to the wage list.") % {"name": payee.person.name}
            )
            return redirect("finance:payroll_project", project_id=project.pk)
    return _project_page(request, project, form=form, status=400)


@login_required
@require_POST
def payee_end(request: HttpRequest, payee_id: int) -> HttpResponse:
    user = _writer(request)
    payee = Payee.objects.filter(pk=payee_id, project__in=_projects(request)).first()
    if payee is None:
        raise Http404(_("no such payee"))
    form = PayeeEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the last paid day as a date."))
    else:
        try:
            payroll.payee_end(payee, end=form.cleaned_data["end"], by_user=user)
            messages.success(request, _("The payee's end date is set."))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("finance:payroll_project", project_id=payee.project_id)


@login_required
@require_POST
def draft(request: HttpRequest, project_id: int) -> HttpResponse:
    """Draft a month (from the project page) or regenerate a draft (from the sheet)."""
    user = _writer(request)
    project = _project(request, project_id)
    form = DraftForm(request.POST)
    if form.is_valid():
        try:
            sheet = payroll.payroll_draft(project, form.cleaned_data["month"], by_user=user)
        except DomainError as exc:
            form.add_error("month", exc.message)
        else:
            messages.success(
                request, _("The wage sheet of %(month)s is drafted.") % {"month": sheet.month}
            )
            return redirect(_sheet_url(sheet))
    return _project_page(request, project, draft_form=form, status=400)


@login_required
@require_GET
def sheet_detail(request: HttpRequest, project_id: int, month: str) -> HttpResponse:
    sheet = _sheet(request, project_id, month)
    return render(
        request,
        "finance/payroll_sheet.html",
        {
            "project": sheet.project,
            "sheet": sheet,
            "lines": payroll.lines_of(sheet),
            "totals": payroll.payroll_totals(sheet),
            "can_write": payroll.can_write(request.user),
            "is_draft": sheet.status == PayrollStatus.DRAFT,
            "is_approved": sheet.status == PayrollStatus.APPROVED,
            "is_locked": sheet.status == PayrollStatus.LOCKED,
            "definitions": payroll.PAYROLL_DEFINITIONS,
            "reopen_form": ReopenForm(),
        },
    )


@login_required
@require_POST
def line_edit(request: HttpRequest, line_id: int) -> HttpResponse:
    user = _writer(request)
    try:
        line = payroll.line_get(_projects(request), line_id)
    except NotFound as exc:
        raise Http404(exc.message) from None
    form = LineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The deduction note or the reason is too long."))
    else:
        data = form.cleaned_data
        try:
            payroll.line_update(
                line,
                by_user=user,
                deductions=data["deductions"],
                deduction_note=data["deduction_note"],
                performance=data["performance"],
                performance_note=data["performance_note"],
            )
            messages.success(request, _("%(name)s's line is saved.") % {"name": line.person.name})
        except DomainError as exc:
            messages.error(request, f"{line.person.name}: {exc.message}")
    return redirect(_sheet_url(line.payroll))


def _transition(request: HttpRequest, project_id: int, month: str, action: str) -> HttpResponse:
    user = _writer(request)
    sheet = _sheet(request, project_id, month)
    try:
        if action == "approve":
            payroll.approve(sheet, by_user=user)
            messages.success(request, _("The wage sheet is approved."))
        elif action == "reopen":
            payroll.reopen(sheet, by_user=user, reason=request.POST.get("reason", ""))
            messages.success(request, _("The wage sheet is a draft again."))
        elif action == "lock":
            payroll.lock(sheet, by_user=user)
            messages.success(request, _("The wage sheet is locked and booked as an expenditure."))
        elif action == "delete":
            payroll.payroll_delete(sheet, by_user=user)
            messages.success(request, _("The draft wage sheet is deleted."))
            return redirect("finance:payroll_project", project_id=project_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(_sheet_url(sheet))


@login_required
@require_POST
def approve(request: HttpRequest, project_id: int, month: str) -> HttpResponse:
    return _transition(request, project_id, month, "approve")


@login_required
@require_POST
def reopen(request: HttpRequest, project_id: int, month: str) -> HttpResponse:
    return _transition(request, project_id, month, "reopen")


@login_required
@require_POST
def lock(request: HttpRequest, project_id: int, month: str) -> HttpResponse:
    return _transition(request, project_id, month, "lock")


@login_required
@require_POST
def delete(request: HttpRequest, project_id: int, month: str) -> HttpResponse:
    return _transition(request, project_id, month, "delete")


@login_required
@require_GET
def export(request: HttpRequest, project_id: int, month: str) -> HttpResponse:
    """The month's sheet as Excel; each computed column's header note holds its formula."""
    sheet = _sheet(request, project_id, month)
    d = payroll.PAYROLL_DEFINITIONS
    columns = [
        Column(_("Name"), width=14),
        Column(_("Post")),
        Column(_("Days"), note=_(d["days"]), number_format=INTEGER),
        Column(_("Base (yuan)"), note=_(d["base"]), number_format=DECIMAL_2),
        Column(_("Performance (yuan)"), note=_(d["performance"]), number_format=DECIMAL_2),
        Column(_("Performance source"), width=40),
        Column(_("Deductions (yuan)"), note=_(d["deductions"]), number_format=DECIMAL_2),
        Column(_("Deduction note"), width=30),
        Column(_("Net (yuan)"), note=_(d["net"]), number_format=DECIMAL_2),
    ]
    rows: list[list[Any]] = [
        [
            line.person.name,
            line.get_role_display() if line.role else "",
            line.days,
            line.base,
            line.performance,
            line.performance_source,
            line.deductions,
            line.deduction_note,
            line.net,
        ]
        for line in payroll.lines_of(sheet)
    ]
    totals = payroll.payroll_totals(sheet)
    rows.append(
        [
            _("Total (%(n)d people)") % {"n": totals.people},
            "",
            None,
            totals.base,
            totals.performance,
            "",
            totals.deductions,
            "",
            totals.net,
        ]
    )
    heading = f"{sheet.project} · {sheet.month} · {sheet.get_status_display()}"
    name = f"payroll-{sheet.project.year}-{sheet.project_id}-{sheet.month}.xlsx"
    return workbook_response(name, [Sheet(sheet.month, columns, rows, heading=heading)])
