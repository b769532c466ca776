"""Changes to the territory: grids and outlines, one at a time or as a whole GeoJSON file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils.translation import gettext
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

from wangge.core import audit
from wangge.core.errors import DomainError
from wangge.core.geo import (
    Areal,
    area_km2,
    area_m2,
    from_geojson,
    parse_areal,
    to_geojson,
    where,
)
from wangge.org import locate
from wangge.org.models import Community, Grid, Subdistrict
from wangge.org.partition import significant_pieces

Actor = AbstractBaseUser | AnonymousUser | None

GRID_CODE = re.compile(r"^\d{15}$")


def _km2(geom: BaseGeometry) -> Decimal:
    return Decimal(str(round(area_km2(geom), 4)))


def validate_grid_code(code: Any, community: Community | None, *, field: str = "code") -> str:
    """A grid code: 15 digits whose first 12 are the community's code."""
    if not isinstance(code, str) or not GRID_CODE.match(code):
        raise DomainError(
            gettext(
                "grid code %(code)s must be exactly 15 digits: district (6) + subdistrict (3)"
                " + community (3) + grid sequence (3)"
            )
            % {"code": repr(code)},
            field=field,
        )
    if code.endswith("000"):
        raise DomainError(
            gettext("grid code %(code)s: the grid sequence starts at 001") % {"code": code},
            field=field,
        )
    if community is not None and not code.startswith(community.full_code):
        raise DomainError(
            gettext("grid code %(code)s does not start with the code of %(community)s (%(prefix)s)")
            % {"code": code, "community": community.name, "prefix": community.full_code},
            field=field,
        )
    return code


def overlap_text(other_code: str, other_name: str, piece: BaseGeometry) -> str:
    pt = where(piece)
    return gettext("overlaps grid %(code)s %(name)s by %(area)s m² near (%(lon)s, %(lat)s)") % {
        "code": other_code,
        "name": other_name,
        "area": f"{area_m2(piece):,.1f}",
        "lon": pt["lon"],
        "lat": pt["lat"],
    }


def find_overlaps(
    geom: BaseGeometry, others: list[tuple[str, str, BaseGeometry]], tree: STRtree | None = None
) -> list[tuple[int, BaseGeometry]]:
    """(index into ``others``, shared piece) for each other grid sharing more than the tolerance."""
    tree = tree or STRtree([g for _, _, g in others])
    found = []
    for j in sorted(int(j) for j in tree.query(geom, predicate="intersects")):
        for piece in significant_pieces(geom.intersection(others[j][2])):
            found.append((j, piece))
            break
    return found


def grid_check(*, community: Community, code: str, name: str, geometry: Any) -> Areal:
    """Everything grid_save refuses, without writing: bad code, name, geometry, overlaps."""
    validate_grid_code(code, community)
    name = (name or "").strip()
    if not name:
        raise DomainError(gettext("a grid needs a name"), field="name")
    geom = parse_areal(geometry)
    others = [
        (g.code, g.name, from_geojson(g.geometry))
        for g in Grid.objects.exclude(code=code).filter(
            community__subdistrict=community.subdistrict, geometry__isnull=False
        )
    ]
    for j, piece in find_overlaps(geom, others)[:1]:
        other_code, other_name, _ = others[j]
        raise DomainError(
            gettext("grid %(code)s %(overlap)s")
            % {"code": code, "overlap": overlap_text(other_code, other_name, piece)},
            field="geometry",
        )
    return geom


@transaction.atomic
def grid_save(
    *,
    community: Community,
    code: str,
    name: str,
    geometry: dict[str, Any],
    properties: dict[str, Any] | None = None,
    actor: Actor = None,
) -> Grid:
    """Create or update one grid (by code), refusing bad codes, bad geometry and overlaps."""
    geom = grid_check(community=community, code=code, name=name, geometry=geometry)
    name = name.strip()
    grid, created = Grid.objects.update_or_create(
        code=code,
        defaults={
            "community": community,
            "name": name,
            "geometry": to_geojson(geom),
            "area_km2": _km2(geom),
            "properties": properties or {},
        },
    )
    audit.record(
        actor=actor,
        action="grid.create" if created else "grid.update",
        object_type="grid",
        object_id=grid.code,
        summary=f"{grid.code} {grid.name}",
    )
    locate.invalidate()  # this process sees its own change at once…
    transaction.on_commit(locate.invalidate)  # …and again once it is committed
    return grid


@transaction.atomic
def subdistrict_set_outline(
    *, subdistrict: Subdistrict, geometry: dict[str, Any], actor: Actor = None
) -> Subdistrict:
    geom = parse_areal(geometry)
    subdistrict.geometry = to_geojson(geom)
    subdistrict.area_km2 = _km2(geom)
    subdistrict.save(update_fields=["geometry", "area_km2", "updated_at"])
    audit.record(
        actor=actor,
        action="subdistrict.outline",
        object_type="subdistrict",
        object_id=subdistrict.full_code,
        summary=f"{subdistrict.name}: {subdistrict.area_km2} km²",
    )
    return subdistrict


# ---------------------------------------------------------------------------------------------
# GeoJSON import and export


@dataclass(frozen=True)
class ParsedFeature:
    index: int
    code: str
    name: str
    community: Community
    geom: Areal
    extra: dict[str, Any]


@dataclass(frozen=True)
class ImportResult:
    created: list[str]
    updated: list[str]

    @property
    def count(self) -> int:
        return len(self.created) + len(self.updated)


class ImportError_(DomainError):
    """The file was refused; ``errors`` lists every problem found, each naming its feature."""

    def __init__(self, errors: list[DomainError]) -> None:
        first = errors[0]
        more = (
            gettext(" (and %(n)s more problem(s))") % {"n": len(errors) - 1}
            if len(errors) > 1
            else ""
        )
        super().__init__(first.message + more, field=first.field, code="import_refused")
        self.errors = errors


# Properties the import reads itself, and those the export derives (not kept as extras).
IMPORTED_OR_DERIVED = frozenset({"code", "name", "community", "community_name", "area_km2"})


def _feature_label(index: int, props: dict[str, Any]) -> str:
    code = props.get("code")
    name = props.get("name")
    bits = [gettext("feature #%(n)s") % {"n": index + 1}]
    if code:
        bits.append(str(code))
    if name:
        bits.append(str(name))
    return " ".join(bits)


def _find_community(value: Any, communities: list[Community], code: str) -> Community | None:
    """The ``community`` property may be the community's 12-digit code or its name."""
    value = str(value).strip()
    matches = [c for c in communities if value in (c.full_code, c.name)]
    if len(matches) > 1:
        # The same name in two subdistricts: the grid code's prefix decides.
        matches = [c for c in matches if code.startswith(c.full_code)]
    return matches[0] if len(matches) == 1 else None


def parse_feature_collection(data: Any) -> list[ParsedFeature]:
    """Validate a whole FeatureCollection; raise ImportError_ listing every bad feature."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise DomainError(gettext("the file must be a GeoJSON FeatureCollection"), field="type")
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise DomainError(gettext("the FeatureCollection has no features"), field="features")
    communities = list(Community.objects.select_related("subdistrict__district"))
    errors: list[DomainError] = []
    parsed: list[ParsedFeature] = []
    seen: dict[str, int] = {}
    for i, feature in enumerate(features):
        field = f"features[{i}]"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors.append(
                DomainError(
                    gettext("feature #%(n)s: not a GeoJSON Feature") % {"n": i + 1}, field=field
                )
            )
            continue
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            errors.append(
                DomainError(
                    gettext("feature #%(n)s: properties must be an object") % {"n": i + 1},
                    field=field,
                )
            )
            continue
        label = _feature_label(i, props)
        try:
            code = validate_grid_code(props.get("code"), None, field=f"{field}.properties.code")
        except DomainError as exc:
            errors.append(DomainError(f"{label}: {exc.message}", field=exc.field))
            continue
        if code in seen:
            errors.append(
                DomainError(
                    gettext("%(label)s: duplicate grid code %(code)s (also feature #%(other)s)")
                    % {"label": label, "code": code, "other": seen[code] + 1},
                    field=f"{field}.properties.code",
                )
            )
            continue
        seen[code] = i
        name = str(props.get("name") or "").strip()
        if not name:
            errors.append(
                DomainError(
                    gettext("%(label)s: the name is missing") % {"label": label},
                    field=f"{field}.properties.name",
                )
            )
            continue
        if props.get("community") in (None, ""):
            errors.append(
                DomainError(
                    gettext("%(label)s: the community is missing") % {"label": label},
                    field=f"{field}.properties.community",
                )
            )
            continue
        community = _find_community(props["community"], communities, code)
        if community is None:
            errors.append(
                DomainError(
                    gettext("%(label)s: unknown community %(community)s")
                    % {"label": label, "community": repr(props["community"])},
                    field=f"{field}.properties.community",
                )
            )
            continue
        try:
            validate_grid_code(code, community, field=f"{field}.properties.code")
            geom = parse_areal(feature.get("geometry"), field=f"{field}.geometry")
        except DomainError as exc:
            errors.append(DomainError(f"{label}: {exc.message}", field=exc.field))
            continue
        extra = {k: v for k, v in props.items() if k not in IMPORTED_OR_DERIVED}
        parsed.append(ParsedFeature(i, code, name, community, geom, extra))

    # Overlaps among the file's grids, and with stored grids the file does not replace.
    if not errors:
        codes = {p.code for p in parsed}
        existing = [
            (g.code, g.name, from_geojson(g.geometry))
            for g in Grid.objects.exclude(code__in=codes).filter(geometry__isnull=False)
        ]
        pool: list[tuple[str, str, BaseGeometry]] = existing + [
            (p.code, p.name, p.geom) for p in parsed
        ]
        tree = STRtree([g for _, _, g in pool])
        offset = len(existing)
        for k, p in enumerate(parsed):
            for j, piece in find_overlaps(p.geom, pool, tree):
                if j >= offset and j - offset <= k:
                    continue  # each pair within the file once, and never with itself
                label = _feature_label(p.index, {"code": p.code, "name": p.name})
                errors.append(
                    DomainError(
                        f"{label}: {overlap_text(pool[j][0], pool[j][1], piece)}",
                        field=f"features[{p.index}].geometry",
                    )
                )
    if errors:
        raise ImportError_(errors)
    return parsed


@transaction.atomic
def grids_import(data: Any, *, actor: Actor = None) -> ImportResult:
    """Import grids from a FeatureCollection: all features or none."""
    parsed = parse_feature_collection(data)
    existing = set(
        Grid.objects.filter(code__in=[p.code for p in parsed]).values_list("code", flat=True)
    )
    for p in parsed:
        Grid.objects.update_or_create(
            code=p.code,
            defaults={
                "community": p.community,
                "name": p.name,
                "geometry": to_geojson(p.geom),
                "area_km2": _km2(p.geom),
                "properties": p.extra,
            },
        )
    result = ImportResult(
        created=[p.code for p in parsed if p.code not in existing],
        updated=[p.code for p in parsed if p.code in existing],
    )
    audit.record(
        actor=actor,
        action="grids.import",
        object_type="grid",
        summary=f"imported {result.count} grids ({len(result.created)} new)",
        data={"created": result.created, "updated": result.updated},
    )
    locate.invalidate()  # this process sees its own change at once…
    transaction.on_commit(locate.invalidate)  # …and again once it is committed
    return result


def grids_export(grids: Any) -> dict[str, Any]:
    """A FeatureCollection of the given grids (a queryset from org.selectors)."""
    features = []
    for grid in grids.select_related("community__subdistrict__district"):
        if not grid.geometry:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": grid.geometry,
                "properties": {
                    **grid.properties,
                    "code": grid.code,
                    "name": grid.name,
                    "community": grid.community.full_code,
                    "community_name": grid.community.name,
                    "area_km2": float(grid.area_km2) if grid.area_km2 is not None else None,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
