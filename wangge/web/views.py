"""Pages. Each view parses the request, calls the selectors that own the data, and renders.

Every read goes through a territory-scoped selector with ``request.territory``, so a page never
shows a grid or a person outside the user's territory.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from wangge.core.errors import NotFound
from wangge.org.models import Community, Grid
from wangge.org.selectors import grid_get, grids_visible, org_tree
from wangge.org.territory import Territory
from wangge.people.selectors import (
    RoleStaffing,
    leaders_for_grid,
    persons_visible,
    roster,
    staff_counts,
    staffing,
)
from wangge.web.checks import partition_reports
from wangge.web.forms import PeopleFilterForm
from wangge.web.templatetags.wangge import area_of

PEOPLE_PER_PAGE = 25


def _territory(request: HttpRequest) -> Territory:
    return request.territory  # type: ignore[attr-defined]


def home(request: HttpRequest) -> HttpResponse:
    return redirect("web:map")


def _feature(grid: Grid, roles: list[RoleStaffing], staff: int) -> dict[str, Any] | None:
    """One grid as a GeoJSON Feature carrying what the map's label and popup show."""
    if not grid.geometry or grid.shape is None:
        return None
    # The label sits on a point inside the polygon, even for a concave grid.
    label = grid.shape.representative_point()
    return {
        "type": "Feature",
        "geometry": grid.geometry,
        "properties": {
            "code": grid.code,
            "name": grid.name,
            "community": grid.community.name,
            "color": grid.community.color,
            "area_km2": area_of(grid),
            "label": [label.y, label.x],
            "staff": staff,
            "roles": [
                {"role": str(rs.role.label), "actual": rs.actual, "required": rs.required}
                for rs in roles
            ],
            "url": reverse("web:grid", args=[grid.code]),
        },
    }


def _feature_collection(
    grids: list[Grid], roles: dict[int, list[RoleStaffing]], counts: dict[int, int]
) -> dict[str, Any]:
    features = [_feature(g, roles.get(g.pk, []), counts.get(g.pk, 0)) for g in grids]
    return {"type": "FeatureCollection", "features": [f for f in features if f is not None]}


@login_required
def map_view(request: HttpRequest) -> HttpResponse:
    visible = grids_visible(_territory(request))
    grids = list(visible)
    geojson = _feature_collection(grids, staffing(visible), staff_counts([g.pk for g in grids]))
    communities: dict[int, Community] = {}
    for grid in grids:
        communities.setdefault(grid.community_id, grid.community)
    return render(
        request,
        "web/map.html",
        {
            "grids_geojson": geojson,
            "communities": list(communities.values()),
            "grid_count": len(grids),
        },
    )


@login_required
def grid_detail(request: HttpRequest, code: str) -> HttpResponse:
    territory = _territory(request)
    try:
        grid = grid_get(territory, code)
    except NotFound as exc:
        raise Http404(exc.message) from None
    roles = staffing(grids_visible(territory).filter(pk=grid.pk)).get(grid.pk, [])
    on_roster = list(roster(grid))
    # One block per role, in the standard's order, with the people on today's roster in it.
    by_role = [
        {"staffing": rs, "assignments": [a for a in on_roster if a.role == rs.role.value]}
        for rs in roles
    ]
    total = len({a.person_id for a in on_roster})
    geojson = _feature_collection([grid], {grid.pk: roles}, {grid.pk: total})
    return render(
        request,
        "web/grid_detail.html",
        {
            "grid": grid,
            "by_role": by_role,
            "staff_total": total,
            "gaps": sum(max(rs.gap, 0) for rs in roles),
            "leaders": list(leaders_for_grid(grid)),
            "grids_geojson": geojson,
        },
    )


@login_required
def org_view(request: HttpRequest) -> HttpResponse:
    districts = org_tree(_territory(request))
    # org_tree prefetches into to_attr lists, which the models' types do not know about.
    communities: list[Any] = [
        c
        for d in districts
        for s in d.visible_subdistricts  # type: ignore[attr-defined]
        for c in s.visible_communities
    ]
    grid_ids = [g.pk for c in communities for g in c.visible_grids]
    return render(
        request,
        "web/org_tree.html",
        {"districts": districts, "staff": staff_counts(grid_ids)},
    )


@login_required
def people_view(request: HttpRequest) -> HttpResponse:
    territory = _territory(request)
    form = PeopleFilterForm(request.GET or None, territory=territory)
    people = form.apply(persons_visible(territory))
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    # htmx asks for the table alone when a filter changes; a plain request gets the whole page.
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "people-table":
        return render(request, "web/_people_table.html", context)
    return render(request, "web/people.html", context)


@login_required
def grid_check(request: HttpRequest) -> HttpResponse:
    return render(
        request, "web/grid_check.html", {"reports": partition_reports(_territory(request))}
    )
