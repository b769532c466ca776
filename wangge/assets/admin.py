"""Equipment in the admin. The holder and status are read-only on the item: the form's
"assign to" / "status" fields below call the services (assign, set_status), so every change of
hands writes its history row; the history is an inline, read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from wangge.core.errors import DomainError
from wangge.org.models import GridCenter, Workstation
from wangge.people.models import Person

from . import services
from .models import Equipment, EquipmentAssignment, EquipmentStatus


class AssignmentInline(admin.TabularInline):
    model = EquipmentAssignment
    fields = ("started_at", "ended_at", "person", "center", "workstation", "by", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-started_at", "-id")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EquipmentAdminForm(forms.ModelForm):
    assign_person = forms.ModelChoiceField(
        Person.objects.filter(end_date__isnull=True), label=_("assign to person"), required=False
    )
    assign_center = forms.ModelChoiceField(
        GridCenter.objects.all(), label=_("assign to grid centre"), required=False
    )
    assign_workstation = forms.ModelChoiceField(
        Workstation.objects.all(), label=_("assign to workstation"), required=False
    )
    new_status = forms.ChoiceField(
        label=_("or set the status"),
        required=False,
        choices=[
            ("", "—"),
            (EquipmentStatus.IN_STORE, _("back in store")),
            (EquipmentStatus.LOST, EquipmentStatus.LOST.label),
            (EquipmentStatus.RETIRED, EquipmentStatus.RETIRED.label),
        ],
    )
    change_reason = forms.CharField(label=_("reason for the change"), required=False)

    class Meta:
        model = Equipment
        fields = ("category", "name", "serial", "value", "purchased_on", "notes")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        holders = [
            k for k in ("assign_person", "assign_center", "assign_workstation") if data.get(k)
        ]
        if len(holders) > 1:
            raise ValidationError(_("Choose one holder: a person, a centre or a workstation."))
        if holders and data.get("new_status"):
            raise ValidationError(_("Assign the item or change its status, not both."))
        if (holders or data.get("new_status")) and not (data.get("change_reason") or "").strip():
            self.add_error("change_reason", _("Say why the item changes hands."))
        return data


@admin.register(Equipment)
class EquipmentAdmin(admin.ModelAdmin):
    form = EquipmentAdminForm
    list_display = ("name", "category", "serial", "value", "purchased_on", "status", "holder_label")
    list_filter = ("category", "status")
    search_fields = ("name", "serial", "person__name", "center__name", "workstation__name")
    readonly_fields = ("status", "person", "center", "workstation")
    inlines = [AssignmentInline]
    fieldsets = (
        (None, {"fields": ("category", "name", "serial", "value", "purchased_on", "notes")}),
        (_("Holder now"), {"fields": ("status", "person", "center", "workstation")}),
        (
            _("Change hands"),
            {
                "fields": (
                    "assign_person",
                    "assign_center",
                    "assign_workstation",
                    "new_status",
                    "change_reason",
                )
            },
        ),
    )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # retire instead: the history stays

    @admin.display(description=_("held by"))
    def holder_label(self, obj: Equipment) -> str:
        return obj.holder_label

    def save_model(self, request: HttpRequest, obj: Equipment, form: Any, change: bool) -> None:
        data = form.cleaned_data
        holder = {
            "person": data.get("assign_person"),
            "center": data.get("assign_center"),
            "workstation": data.get("assign_workstation"),
        }
        reason = (data.get("change_reason") or "").strip()
        fields = {k: data.get(k) for k in services.EDITABLE}
        fields["serial"] = fields["serial"] or ""
        fields["notes"] = fields["notes"] or ""
        try:
            with transaction.atomic():
                if change:
                    item = services.equipment_update(
                        Equipment.objects.get(pk=obj.pk), by_user=request.user, **fields
                    )
                    if any(holder.values()):
                        services.assign(item, by_user=request.user, reason=reason, **holder)
                    elif data.get("new_status"):
                        services.set_status(
                            item, status=data["new_status"], by_user=request.user, reason=reason
                        )
                else:
                    item = services.equipment_create(
                        by_user=request.user, reason=reason, **fields, **holder
                    )
        except DomainError as exc:
            # The admin has no place for a service error after validation: show it as a
            # message and keep the object as it was.
            self.message_user(request, exc.message, level="error")
            if not change:
                raise ValidationError(exc.message) from None
            return
        obj.pk = item.pk
        obj.refresh_from_db()
