"""The organisation tree of a synthetic city, shared by the benchmarks that need one.

Called inside a configured Django (the benchmarks set it up first): a district, subdistricts of
100 grids, communities of 15 grids, and ``grids`` grids tiling a jittered lattice.
"""

from __future__ import annotations

from typing import Any

from bench import synthetic


def city_org(
    grids: int,
    *,
    seed: int,
    origin: tuple[float, float],
    district_code: str,
    district_name: str,
    prefix: str,
) -> tuple[Any, list[Any], list[Any]]:
    """Create the district, its subdistricts, communities and grids; return (district,
    subdistricts, communities sorted by code). Names start with ``prefix``."""
    from wangge.core.geo import area_km2, from_geojson
    from wangge.org.models import Community, District, Grid, Subdistrict

    polys, _outline = synthetic.cells(grids, origin=origin, seed=seed)
    district, _ = District.objects.get_or_create(
        code=district_code, defaults={"name": district_name}
    )
    subs = Subdistrict.objects.bulk_create(
        Subdistrict(district=district, code=f"{k + 1:03d}", name=f"{prefix}街道{k + 1}")
        for k in range((grids + 99) // 100)
    )
    Community.objects.bulk_create(
        Community(subdistrict=subs[k * 15 // 100], code=f"{k + 1:03d}", name=f"{prefix}社区{k + 1}")
        for k in range((grids + 14) // 15)
    )
    comms = list(Community.objects.filter(subdistrict__in=subs).select_related("subdistrict"))
    comms.sort(key=lambda c: int(c.code))
    Grid.objects.bulk_create(
        (
            Grid(
                community=comms[k // 15],
                code=f"{comms[k // 15].full_code}{k % 15 + 1:03d}",
                name=f"{prefix}网格{k + 1}",
                geometry=poly,
                area_km2=round(area_km2(from_geojson(poly)), 4),
            )
            for k, poly in enumerate(polys)
        ),
        batch_size=1000,
    )
    return district, subs, comms
