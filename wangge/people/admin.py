"""The admin for people, their roles in the grids, the staffing standard and leader posts."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.core.errors import DomainError
from wangge.people.models import ApiToken, GridRole, LeaderPost, Person, StaffingStandard
from wangge.people.services import token_create


class GridRoleInline(admin.TabularInline):
    model = GridRole
    extra = 0
    fields = ["grid", "role", "start_date", "end_date"]
    autocomplete_fields = ["grid"]
    # History is kept, not overwritten: end an assignment with an end date instead of deleting it.
    can_delete = False


class CurrentlyActiveFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("active", _("Active")), ("left", _("Left"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        active = Person.objects.active_on(timezone.localdate()).values("pk")
        if self.value() == "active":
            return queryset.filter(pk__in=active)
        if self.value() == "left":
            return queryset.exclude(pk__in=active)
        return queryset


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "employment", "title", "start_date", "end_date", "user"]
    list_filter = [CurrentlyActiveFilter, "employment", "roles__role", "roles__grid__community"]
    search_fields = ["name", "phone", "external_key", "user__username"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    inlines = [GridRoleInline]
    fieldsets = [
        (None, {"fields": ["name", "phone", "employment", "title", "start_date", "end_date"]}),
        (_("Where they work"), {"fields": ["center", "workstation", "handling_unit"]}),
        (_("Login and other systems"), {"fields": ["user", "external_key"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        # roles__ list filters join the roles: one row per person all the same.
        return super().get_queryset(request).distinct()


@admin.register(GridRole)
class GridRoleAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "grid", "start_date", "end_date"]
    list_filter = ["role", "grid__community", "end_date"]
    search_fields = ["person__name", "grid__name", "grid__code"]
    list_select_related = ["person", "grid"]
    autocomplete_fields = ["person", "grid"]
    date_hierarchy = "start_date"


@admin.register(StaffingStandard)
class StaffingStandardAdmin(admin.ModelAdmin):
    list_display = ["role", "per_grid", "duties_excerpt"]
    list_editable = ["per_grid"]
    fields = ["role", "per_grid", "duties"]

    @admin.display(description=_("duties"))
    def duties_excerpt(self, obj: StaffingStandard) -> str:
        return obj.duties if len(obj.duties) <= 40 else obj.duties[:40] + "…"


@admin.register(LeaderPost)
class LeaderPostAdmin(admin.ModelAdmin):
    list_display = ["level", "title", "person", "district", "subdistrict", "community", "grid"]
    list_filter = ["level", "subdistrict", "community"]
    search_fields = ["title", "person__name"]
    list_select_related = ["person", "district", "subdistrict", "community", "grid"]
    autocomplete_fields = ["person", "grid"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are read-only here: only the hash is stored, so the key cannot be shown again.

    The "create token" action makes a new token for the selected tokens' users and shows its
    key once; `wangge token USERNAME` does the same from the command line.
    """

    list_display = ["user", "prefix", "label", "created_at", "last_used_at", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["user__username", "label", "prefix"]
    readonly_fields = ["user", "key_hash", "prefix", "label", "created_at", "last_used_at"]
    list_select_related = ["user"]
    actions = ["revoke", "create_token_for_users"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Revoke selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        n = queryset.update(revoked=True)
        self.message_user(request, _("%(n)d tokens revoked.") % {"n": n}, messages.SUCCESS)

    @admin.action(description=_("Create a new token for the selected tokens' users"))
    def create_token_for_users(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for user in {t.user for t in queryset.select_related("user")}:
            try:
                key = token_create(user=user, label=str(_("created in the admin")))
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                continue
            self.message_user(
                request,
                _("New token for %(user)s (shown only once): %(key)s")
                % {"user": user.get_username(), "key": key},
                messages.WARNING,
            )
