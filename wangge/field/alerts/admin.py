from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from wangge.field.alerts.models import Alert, AlertRecipient, AlertRules


@admin.register(AlertRules)
class AlertRulesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "ack_minutes", "recall_minutes", "max_recalls"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not AlertRules.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class AlertRecipientInline(admin.TabularInline):
    model = AlertRecipient
    extra = 0
    raw_id_fields = ["person", "user", "reassigned_from", "reassigned_by"]
    readonly_fields = [
        "delivered_at",
        "acknowledged_at",
        "recalls",
        "last_recalled_at",
        "leader_told_at",
    ]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "sent_at", "sent_by", "ack_minutes"]
    list_filter = ["kind"]
    search_fields = ["title", "text"]
    date_hierarchy = "sent_at"
    filter_horizontal = ["grids"]
    raw_id_fields = ["sent_by"]
    inlines = [AlertRecipientInline]
