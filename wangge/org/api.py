"""The org API: the organisation tree, grids as GeoJSON, locate.

Every read goes through the territory selectors in org.selectors. org knows nothing of people,
so endpoints that need people (rosters, the right to import) live in wangge/web/api.py.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from wangge.core.schemas import errors
from wangge.org import selectors, services
from wangge.org.locate import locate as locate_point
from wangge.org.schemas import (
    GridCollection,
    GridFilter,
    LocateOut,
    OrgTreeOut,
    org_tree_out,
)
from wangge.org.territory import request_territory

router = Router(tags=["org"])


@router.get("/org/tree", response={200: OrgTreeOut, **errors(401)})
def org_tree(request: HttpRequest) -> dict[str, Any]:
    """Districts → subdistricts → communities → grids, with centres and handling units."""
    return org_tree_out(selectors.org_tree(request_territory(request)))


@router.get("/grids", response={200: GridCollection, **errors(401, 422)})
def grids(request: HttpRequest, filters: Query[GridFilter]) -> dict[str, Any]:
    """The visible grids as a GeoJSON FeatureCollection (``?community=`` a 12-digit code)."""
    return services.grids_export(
        filters.filter(selectors.grids_visible(request_territory(request)))
    )


@router.get("/locate", response={200: LocateOut, **errors(400, 401, 404, 422)})
def locate(request: HttpRequest, lon: str, lat: str) -> dict[str, Any]:
    """Point → grid → community → subdistrict (WGS84, longitude first).

    Not scoped by territory: anyone may ask whose ground a point is on. lon and lat are taken
    as text so that core.geo.parse_point says what is wrong (not a number, out of range, swapped).
    """
    return locate_point(lon, lat).as_dict()
