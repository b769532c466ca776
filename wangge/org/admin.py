"""The admin for the organisation's master data.

Geometry is edited as GeoJSON text and goes through org.services (grid_save,
subdistrict_set_outline, grids_import), so the admin refuses exactly what the services refuse.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from wangge.core.errors import DomainError
from wangge.org.forms import GridAdminForm, GridImportForm, SubdistrictAdminForm
from wangge.org.models import (
    Community,
    District,
    Grid,
    GridCenter,
    HandlingUnit,
    Subdistrict,
    Workstation,
)
from wangge.org.services import (
    ImportError_,
    grid_save,
    grids_export,
    grids_import,
    subdistrict_set_outline,
)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Subdistrict)
class SubdistrictAdmin(admin.ModelAdmin):
    form = SubdistrictAdminForm
    list_display = ["name", "full_code", "district", "area_km2", "built_up_km2"]
    list_filter = ["district"]
    search_fields = ["code", "name"]
    readonly_fields = ["area_km2"]
    list_select_related = ["district"]

    @admin.display(description=_("code"))
    def full_code(self, obj: Subdistrict) -> str:
        return obj.full_code

    def save_model(self, request: HttpRequest, obj: Subdistrict, form: Any, change: bool) -> None:
        geometry = form.cleaned_data.get("geometry")
        # The outline and its area are written only by the service, in the admin's transaction.
        obj.geometry, obj.area_km2 = None, None
        super().save_model(request, obj, form, change)
        if geometry:
            subdistrict_set_outline(subdistrict=obj, geometry=geometry, actor=request.user)


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "full_code", "subdistrict", "color"]
    list_filter = ["subdistrict"]
    search_fields = ["code", "name"]
    list_select_related = ["subdistrict__district"]

    @admin.display(description=_("code"))
    def full_code(self, obj: Community) -> str:
        return obj.full_code


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin):
    form = GridAdminForm
    change_list_template = "admin/org/grid/change_list.html"
    list_display = ["code", "name", "community", "area_km2", "updated_at"]
    list_filter = ["community__subdistrict", "community"]
    search_fields = ["code", "name", "community__name"]
    list_select_related = ["community__subdistrict__district"]
    readonly_fields = ["area_km2"]
    actions = ["export_geojson"]

    def get_readonly_fields(self, request: HttpRequest, obj: Grid | None = None) -> Any:
        # The service saves by code: changing the code of a stored grid would make a second grid.
        if obj is not None:
            return [*self.readonly_fields, "code"]
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Grid, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = grid_save(
            community=data["community"],
            code=data.get("code") or obj.code,
            name=data["name"],
            geometry=data["geometry"],
            properties=data.get("properties") or {},
            actor=request.user,
        )
        # The admin logs the change and builds its redirect from obj: point it at the saved row.
        obj.pk = saved.pk
        obj.code = saved.code

    @admin.action(description=_("Export selected grids as GeoJSON"))
    def export_geojson(self, request: HttpRequest, queryset: QuerySet[Grid]) -> HttpResponse:
        body = json.dumps(grids_export(queryset), ensure_ascii=False, indent=1)
        response = HttpResponse(body, content_type="application/geo+json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="grids.geojson"'
        return response

    def get_urls(self) -> list[URLPattern]:
        extra = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="org_grid_import",
            ),
            path(
                "check/",
                self.admin_site.admin_view(self.check_view),
                name="org_grid_check",
            ),
        ]
        return extra + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        errors: list[DomainError] = []
        form = GridImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = grids_import(form.cleaned_data["file"], actor=request.user)
            except ImportError_ as exc:
                errors = exc.errors
            except DomainError as exc:
                errors = [exc]
            else:
                self.message_user(
                    request,
                    _("Imported %(count)d grids: %(created)d new, %(updated)d updated.")
                    % {
                        "count": result.count,
                        "created": len(result.created),
                        "updated": len(result.updated),
                    },
                    messages.SUCCESS,
                )
                return TemplateResponse(
                    request,
                    "admin/org/grid/import.html",
                    {
                        **self._context(request, _("Import grids from GeoJSON")),
                        "form": GridImportForm(),
                        "result": result,
                    },
                )
        return TemplateResponse(
            request,
            "admin/org/grid/import.html",
            {
                **self._context(request, _("Import grids from GeoJSON")),
                "form": form,
                "errors": errors,
            },
        )

    def check_view(self, request: HttpRequest) -> HttpResponse:
        # The check with each grid's staff is put together in wangge.web (org cannot count
        # people); the admin's button opens that page.
        return redirect("web:grid_check")

    def _context(self, request: HttpRequest, title: Any) -> dict[str, Any]:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
        }


@admin.register(GridCenter)
class GridCenterAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "district", "subdistrict"]
    list_filter = ["level", "district"]
    search_fields = ["name"]
    list_select_related = ["district", "subdistrict"]


@admin.register(Workstation)
class WorkstationAdmin(admin.ModelAdmin):
    list_display = ["name", "community"]
    list_filter = ["community__subdistrict"]
    search_fields = ["name", "community__name"]
    list_select_related = ["community"]


@admin.register(HandlingUnit)
class HandlingUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "district", "subdistrict", "active"]
    list_filter = ["level", "active", "district", "subdistrict"]
    search_fields = ["name", "duties"]
    list_select_related = ["district", "subdistrict"]
