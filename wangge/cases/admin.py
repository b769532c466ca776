"""The admin for the cases' data.

Editable here: the taxonomy (categories with their 立案结案标准) and the numbers the workflow
reads (tiers → leader level, step time limits, working hours, holidays and adjusted working
days). Cases and everything hanging off them (events, instructions, meetings, oversight orders)
are read-only: they change only through services.act, which checks the workflow and logs an
event; an edit here would bypass both.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangge.cases.models import (
    CalendarDay,
    Case,
    CaseEvent,
    CaseStatus,
    Category,
    Instruction,
    JointMeeting,
    Oversight,
    OversightReply,
    StepLimit,
    TierRule,
    WorkPeriod,
)
from wangge.cases.templatetags.cases import action_label, status_label


class ReadOnlyMixin:
    """View only: no add, no change, no delete (the workflow is the only writer)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "major_name",
        "kind",
        "time_limit",
        "time_unit",
        "urgency",
        "default_target",
        "duty_role",
        "official",
        "active",
    ]
    list_filter = ["kind", "active", "official", "time_unit", "default_target", "major_name"]
    search_fields = ["code", "name", "major_name", "keywords"]
    list_editable = ["active"]


class EventLabelsMixin:
    """An event's action and states by their names in the reader's language, not their codes."""

    @admin.display(description=_("action"), ordering="action")
    def action_name(self, obj: CaseEvent) -> str:
        return action_label(obj.action)

    @admin.display(description=pgettext_lazy("status", "from"), ordering="from_status")
    def from_state(self, obj: CaseEvent) -> str:
        return status_label(obj.from_status) or "—"

    @admin.display(description=pgettext_lazy("status", "to"), ordering="to_status")
    def to_state(self, obj: CaseEvent) -> str:
        return status_label(obj.to_status)


class EventActionFilter(admin.SimpleListFilter):
    title = _("action")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        actions = CaseEvent.objects.values_list("action", flat=True).distinct().order_by("action")
        return [(a, action_label(a)) for a in actions]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(action=self.value()) if self.value() else queryset


class EventToStatusFilter(admin.SimpleListFilter):
    title = pgettext_lazy("status", "to")
    parameter_name = "to_status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(v), str(label)) for v, label in CaseStatus.choices]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(to_status=self.value()) if self.value() else queryset


class CaseEventInline(EventLabelsMixin, ReadOnlyMixin, admin.TabularInline):
    model = CaseEvent
    fields = ("at", "actor", "action_name", "from_state", "to_state", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["at", "id"]


@admin.register(Case)
class CaseAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "number",
        "reported_at",
        "status",
        "category",
        "grid",
        "tier",
        "urgency",
        "handling_due_at",
        "rework_count",
        "is_key",
    ]
    list_filter = ["status", "source", "tier", "urgency", "is_key", "community"]
    search_fields = ["number", "description", "address"]
    date_hierarchy = "reported_at"
    list_select_related = ["category", "grid"]
    inlines = [CaseEventInline]


@admin.register(CaseEvent)
class CaseEventAdmin(EventLabelsMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["case", "at", "action_name", "from_state", "to_state", "actor"]
    fields = ("case", "at", "actor", "action_name", "from_state", "to_state", "comment", "data")
    readonly_fields = fields
    list_filter = [EventActionFilter, EventToStatusFilter]
    search_fields = ["case__number", "comment"]
    list_select_related = ["case", "actor"]
    date_hierarchy = "at"


@admin.register(TierRule)
class TierRuleAdmin(admin.ModelAdmin):
    list_display = ["tier", "name", "leader_level", "closed_loop"]


@admin.register(StepLimit)
class StepLimitAdmin(admin.ModelAdmin):
    list_display = ["step", "hours"]


@admin.register(WorkPeriod)
class WorkPeriodAdmin(admin.ModelAdmin):
    list_display = ["start", "end"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"


class OversightReplyInline(ReadOnlyMixin, admin.TabularInline):
    model = OversightReply
    fields = ("at", "by", "text")
    readonly_fields = fields
    extra = 0


@admin.register(Oversight)
class OversightAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["case", "unit", "deadline", "closed_at", "ordered_by"]
    list_filter = ["closed_at"]
    search_fields = ["case__number", "demand"]
    list_select_related = ["case", "unit", "ordered_by"]
    inlines = [OversightReplyInline]


@admin.register(Instruction)
class InstructionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["case", "leader_post", "by", "at"]
    search_fields = ["case__number", "text"]
    list_select_related = ["case", "leader_post", "by"]


@admin.register(JointMeeting)
class JointMeetingAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["case", "date", "recorded_by"]
    search_fields = ["case__number", "attendees", "decisions"]
    list_select_related = ["case", "recorded_by"]
