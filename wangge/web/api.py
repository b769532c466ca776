"""API endpoints that combine apps: a grid with its people, the partition check, the import.

They live here because org may not import people (rosters, the right to change master data).
Route order matters: /grids/check and /grids/import are declared before /grids/{code}, so
neither fixed path is read as a grid code (org's router holds only /grids itself).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from wangge.core.errors import DomainError
from wangge.core.schemas import errors
from wangge.org import services as org_services
from wangge.org.schemas import IMPORT_BODY, ImportOut, Ref, km2
from wangge.org.selectors import grid_get, grids_visible
from wangge.org.territory import request_territory
from wangge.people.permissions import require_master_data
from wangge.people.schemas import (
    LeaderOut,
    RosterGroup,
    StaffingOut,
    leader_out,
    roster_out,
    staffing_out,
)
from wangge.people.selectors import leaders_for_grid, roster, staffing
from wangge.web.checks import partition_reports

router = Router(tags=["grids"])


class CheckOut(Schema):
    ok: bool
    subdistricts: list[dict[str, Any]]


class GridDetailOut(Schema):
    code: str
    name: str
    area_km2: float | None
    community: Ref
    subdistrict: Ref
    properties: dict[str, Any]
    geometry: dict[str, Any] | None
    roster: list[RosterGroup]
    staffing: list[StaffingOut]
    leaders: list[LeaderOut]


@router.get("/grids/check", response={200: CheckOut, **errors(401)})
def grids_check(request: HttpRequest) -> dict[str, Any]:
    """The partition check of each visible subdistrict: invalid polygons, overlaps, gaps,
    grids outside the outline, and the workload spread (a ratio is null when a minimum is 0).
    ``ok`` is true when no subdistrict has a problem."""
    reports = partition_reports(request_territory(request))
    return {
        "ok": all(r.ok for r in reports),
        "subdistricts": [r.as_dict() for r in reports],
    }


@router.post(
    "/grids/import",
    response={200: ImportOut, **errors(400, 401, 403)},
    openapi_extra=IMPORT_BODY,
)
def grids_import(request: HttpRequest) -> dict[str, Any]:
    """Import a GeoJSON FeatureCollection: every feature is checked first and one bad feature
    refuses the file (400, ``errors`` lists every problem); nothing is written then."""
    require_master_data(request.user)
    # The raw body goes to the service, which names each bad feature better than a schema would.
    try:
        data = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DomainError(f"the body is not valid JSON: {exc}", field="body") from None
    result = org_services.grids_import(data, actor=request.user)
    return {"count": result.count, "created": result.created, "updated": result.updated}


@router.get("/grids/{code}", response={200: GridDetailOut, **errors(401, 404)})
def grid_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    """One grid with today's roster by role, its staffing against the standard, and the chain
    of grid leaders over it."""
    territory = request_territory(request)
    grid = grid_get(territory, code)
    community = grid.community
    return {
        "code": grid.code,
        "name": grid.name,
        "area_km2": km2(grid.area_km2),
        "community": {"code": community.full_code, "name": community.name},
        "subdistrict": {"code": grid.subdistrict.full_code, "name": grid.subdistrict.name},
        "properties": grid.properties,
        "geometry": grid.geometry,
        "roster": roster_out(list(roster(grid))),
        "staffing": staffing_out(staffing(grids_visible(territory).filter(pk=grid.pk))[grid.pk]),
        "leaders": [leader_out(p) for p in leaders_for_grid(grid)],
    }
