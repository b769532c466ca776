"""Hand-overs in the admin: read-only (they are made on /handovers/new/ or through the API)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Handover, HandoverItem


class ItemInline(admin.TabularInline):
    model = HandoverItem
    fields = ("kind", "object_id", "label")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Handover)
class HandoverAdmin(admin.ModelAdmin):
    list_display = ("at", "person", "successor", "kind", "cases", "equipment", "roles")
    list_filter = ("kind",)
    search_fields = ("person__name", "successor__name", "reason")
    inlines = [ItemInline]
    readonly_fields = (
        "person",
        "successor",
        "at",
        "by",
        "reason",
        "kind",
        "cases",
        "linkage_calls",
        "alerts",
        "equipment",
        "roles",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
