"""Geometry helpers: validation of GeoJSON input, geodesic areas, points.

Geometry is stored as GeoJSON (WGS84 lon/lat) and handled with shapely. Areas are computed
on the WGS84 ellipsoid (pyproj.Geod), never in degrees².
"""

from __future__ import annotations

import json
import math
from typing import Any, TypeAlias

import shapely
from django.utils.translation import gettext
from pyproj import Geod
from shapely.geometry import MultiPolygon, Point, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from wangge.core.errors import DomainError

_GEOD = Geod(ellps="WGS84")

Areal: TypeAlias = Polygon | MultiPolygon


def area_m2(geom: BaseGeometry) -> float:
    """Geodesic area of a (multi)polygon in square metres."""
    if geom.is_empty:
        return 0.0
    area, _perimeter = _GEOD.geometry_area_perimeter(geom)
    return abs(area)


def is_noise(geom: BaseGeometry, *, min_area_m2: float, min_width_m: float) -> bool:
    """True for a piece too small or too thin to be a real gap or overlap.

    Two grids cut from the same line disagree in the last bits of their coordinates; along a
    5 km edge that leaves slivers of a square metre but a fraction of a millimetre wide. The
    mean width of a sliver is about 2 × area / perimeter.
    """
    if geom.is_empty:
        return True
    area, perimeter = _GEOD.geometry_area_perimeter(geom)
    area = abs(area)
    if area <= min_area_m2:
        return True
    return perimeter > 0 and 2 * area / perimeter < min_width_m


def area_km2(geom: BaseGeometry) -> float:
    return area_m2(geom) / 1_000_000


def where(geom: BaseGeometry) -> dict[str, float]:
    """A point inside the geometry, for telling a person where a problem is."""
    p = geom.representative_point() if not geom.is_empty else Point(0, 0)
    return {"lon": round(p.x, 6), "lat": round(p.y, 6)}


def parse_point(lon: Any, lat: Any) -> Point:
    """Validate a WGS84 longitude/latitude pair and return a shapely Point.

    Latitude outside ±90 with a longitude that would fit as a latitude is almost always a
    swapped pair; the message says so.
    """
    values: dict[str, float] = {}
    for name, raw in (("lon", lon), ("lat", lat)):
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise DomainError(
                gettext("%(name)s must be a number, got %(value)s")
                % {"name": name, "value": repr(raw)},
                field=name,
            ) from None
        if not math.isfinite(value):
            raise DomainError(
                gettext("%(name)s must be a finite number, got %(value)s")
                % {"name": name, "value": repr(raw)},
                field=name,
            )
        values[name] = value
    x, y = values["lon"], values["lat"]
    if not -90 <= y <= 90:
        if -90 <= x <= 90 and -180 <= y <= 180:
            message = gettext(
                "latitude %(lat)s is out of range -90..90; longitude and latitude look swapped"
                " (give lon first, then lat)"
            )
        else:
            message = gettext("latitude %(lat)s is out of range -90..90")
        raise DomainError(message % {"lat": y}, field="lat")
    if not -180 <= x <= 180:
        raise DomainError(
            gettext("longitude %(lon)s is out of range -180..180") % {"lon": x}, field="lon"
        )
    return Point(x, y)


def parse_areal(obj: Any, *, field: str = "geometry") -> Areal:
    """Validate a GeoJSON Polygon or MultiPolygon and return it as a shapely geometry."""
    if not isinstance(obj, dict):
        raise DomainError(gettext("geometry must be a GeoJSON object"), field=field)
    gtype = obj.get("type")
    if gtype not in ("Polygon", "MultiPolygon"):
        raise DomainError(
            gettext("geometry must be a Polygon or MultiPolygon, got %(type)s")
            % {"type": repr(gtype)},
            field=field,
        )
    coords = obj.get("coordinates")
    if not isinstance(coords, list | tuple) or not coords:
        raise DomainError(gettext("geometry has no coordinates"), field=field)
    rings = coords if gtype == "Polygon" else [ring for poly in coords for ring in poly]
    for ring in rings:
        if not isinstance(ring, list | tuple) or len(ring) < 4:
            raise DomainError(
                gettext("every polygon ring needs at least 4 positions (closed)"), field=field
            )
        for pos in ring:
            if (
                not isinstance(pos, list | tuple)
                or len(pos) < 2
                or not all(isinstance(v, int | float) and math.isfinite(v) for v in pos[:2])
            ):
                raise DomainError(
                    gettext("invalid position %(position)s") % {"position": repr(pos)},
                    field=field,
                )
            lon, lat = pos[0], pos[1]
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise DomainError(
                    gettext(
                        "position %(position)s is outside WGS84 longitude/latitude ranges"
                        " (are longitude and latitude swapped?)"
                    )
                    % {"position": repr(pos)},
                    field=field,
                )
        if list(ring[0][:2]) != list(ring[-1][:2]):
            raise DomainError(
                gettext("a polygon ring is not closed (first ≠ last position)"), field=field
            )
    try:
        geom = shape(obj)
    except Exception as exc:
        raise DomainError(
            gettext("geometry cannot be read: %(error)s") % {"error": exc}, field=field
        ) from None
    if geom.is_empty:
        raise DomainError(gettext("geometry is empty"), field=field)
    if not geom.is_valid:
        reason = explain_validity(geom)
        if "Self-intersection" in reason:
            message = gettext("self-intersecting geometry: %(reason)s")
        else:
            message = gettext("invalid geometry: %(reason)s")
        raise DomainError(message % {"reason": reason}, field=field)
    if area_m2(geom) <= 0:
        raise DomainError(gettext("geometry has no area"), field=field)
    assert isinstance(geom, Polygon | MultiPolygon)  # the type check above guarantees it
    return geom


def to_geojson(geom: BaseGeometry) -> dict[str, Any]:
    """GeoJSON with plain lists (what JSON storage and parse_areal expect)."""
    return json.loads(json.dumps(mapping(geom)))


def from_geojson(obj: Any) -> BaseGeometry:
    """Read stored (already validated) GeoJSON."""
    return shape(obj)


def polygons(geom: BaseGeometry) -> list[Polygon]:
    """The polygon parts of any geometry (intersections can yield lines and points too)."""
    return [g for g in shapely.get_parts(geom) if isinstance(g, Polygon) and not g.is_empty] + [
        p for g in shapely.get_parts(geom) if isinstance(g, MultiPolygon) for p in g.geoms
    ]
