from __future__ import annotations

from django.contrib import admin

from wangge.leaders.models import CoordinationMeeting, FollowUp, Inspection


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    raw_id_fields = ["owner", "done_by"]
    fields = ["action", "owner", "due_date", "status", "done_at", "done_note"]


@admin.register(CoordinationMeeting)
class CoordinationMeetingAdmin(admin.ModelAdmin):
    list_display = ["at", "topic", "leader", "place", "created_by"]
    search_fields = ["topic", "decisions", "minutes", "place"]
    date_hierarchy = "at"
    raw_id_fields = ["leader", "created_by"]
    filter_horizontal = ["attendees"]
    inlines = [FollowUpInline]
    list_select_related = ["leader__person", "created_by"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["action", "owner", "due_date", "status", "done_at", "meeting"]
    list_filter = ["status"]
    search_fields = ["action", "owner__name", "meeting__topic"]
    date_hierarchy = "due_date"
    raw_id_fields = ["meeting", "owner", "done_by"]
    list_select_related = ["owner", "meeting"]


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["at", "person", "role", "grid", "finding", "inspector", "inspector_post"]
    list_filter = ["finding", "role"]
    search_fields = ["person__name", "note", "place", "grid__name"]
    date_hierarchy = "at"
    raw_id_fields = ["person", "grid_role", "grid", "inspector", "inspector_post", "created_by"]
    list_select_related = ["person", "grid", "inspector", "inspector_post"]
