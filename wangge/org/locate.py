"""Point → grid → community → subdistrict (属地管理: the grid a point lies in decides who answers).

An STRtree over the grid polygons answers each lookup. The index is rebuilt when the grids
change: services drop it in the process that changed them, and every process compares its key
(number of grids, latest update) with the database at most once a second, so a change made
by another process shows within a second without a query on every lookup.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import shapely
from django.db.models import Count, Max
from django.utils.translation import gettext
from shapely import STRtree
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from wangge.core.errors import DomainError
from wangge.core.geo import from_geojson, parse_point
from wangge.org.models import Grid


class OutsideJurisdiction(DomainError):
    status = 404

    def __init__(self, point: Point) -> None:
        super().__init__(
            gettext("the point (%(lon)s, %(lat)s) is outside the jurisdiction: it lies in no grid")
            % {"lon": f"{point.x:.6f}", "lat": f"{point.y:.6f}"},
            field="lon",
            code="outside_jurisdiction",
        )


@dataclass(frozen=True)
class Located:
    grid: Grid

    def as_dict(self) -> dict[str, dict[str, str]]:
        community = self.grid.community
        subdistrict = community.subdistrict
        return {
            "grid": {"code": self.grid.code, "name": self.grid.name},
            "community": {"code": community.full_code, "name": community.name},
            "subdistrict": {"code": subdistrict.full_code, "name": subdistrict.name},
        }


@dataclass
class _Index:
    key: tuple[int, datetime | None]
    tree: STRtree
    geoms: list[BaseGeometry]
    grid_ids: list[int]
    codes: list[str]


RECHECK_SECONDS = 1.0

_lock = threading.Lock()
_index: _Index | None = None
_checked_at = 0.0


def _current_key() -> tuple[int, datetime | None]:
    agg = Grid.objects.filter(geometry__isnull=False).aggregate(
        n=Count("id"), last=Max("updated_at")
    )
    return (agg["n"], agg["last"])


def _build(key: tuple[int, datetime | None]) -> _Index:
    rows = list(
        Grid.objects.filter(geometry__isnull=False)
        .order_by("code")
        .values_list("id", "code", "geometry")
    )
    geoms = [from_geojson(g) for _, _, g in rows]
    for g in geoms:
        shapely.prepare(g)
    return _Index(
        key=key,
        tree=STRtree(geoms),
        geoms=geoms,
        grid_ids=[r[0] for r in rows],
        codes=[r[1] for r in rows],
    )


def _get_index() -> _Index:
    global _index, _checked_at
    idx = _index
    now = time.monotonic()
    if idx is not None and now - _checked_at < RECHECK_SECONDS:
        return idx
    key = _current_key()
    with _lock:
        if _index is None or _index.key != key:
            _index = _build(key)
        _checked_at = now
        return _index


def invalidate() -> None:
    """Drop the cached index (the next lookup rebuilds it); services call this after changes."""
    global _index
    with _lock:
        _index = None


def grid_id_at(point: Point) -> int | None:
    idx = _get_index()
    candidates = [int(i) for i in idx.tree.query(point, predicate="intersects")]
    if not candidates:
        return None
    # A point on a shared edge touches several grids: the lowest grid code wins, every time.
    best = min(candidates, key=lambda i: idx.codes[i])
    return idx.grid_ids[best]


def locate_point(point: Point) -> Located:
    grid_id = grid_id_at(point)
    if grid_id is None:
        raise OutsideJurisdiction(point)
    grid = Grid.objects.with_org().get(pk=grid_id)
    return Located(grid=grid)


def locate(lon: Any, lat: Any) -> Located:
    """Validate a WGS84 lon/lat pair and find its grid; OutsideJurisdiction if none."""
    return locate_point(parse_point(lon, lat))
