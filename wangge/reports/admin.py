"""The reports' settings in the admin: the problem thresholds of the self-evaluation report."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from wangge.reports.models import ProblemThresholds


@admin.register(ProblemThresholds)
class ProblemThresholdsAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "max_turnover_rate",
        "max_temporary_share",
        "max_linkage_response_minutes",
        "max_overdue_rate",
        "max_open_post_days",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not ProblemThresholds.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
