"""The partition check: grids must cover their subdistrict "横向到边、纵向到底、无缝衔接".

For each subdistrict: invalid polygons, overlaps between grids, gaps between the grids and
the outline, grids (partly) outside the outline, and the workload balance across grids.
Slivers below WANGGE_PARTITION_TOLERANCE_M2, or thinner than WANGGE_PARTITION_SLIVER_M, are
floating-point noise and are ignored.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import shapely
from django.conf import settings
from shapely import STRtree
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from wangge.core.geo import area_m2, from_geojson, is_noise, polygons, where
from wangge.org.models import Grid, Subdistrict


@dataclass
class Problem:
    kind: str  # invalid | overlap | gap | outside | no_geometry
    message: str
    area_m2: float = 0.0
    where: dict[str, float] | None = None
    grids: list[str] = field(default_factory=list)


@dataclass
class GridLoad:
    code: str
    name: str
    area_km2: float
    staff: int
    cases: int | None = None


@dataclass
class Spread:
    minimum: float
    maximum: float
    mean: float
    ratio: float | None  # max / min (None when the smallest is 0)
    cv: float  # coefficient of variation


@dataclass
class SubdistrictReport:
    code: str
    name: str
    outline_km2: float | None
    grids_km2: float
    grid_count: int
    problems: list[Problem]
    load: list[GridLoad]
    area_spread: Spread | None
    staff_spread: Spread | None
    case_spread: Spread | None

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        return data


def _spread(values: list[float]) -> Spread | None:
    if not values:
        return None
    lo, hi = min(values), max(values)
    mean = statistics.fmean(values)
    cv = statistics.pstdev(values) / mean if mean else 0.0
    return Spread(
        minimum=round(lo, 4),
        maximum=round(hi, 4),
        mean=round(mean, 4),
        ratio=round(hi / lo, 3) if lo else None,
        cv=round(cv, 4),
    )


def significant_pieces(geom: BaseGeometry) -> Iterable[BaseGeometry]:
    """The polygon parts of ``geom`` that are real, not floating-point slivers."""
    for part in polygons(geom):
        if not is_noise(
            part,
            min_area_m2=settings.WANGGE_PARTITION_TOLERANCE_M2,
            min_width_m=settings.WANGGE_PARTITION_SLIVER_M,
        ):
            yield part


StaffCounter = Callable[[list[int]], dict[int, int]]
CaseCounter = Callable[[list[int]], dict[int, int]]


def check_subdistrict(
    subdistrict: Subdistrict,
    *,
    staff_counts: StaffCounter | None = None,
    case_counts: CaseCounter | None = None,
) -> SubdistrictReport:
    """Check one subdistrict. Counters for staff and cases come from the apps that own them."""
    grids = list(
        Grid.objects.filter(community__subdistrict=subdistrict)
        .order_by("code")
        .only("id", "code", "name", "geometry")
    )
    problems: list[Problem] = []
    valid: list[tuple[Grid, BaseGeometry]] = []
    for grid in grids:
        if not grid.geometry:
            problems.append(
                Problem(
                    "no_geometry",
                    f"grid {grid.code} {grid.name} has no geometry",
                    grids=[grid.code],
                )
            )
            continue
        geom = from_geojson(grid.geometry)
        if not geom.is_valid:
            problems.append(
                Problem(
                    "invalid",
                    f"grid {grid.code} {grid.name}: {explain_validity(geom)}",
                    where=where(geom),
                    grids=[grid.code],
                )
            )
            continue
        valid.append((grid, geom))

    # Overlaps: each pair of grids whose interiors share more than the tolerance.
    geoms = [g for _, g in valid]
    tree = STRtree(geoms)
    for i, (grid, geom) in enumerate(valid):
        for j in tree.query(geom, predicate="intersects"):
            j = int(j)
            if j <= i:
                continue
            other_grid, other = valid[j]
            shared = geom.intersection(other)
            for piece in significant_pieces(shared):
                a = area_m2(piece)
                problems.append(
                    Problem(
                        "overlap",
                        f"grids {grid.code} {grid.name} and {other_grid.code} {other_grid.name}"
                        f" overlap by {a:,.1f} m²",
                        area_m2=round(a, 1),
                        where=where(piece),
                        grids=[grid.code, other_grid.code],
                    )
                )

    union = shapely.union_all(geoms) if geoms else shapely.Polygon()
    outline = from_geojson(subdistrict.geometry) if subdistrict.geometry else None
    if outline is not None and outline.is_valid:
        for piece in significant_pieces(outline.difference(union)):
            a = area_m2(piece)
            problems.append(
                Problem(
                    "gap",
                    f"{a:,.1f} m² of {subdistrict.name} is in no grid",
                    area_m2=round(a, 1),
                    where=where(piece),
                )
            )
        for grid, geom in valid:
            for piece in significant_pieces(geom.difference(outline)):
                a = area_m2(piece)
                problems.append(
                    Problem(
                        "outside",
                        f"grid {grid.code} {grid.name} reaches {a:,.1f} m² outside"
                        f" {subdistrict.name}",
                        area_m2=round(a, 1),
                        where=where(piece),
                        grids=[grid.code],
                    )
                )
    elif outline is not None:
        problems.append(
            Problem(
                "invalid",
                f"the outline of {subdistrict.name}: {explain_validity(outline)}",
                where=where(outline),
            )
        )

    ids = [g.id for g, _ in valid]
    staff = staff_counts(ids) if staff_counts else {}
    cases = case_counts(ids) if case_counts else None
    load = [
        GridLoad(
            code=g.code,
            name=g.name,
            area_km2=round(area_m2(geom) / 1e6, 4),
            staff=staff.get(g.id, 0),
            cases=None if cases is None else cases.get(g.id, 0),
        )
        for g, geom in valid
    ]
    return SubdistrictReport(
        code=subdistrict.full_code,
        name=subdistrict.name,
        outline_km2=round(area_m2(outline) / 1e6, 4) if outline is not None else None,
        grids_km2=round(sum(gl.area_km2 for gl in load), 4),
        grid_count=len(grids),
        problems=problems,
        load=load,
        area_spread=_spread([gl.area_km2 for gl in load]),
        staff_spread=_spread([float(gl.staff) for gl in load]),
        case_spread=_spread([float(gl.cases or 0) for gl in load]) if cases is not None else None,
    )
