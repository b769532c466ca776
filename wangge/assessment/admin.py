"""Admin of the assessment app: schemes and their indicators, the rules, the bonuses and bands.

Runs and scores are read-only here: they change only through the services (the pages and
``wangge assess``), so a published month stays a frozen snapshot.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from wangge.assessment.models import (
    AssessmentRun,
    CommunityBonus,
    Indicator,
    RunResult,
    Scheme,
    Score,
    WageBand,
    WageBase,
    YearEndResult,
    YearEndRule,
)
from wangge.assessment.services import scheme_check
from wangge.core.errors import DomainError


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fk_name = "scheme"
    extra = 0
    fields = [
        "order",
        "code",
        "name",
        "parent",
        "max_points",
        "kind",
        "source",
        "curve",
        "evidence_required",
        "description",
    ]


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "version",
        "subject",
        "role",
        "period",
        "total_points",
        "active",
    ]
    list_filter = ["subject", "period", "active"]
    list_editable = ["active"]
    inlines = [IndicatorInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        try:
            scheme_check(form.instance)
        except DomainError as exc:  # saved, but it will be refused when assessed: say so now
            messages.warning(request, exc.message)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AssessmentRun)
class AssessmentRunAdmin(ReadOnly):
    list_display = ["scheme", "period", "version", "status", "published_at", "reason"]
    list_filter = ["status", "scheme"]
    search_fields = ["period"]


@admin.register(Score)
class ScoreAdmin(ReadOnly):
    list_display = ["run", "subject_name", "indicator", "value", "points", "scored_by"]
    list_filter = ["run__period", "indicator__scheme"]
    search_fields = ["subject_name"]


@admin.register(RunResult)
class RunResultAdmin(ReadOnly):
    list_display = ["run", "rank", "subject_name", "total"]
    list_filter = ["run__period"]


@admin.register(YearEndResult)
class YearEndResultAdmin(ReadOnly):
    list_display = [
        "year",
        "rank",
        "community_name",
        "mean_total",
        "months",
        "rewarded",
        "deducted",
        "bonus",
        "deduction",
    ]
    list_filter = ["year"]


@admin.register(YearEndRule)
class YearEndRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "top_n", "bottom_n", "deduction_percent"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not YearEndRule.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CommunityBonus)
class CommunityBonusAdmin(admin.ModelAdmin):
    list_display = ["community", "year", "amount"]
    list_filter = ["year"]


@admin.register(WageBase)
class WageBaseAdmin(admin.ModelAdmin):
    list_display = ["role", "amount"]


@admin.register(WageBand)
class WageBandAdmin(admin.ModelAdmin):
    list_display = ["role", "min_score", "coefficient", "label"]
    list_filter = ["role"]
