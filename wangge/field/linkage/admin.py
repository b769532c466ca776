from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from wangge.field.linkage.models import LinkageCall, LinkageRule, LinkageRules


@admin.register(LinkageRules)
class LinkageRulesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "arrival_radius_m"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not LinkageRules.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(LinkageRule)
class LinkageRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "category", "kind", "major_code", "role", "active", "note"]
    list_filter = ["role", "active", "kind"]
    list_editable = ["active"]
    autocomplete_fields = ["category"]
    search_fields = ["category__name", "category__code", "major_code", "note"]


@admin.register(LinkageCall)
class LinkageCallAdmin(admin.ModelAdmin):
    list_display = [
        "case",
        "grid",
        "role",
        "person",
        "to_leader",
        "status",
        "called_at",
        "acknowledged_at",
        "arrived_at",
        "handled_at",
    ]
    list_filter = ["status", "role", "to_leader", "grid"]
    search_fields = ["case__number", "person__name"]
    date_hierarchy = "called_at"
    raw_id_fields = ["case", "person", "user", "called_by", "reassigned_from", "reassigned_by"]
    list_select_related = ["case", "grid", "person"]
