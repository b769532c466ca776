"""The admin for duty: the rules (one row), the weekly roster, exceptions, sessions, pings."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from wangge.field.duty.models import (
    DutyDay,
    DutyRules,
    DutySession,
    Ping,
    Shift,
    ShiftException,
)


@admin.register(DutyRules)
class DutyRulesAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "ping_interval_s",
        "online_gap_s",
        "off_post_tolerance_m",
        "min_excursion_min",
        "missed_shift_share",
        "patrol_buffer_m",
        "max_batch",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not DutyRules.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = [
        "person",
        "grid",
        "role",
        "weekday",
        "start_time",
        "end_time",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["role", "weekday", "grid__community"]
    search_fields = ["person__name", "grid__name", "grid__code"]
    autocomplete_fields = ["person", "grid"]
    date_hierarchy = "valid_from"


@admin.register(ShiftException)
class ShiftExceptionAdmin(admin.ModelAdmin):
    list_display = ["person", "date", "kind", "start_time", "end_time", "reason"]
    list_filter = ["kind"]
    search_fields = ["person__name", "reason"]
    autocomplete_fields = ["person"]
    date_hierarchy = "date"


@admin.register(DutySession)
class DutySessionAdmin(admin.ModelAdmin):
    list_display = ["person", "grid", "role", "started_at", "ended_at"]
    list_filter = ["role", "grid__community"]
    search_fields = ["person__name", "grid__name", "client_id"]
    autocomplete_fields = ["person", "grid"]
    date_hierarchy = "started_at"


@admin.register(Ping)
class PingAdmin(admin.ModelAdmin):
    list_display = ["person", "at", "lon", "lat", "accuracy", "received_at"]
    search_fields = ["person__name", "client_id"]
    raw_id_fields = ["person"]
    date_hierarchy = "at"
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # pings come from the handhelds

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(DutyDay)
class DutyDayAdmin(admin.ModelAdmin):
    """Stored by the nightly job (and on demand): read-only here."""

    list_display = [
        "date",
        "person",
        "grid",
        "role",
        "on_duty_minutes",
        "online_minutes",
        "off_post_minutes",
        "planned_minutes",
        "missed_shifts",
        "distance_m",
        "coverage",
        "computed_at",
    ]
    list_filter = ["role", "grid__community"]
    search_fields = ["person__name"]
    raw_id_fields = ["person", "grid"]
    date_hierarchy = "date"
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
