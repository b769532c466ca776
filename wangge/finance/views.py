"""The finance pages: budget projects, their allocations and expenditures, the Excel export.

District and subdistrict users read the projects of their territory; the finance staff and
superusers also record projects, allocations and expenditures. Everyone else gets 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wangge.core.errors import DomainError, NotFound
from wangge.core.xlsx import DATE, DECIMAL_2, PERCENT, Column, Sheet, workbook_response
from wangge.org.territory import request_territory

from . import selectors, services
from .forms import AllocationForm, CancelForm, ExpenditureForm, ProjectForm, add_domain_error
from .models import BudgetProject, Expenditure, ExpenditureKind


def _reader(request: HttpRequest) -> None:
    if not selectors.can_read_budget(request.user, request_territory(request)):
        raise PermissionDenied(
            _("The budget pages are for district and subdistrict staff and the finance staff.")
        )


def _writer(request: HttpRequest) -> Any:
    _reader(request)
    if not services.can_manage_budget(request.user):
        raise PermissionDenied(_("Only the finance staff may change budget projects."))
    return request.user


def _project(request: HttpRequest, pk: int) -> BudgetProject:
    try:
        return selectors.project_get(request_territory(request), pk)
    except NotFound as exc:
        raise Http404(exc.message) from None


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _reader(request)
    visible = selectors.projects_visible(request_territory(request))
    years = selectors.project_years(visible)
    raw = (request.GET.get("year") or "").strip()
    year = int(raw) if raw.isascii() and raw.isdigit() else None  # "²".isdigit() is True
    shown = visible.filter(year=year) if year else visible
    rows = selectors.projects_with_figures(shown.order_by("-year", "subdistrict__name", "name"))
    return render(
        request,
        "finance/index.html",
        {
            "rows": rows,
            "years": years,
            "year": year,
            "may_write": services.can_manage_budget(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest) -> HttpResponse:
    user = _writer(request)
    subdistricts = selectors.subdistricts_visible(request_territory(request))
    form = ProjectForm(request.POST or None, subdistricts=subdistricts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.project_create(
                subdistrict=data["subdistrict"],
                year=data["year"],
                name=data["name"],
                principles=data["principles"],
                management_rules=data["management_rules"],
                notes=data["notes"],
                by_user=user,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Project created."))
            return redirect("finance:project", pk=project.pk)
    return render(
        request,
        "finance/project_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a project's name, year, principles of use, management rules or notes."""
    user = _writer(request)
    project = _project(request, pk)
    initial = {k: getattr(project, k) for k in services.PROJECT_EDITABLE}
    form = ProjectForm(request.POST or None, initial=initial, subdistricts=None)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(project, by_user=user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Project saved."))
            return redirect("finance:project", pk=project.pk)
    return render(
        request,
        "finance/project_form.html",
        {"form": form, "project": project},
        status=400 if form.errors else 200,
    )


def _detail(
    request: HttpRequest,
    project: BudgetProject,
    *,
    allocation_form: AllocationForm | None = None,
    expenditure_form: ExpenditureForm | None = None,
    cancel_errors: dict[int, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    may_write = services.can_manage_budget(request.user)
    equipment = selectors.purchasable_equipment(project)
    expenditures = list(selectors.expenditures_of(project))
    for e in expenditures:
        e.cancel_error = (cancel_errors or {}).get(e.pk, "")  # type: ignore[attr-defined]
    return render(
        request,
        "finance/project.html",
        {
            "project": project,
            "figures": selectors.project_figures(project),
            "allocations": selectors.allocations_of(project),
            "expenditures": expenditures,
            "kinds": ExpenditureKind,
            "may_write": may_write,
            "allocation_form": allocation_form or AllocationForm(),
            "expenditure_form": expenditure_form or ExpenditureForm(equipment=equipment),
            "cancel_form": CancelForm(),
        },
        status=status,
    )


@login_required
@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    return _detail(request, _project(request, pk))


@login_required
@require_POST
def allocation_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _writer(request)
    project = _project(request, pk)
    form = AllocationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.allocation_add(
                project,
                kind=data["kind"],
                amount=data["amount"],
                date=data["date"],
                document_no=data["document_no"],
                note=data["note"],
                by_user=user,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Allocation recorded."))
            return redirect("finance:project", pk=project.pk)
    return _detail(request, project, allocation_form=form, status=400)


@login_required
@require_POST
def expenditure_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _writer(request)
    project = _project(request, pk)
    form = ExpenditureForm(request.POST, equipment=selectors.purchasable_equipment(project))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_expenditure(
                project,
                kind=data["kind"],
                amount=data["amount"],
                date=data["date"],
                description=data["description"],
                voucher_no=data["voucher_no"],
                equipment=list(data["equipment"]),
                by_user=user,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Expenditure recorded."))
            return redirect("finance:project", pk=project.pk)
    return _detail(request, project, expenditure_form=form, status=400)


@login_required
@require_POST
def expenditure_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = _writer(request)
    expenditure = Expenditure.objects.filter(pk=pk).first()
    if expenditure is None:
        raise Http404(_("no such expenditure"))
    project = _project(request, expenditure.project_id)
    form = CancelForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("say why the expenditure is cancelled"), field="reason")
        services.expenditure_cancel(expenditure, by_user=user, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        return _detail(request, project, cancel_errors={expenditure.pk: exc.message}, status=400)
    messages.success(request, _("Expenditure cancelled."))
    return redirect("finance:project", pk=project.pk)


def _money_columns() -> list[Column]:
    return [
        Column(_("Amount (yuan)"), number_format=DECIMAL_2, width=16),
        Column(
            _("Amount (10,000 yuan)"),
            note=_("yuan ÷ 10,000, rounded half up to 2 places"),
            number_format=DECIMAL_2,
            width=16,
        ),
    ]


@login_required
@require_GET
def project_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's figures, allocations and expenditures as an Excel workbook; every computed
    figure has its formula in the header note."""
    _reader(request)
    project = _project(request, pk)
    figures = selectors.project_figures(project)
    definitions = selectors.FUNDS_DEFINITIONS
    figure_rows: list[list[Any]] = [
        [
            _("Initial budget"),
            figures.initial,
            selectors.to_wan(figures.initial),
            definitions["initial"],
        ],
        [
            _("Fiscal adjustments"),
            figures.adjustments,
            selectors.to_wan(figures.adjustments),
            definitions["adjustments"],
        ],
        [
            _("Allocated"),
            figures.allocated,
            selectors.to_wan(figures.allocated),
            definitions["allocated"],
        ],
        *[
            [
                _("Spent: %(kind)s") % {"kind": label},
                figures.spent_by_kind[kind],
                selectors.to_wan(figures.spent_by_kind[kind]),
                _("Sum of the expenditures of this kind (yuan)."),
            ]
            for kind, label in ExpenditureKind.choices
        ],
        [_("Spent"), figures.spent, selectors.to_wan(figures.spent), definitions["spent"]],
        [_("Balance"), figures.balance, selectors.to_wan(figures.balance), definitions["balance"]],
    ]
    heading = f"{project.subdistrict} · {project}"
    summary = Sheet(
        _("Figures"),
        [
            Column(_("Figure"), width=24),
            *_money_columns(),
            Column(_("How it is computed"), width=50),
        ],
        figure_rows,
        heading=heading,
    )
    rate = Sheet(
        _("Execution rate"),
        [
            Column(
                _("Execution rate"),
                note=str(definitions["execution_rate"]),
                number_format=PERCENT,
                width=16,
            )
        ],
        [[figures.execution_rate]],
        heading=heading,
    )
    allocations = Sheet(
        _("Allocations"),
        [
            Column(_("Date"), number_format=DATE, width=12),
            Column(_("Kind"), width=16),
            *_money_columns(),
            Column(_("Document number"), width=24),
            Column(_("Note"), width=40),
        ],
        (
            [
                a.date,
                a.get_kind_display(),
                a.amount,
                selectors.to_wan(a.amount),
                a.document_no,
                a.note,
            ]
            for a in selectors.allocations_of(project)
        ),
        heading=heading,
    )
    expenditures = Sheet(
        _("Expenditures"),
        [
            Column(_("Date"), number_format=DATE, width=12),
            Column(_("Kind"), width=16),
            Column(_("Description"), width=40),
            Column(_("Voucher number"), width=18),
            *_money_columns(),
            Column(
                _("Items bought"),
                note=_("The equipment items an equipment purchase paid for."),
                width=50,
            ),
        ],
        (
            [
                e.date,
                e.get_kind_display(),
                e.description,
                e.voucher_no,
                e.amount,
                selectors.to_wan(e.amount),
                "; ".join(str(p.equipment) for p in e.items.all()),
            ]
            for e in selectors.expenditures_of(project)
        ),
        heading=heading,
    )
    name = f"budget-{project.year}-{project.pk}.xlsx"
    return workbook_response(name, [summary, rate, allocations, expenditures])
