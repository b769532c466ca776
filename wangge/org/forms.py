"""Admin forms for the territory: geometry as GeoJSON text, validated by the services."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.core.errors import DomainError
from wangge.core.geo import parse_areal
from wangge.org.models import Grid, Subdistrict
from wangge.org.services import grid_check


class GeoJSONTextarea(forms.Textarea):
    """Pretty-prints stored GeoJSON so a person can read and edit it."""

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return value
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False, indent=1)


def _geometry_field(required: bool) -> forms.JSONField:
    return forms.JSONField(
        label=_("geometry (GeoJSON)"),
        required=required,
        widget=GeoJSONTextarea(attrs={"rows": 12, "cols": 80, "class": "vLargeTextField"}),
        help_text=_(
            "A GeoJSON Polygon or MultiPolygon in WGS84 longitude/latitude, e.g. "
            '{"type": "Polygon", "coordinates": [[[102.84, 24.87], …]]}.'
        ),
    )


class GridAdminForm(forms.ModelForm):
    """A grid edited in the admin: org.services.grid_check refuses exactly what grid_save
    would (bad code, bad polygon, overlap), as a form error; the admin then saves through
    grid_save."""

    geometry = _geometry_field(required=True)

    class Meta:
        model = Grid
        fields = ["community", "code", "name", "geometry", "properties"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        community = data.get("community")
        code = data.get("code") or self.instance.code
        if community is None or not code or self.errors:
            return data
        try:
            grid_check(
                community=community,
                code=code,
                name=data.get("name") or "",
                geometry=data["geometry"],
            )
        except DomainError as exc:
            field = exc.field if exc.field in self.fields else None
            self.add_error(field, exc.message)
        return data


class SubdistrictAdminForm(forms.ModelForm):
    """A subdistrict with its outline as GeoJSON text, checked by the same parser the service
    (org.services.subdistrict_set_outline) uses, which the admin then calls to store it."""

    geometry = _geometry_field(required=False)

    class Meta:
        model = Subdistrict
        fields = ["district", "code", "name", "built_up_km2", "geometry"]

    def clean_geometry(self) -> Any:
        value = self.cleaned_data.get("geometry")
        if value in (None, "", {}):
            return None
        try:
            parse_areal(value)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None
        return value


class GridImportForm(forms.Form):
    file = forms.FileField(
        label=_("GeoJSON file"),
        help_text=_(
            "A FeatureCollection whose features have the properties code, name and community."
        ),
    )

    MAX_BYTES = 20 * 1024 * 1024

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        try:
            return json.loads(upload.read().decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise forms.ValidationError(
                _("The file is not valid JSON: %(error)s"), params={"error": exc}
            ) from None
