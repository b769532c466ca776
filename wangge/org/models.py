"""The territory: District → Subdistrict → Community → Grid, and the units that work on it."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from shapely.geometry.base import BaseGeometry

from wangge.core.geo import area_km2, from_geojson
from wangge.core.models import TimeStampedModel

six_digits = RegexValidator(r"^\d{6}$", _("Enter exactly 6 digits (GB/T 2260 code)."))
three_digits = RegexValidator(r"^\d{3}$", _("Enter exactly 3 digits."))
fifteen_digits = RegexValidator(r"^\d{15}$", _("A grid code has exactly 15 digits."))


class GeometryMixin(models.Model):
    """GeoJSON (WGS84) polygon geometry, validated by the services that write it."""

    geometry = models.JSONField(_("geometry"), null=True, blank=True)
    area_km2 = models.DecimalField(
        _("area (km²)"),
        max_digits=10,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Computed on the WGS84 ellipsoid from the geometry."),
    )

    class Meta:
        abstract = True

    @cached_property
    def shape(self) -> BaseGeometry | None:
        return from_geojson(self.geometry) if self.geometry else None

    @property
    def area(self) -> float | None:
        """Area in km²: the stored value, else computed from the shape.

        Rows written around the services (fixtures, old imports) have no stored area; computing
        it keeps the pages honest instead of showing a dash for a polygon that is there.
        """
        if self.area_km2 is not None:
            return float(self.area_km2)
        return round(area_km2(self.shape), 4) if self.shape is not None else None


class District(TimeStampedModel):
    code = models.CharField(_("code"), max_length=6, unique=True, validators=[six_digits])
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Subdistrict(GeometryMixin, TimeStampedModel):
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="subdistricts"
    )
    code = models.CharField(_("code"), max_length=3, validators=[three_digits])
    name = models.CharField(_("name"), max_length=100)
    built_up_km2 = models.DecimalField(
        _("built-up area (km²)"), max_digits=10, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("subdistrict")
        verbose_name_plural = _("subdistricts")
        ordering = ["district__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="subdistrict_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def full_code(self) -> str:
        """9 digits: district (6) + subdistrict (3)."""
        return f"{self.district.code}{self.code}"


class Community(TimeStampedModel):
    subdistrict = models.ForeignKey(
        Subdistrict,
        verbose_name=_("subdistrict"),
        on_delete=models.PROTECT,
        related_name="communities",
    )
    code = models.CharField(_("code"), max_length=3, validators=[three_digits])
    name = models.CharField(_("name"), max_length=100)
    color = models.CharField(
        _("map colour"),
        max_length=7,
        default="#3388ff",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour like #1f77b4."))],
    )

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["subdistrict__district__code", "subdistrict__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "code"], name="community_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def full_code(self) -> str:
        """12 digits: district (6) + subdistrict (3) + community (3)."""
        return f"{self.subdistrict.full_code}{self.code}"


class GridQuerySet(models.QuerySet["Grid"]):
    def with_org(self) -> GridQuerySet:
        return self.select_related("community__subdistrict__district")


class Grid(GeometryMixin, TimeStampedModel):
    """A base grid (基础网格): the smallest area of responsibility."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="grids"
    )
    code = models.CharField(
        _("grid code"),
        max_length=15,
        unique=True,
        validators=[fifteen_digits],
        help_text=_("District (6) + subdistrict (3) + community (3) + grid sequence (3)."),
    )
    name = models.CharField(_("name"), max_length=100)
    properties = models.JSONField(
        _("properties"),
        default=dict,
        blank=True,
        help_text=_("Extra GeoJSON properties kept from import (e.g. synthetic: true)."),
    )

    objects = GridQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def sequence(self) -> str:
        return self.code[-3:]

    @property
    def subdistrict(self) -> Subdistrict:
        return self.community.subdistrict

    def summary(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name}


class GridCenter(TimeStampedModel):
    """A grid command centre: the district's (区网格中心) or a subdistrict's handling centre."""

    class Level(models.TextChoices):
        DISTRICT = "district", _("district")
        SUBDISTRICT = "subdistrict", _("subdistrict")

    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="centers"
    )
    subdistrict = models.OneToOneField(
        Subdistrict,
        verbose_name=_("subdistrict"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="center",
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("grid centre")
        verbose_name_plural = _("grid centres")
        ordering = ["district__code", "level", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(level="district", subdistrict__isnull=True)
                    | models.Q(level="subdistrict", subdistrict__isnull=False)
                ),
                name="center_level_matches_unit",
            ),
            models.UniqueConstraint(
                fields=["district"],
                condition=models.Q(level="district"),
                name="one_district_center_per_district",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Workstation(TimeStampedModel):
    """A community's grid-management workstation (社区网格化管理工作站)."""

    community = models.OneToOneField(
        Community,
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="workstation",
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("workstation")
        verbose_name_plural = _("workstations")
        ordering = ["community__code"]

    def __str__(self) -> str:
        return self.name


class HandlingUnit(TimeStampedModel):
    """A unit that handles cases: a subdistrict office, a district department, a city-level unit."""

    class Level(models.TextChoices):
        SUBDISTRICT = "subdistrict", _("subdistrict office")
        DISTRICT = "district", _("district department")
        CITY = "city", _("city-level unit")

    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    name = models.CharField(_("name"), max_length=100)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="handling_units",
    )
    subdistrict = models.ForeignKey(
        Subdistrict,
        verbose_name=_("subdistrict"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offices",
    )
    duties = models.TextField(_("duties"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("handling unit")
        verbose_name_plural = _("handling units")
        ordering = ["level", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(level="subdistrict", subdistrict__isnull=False)
                    | (~models.Q(level="subdistrict") & models.Q(subdistrict__isnull=True))
                ),
                name="handling_unit_level_matches_subdistrict",
            ),
            models.UniqueConstraint(
                fields=["district", "subdistrict", "name"], name="handling_unit_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name
