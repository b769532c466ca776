"""Shapes of the org API, for validation and OpenAPI."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q
from ninja import FilterSchema, Schema
from pydantic import field_validator

from wangge.org.models import Community, District, HandlingUnit, Subdistrict
from wangge.org.selectors import community_code_q

# ---------------------------------------------------------------------------------------------
# Small shared pieces


class Ref(Schema):
    code: str
    name: str


def km2(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def reverse_one(obj: Model, attr: str) -> Any:
    """A reverse one-to-one that may be missing (a subdistrict without a centre) as None."""
    try:
        return getattr(obj, attr)
    except ObjectDoesNotExist:
        return None


COMMUNITY_CODE = re.compile(r"^\d{12}$")


def check_community_code(value: str | None) -> str | None:
    if value is not None and not COMMUNITY_CODE.match(value):
        raise ValueError(
            f"a community code has exactly 12 digits (district 6 + subdistrict 3 + community 3),"
            f" got {value!r}"
        )
    return value


# ---------------------------------------------------------------------------------------------
# The organisation tree


class GridNode(Schema):
    code: str
    name: str
    area_km2: float | None


class WorkstationOut(Schema):
    name: str


class CommunityNode(Schema):
    code: str
    name: str
    color: str
    workstation: WorkstationOut | None
    grids: list[GridNode]


class CentreOut(Schema):
    name: str
    level: str


class UnitOut(Schema):
    name: str
    level: str
    level_label: str
    active: bool


class SubdistrictNode(Schema):
    code: str
    name: str
    area_km2: float | None
    built_up_km2: float | None
    centre: CentreOut | None
    offices: list[UnitOut]
    communities: list[CommunityNode]


class DistrictNode(Schema):
    code: str
    name: str
    centres: list[CentreOut]
    handling_units: list[UnitOut]
    subdistricts: list[SubdistrictNode]


class OrgTreeOut(Schema):
    districts: list[DistrictNode]


def _unit(unit: HandlingUnit) -> dict[str, Any]:
    return {
        "name": unit.name,
        "level": unit.level,
        "level_label": str(unit.get_level_display()),
        "active": unit.active,
    }


def _community(community: Community) -> dict[str, Any]:
    workstation = reverse_one(community, "workstation")
    return {
        "code": community.full_code,
        "name": community.name,
        "color": community.color,
        "workstation": {"name": workstation.name} if workstation else None,
        "grids": [
            {"code": g.code, "name": g.name, "area_km2": km2(g.area_km2)}
            for g in community.visible_grids  # type: ignore[attr-defined]
        ],
    }


def _subdistrict(sub: Subdistrict) -> dict[str, Any]:
    centre = reverse_one(sub, "center")
    return {
        "code": sub.full_code,
        "name": sub.name,
        "area_km2": km2(sub.area_km2),
        "built_up_km2": km2(sub.built_up_km2),
        "centre": {"name": centre.name, "level": centre.level} if centre else None,
        "offices": [_unit(u) for u in sub.offices.all()],
        "communities": [_community(c) for c in sub.visible_communities],  # type: ignore[attr-defined]
    }


def org_tree_out(districts: list[District]) -> dict[str, Any]:
    """Render org.selectors.org_tree: subdistrict offices sit under their subdistrict."""
    return {
        "districts": [
            {
                "code": d.code,
                "name": d.name,
                "centres": [
                    {"name": c.name, "level": c.level}
                    for c in d.centers.all()
                    if c.subdistrict_id is None
                ],
                "handling_units": [
                    _unit(u) for u in d.handling_units.all() if u.subdistrict_id is None
                ],
                "subdistricts": [_subdistrict(s) for s in d.visible_subdistricts],  # type: ignore[attr-defined]
            }
            for d in districts
        ]
    }


# ---------------------------------------------------------------------------------------------
# Grids as GeoJSON


class GridFilter(FilterSchema):
    community: str | None = None

    _check_community = field_validator("community")(check_community_code)

    def filter_community(self, value: str | None) -> Q:
        return community_code_q(value, prefix="community__") if value else Q()


class GridFeature(Schema):
    type: Literal["Feature"]
    geometry: dict[str, Any]
    properties: dict[str, Any]


class GridCollection(Schema):
    type: Literal["FeatureCollection"]
    features: list[GridFeature]


class ImportOut(Schema):
    count: int
    created: list[str]
    updated: list[str]


# The request body is passed to the import service as it came, so that its messages (naming the
# feature and the problem) reach the user; this only documents it.
IMPORT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "A GeoJSON FeatureCollection; each feature's properties carry"
                    " code (15 digits), name and community (12-digit code or name).",
                    "required": ["type", "features"],
                    "properties": {
                        "type": {"type": "string", "enum": ["FeatureCollection"]},
                        "features": {"type": "array", "items": {"type": "object"}},
                    },
                }
            }
        },
    }
}


# ---------------------------------------------------------------------------------------------
# Locate


class LocateOut(Schema):
    grid: Ref
    community: Ref
    subdistrict: Ref
