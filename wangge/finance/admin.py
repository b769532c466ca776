"""Budget projects and expenditures in the admin.

Money is recorded on the finance pages (/finance/), where the services check the balance and
the year; here a project's name, year and rules can be edited (through
``services.project_update``), and an expenditure's description and voucher number (through
``services.expenditure_update``). Allocations and purchased items are shown read-only; a wage
expenditure booked by a payroll month is read-only altogether. Nothing is deleted here: an
expenditure recorded in error is cancelled on the project's page, with a reason.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from wangge.core.errors import DomainError

from . import services
from .models import Allocation, BudgetProject, Expenditure, Payroll, PurchaseItem


class AllocationInline(admin.TabularInline):
    model = Allocation
    fields = ("date", "kind", "amount", "document_no", "note", "created_by")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(BudgetProject)
class BudgetProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "subdistrict")
    list_filter = ("year", "subdistrict")
    search_fields = ("name",)
    fields = ("subdistrict", "year", "name", "principles", "management_rules", "notes")
    inlines = [AllocationInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("subdistrict",) if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: BudgetProject, form: Any, change: bool) -> None:
        data = form.cleaned_data
        fields = {k: data.get(k) for k in services.PROJECT_EDITABLE if k in data}
        try:
            if change:
                project = services.project_update(
                    BudgetProject.objects.get(pk=obj.pk), by_user=request.user, **fields
                )
            else:
                project = services.project_create(
                    subdistrict=data["subdistrict"], by_user=request.user, **fields
                )
        except DomainError as exc:
            self.message_user(request, exc.message, level="error")
            if not change:
                raise ValidationError(exc.message) from None
            return
        obj.pk = project.pk
        obj.refresh_from_db()


class PurchaseItemInline(admin.TabularInline):
    model = PurchaseItem
    fields = ("equipment",)
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Expenditure)
class ExpenditureAdmin(admin.ModelAdmin):
    list_display = ("date", "project", "kind", "description", "voucher_no", "amount")
    list_filter = ("kind", "project__year")
    search_fields = ("description", "voucher_no", "project__name")
    fields = (
        "project",
        "kind",
        "amount",
        "date",
        "description",
        "voucher_no",
        "created_by",
        "payroll_month",
    )
    inlines = [PurchaseItemInline]

    @admin.display(description=_("payroll month"))
    def payroll_month(self, obj: Expenditure) -> str:
        payroll = Payroll.objects.filter(expenditure=obj).first()
        return payroll.month if payroll is not None else "—"

    def _is_wage_sheet(self, obj: Any) -> bool:
        return obj is not None and Payroll.objects.filter(expenditure=obj).exists()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fixed = ("project", "kind", "amount", "date", "created_by", "payroll_month")
        if self._is_wage_sheet(obj):
            return (*fixed, "description", "voucher_no")
        return fixed

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # recorded on the project's page, where the balance is checked

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # cancelled on the project's page, with a reason

    def save_model(self, request: HttpRequest, obj: Expenditure, form: Any, change: bool) -> None:
        data = form.cleaned_data
        changes = {k: data[k] for k in ("description", "voucher_no") if k in data}
        try:
            services.expenditure_update(
                Expenditure.objects.get(pk=obj.pk), by_user=request.user, **changes
            )
        except DomainError as exc:
            self.message_user(request, exc.message, level="error")
            return
        obj.refresh_from_db()
