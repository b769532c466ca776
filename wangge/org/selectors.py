"""Reads of the organisation tree, always scoped by a Territory."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from wangge.core.errors import NotFound
from wangge.org.models import Community, District, Grid, Subdistrict
from wangge.org.territory import Territory


def grids_visible(territory: Territory) -> QuerySet[Grid]:
    """The one scoping selector for grids: every page and endpoint lists grids through it."""
    return Grid.objects.with_org().filter(territory.grid_q()).order_by("code")


def grid_get(territory: Territory, code: str) -> Grid:
    try:
        return grids_visible(territory).get(code=code)
    except Grid.DoesNotExist:
        raise NotFound(f"no grid with code {code!r} in your territory", field="code") from None


def communities_visible(territory: Territory) -> QuerySet[Community]:
    return (
        Community.objects.filter(territory.community_q())
        .select_related("subdistrict__district")
        .distinct()
        .order_by("subdistrict__district__code", "subdistrict__code", "code")
    )


def subdistricts_visible(territory: Territory) -> QuerySet[Subdistrict]:
    return (
        Subdistrict.objects.filter(territory.subdistrict_q())
        .select_related("district")
        .distinct()
        .order_by("district__code", "code")
    )


def org_tree(territory: Territory) -> list[District]:
    """Districts with their visible subdistricts, communities and grids prefetched."""
    grids = grids_visible(territory)
    communities = (
        communities_visible(territory)
        .select_related("workstation")
        .prefetch_related(Prefetch("grids", queryset=grids, to_attr="visible_grids"))
    )
    subdistricts = (
        subdistricts_visible(territory)
        .select_related("center")
        .prefetch_related(
            Prefetch("communities", queryset=communities, to_attr="visible_communities"),
            "offices",
        )
    )
    return list(
        District.objects.filter(territory.district_q())
        .distinct()
        .order_by("code")
        .prefetch_related(
            Prefetch("subdistricts", queryset=subdistricts, to_attr="visible_subdistricts"),
            "handling_units",
            "centers",
        )
    )


def community_code_q(code: str, prefix: str = "") -> Q:
    """Rows whose community has this 12-digit full code (district 6 + subdistrict 3 + own 3)."""
    return Q(
        **{
            f"{prefix}subdistrict__district__code": code[:6],
            f"{prefix}subdistrict__code": code[6:9],
            f"{prefix}code": code[9:],
        }
    )
