"""Synthetic polygons for the demo: an outline of the seed's area, tiled without gaps or overlaps.

The real grid boundaries of 洛龙街道 are not public, so the demo draws its own: an irregular
outline near 24.88 N, 102.85 E scaled to exactly 17.76 km² (geodesic), cut into the five
communities and then into their grids by Voronoi cells clipped to the outline. Clipping every
cell against the same outline and community parts is what makes the tiling exact.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import shapely
from shapely import affinity
from shapely.geometry import MultiPoint, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from wangge.core.geo import area_km2

CENTER_LON = 102.85
CENTER_LAT = 24.88
_M_PER_DEG_LAT = 111_320.0
_M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(CENTER_LAT))


def _to_lonlat(x_m: float, y_m: float) -> tuple[float, float]:
    return (CENTER_LON + x_m / _M_PER_DEG_LON, CENTER_LAT + y_m / _M_PER_DEG_LAT)


def outline(target_km2: float, *, seed: int = 2019) -> Polygon:
    """An irregular, roughly 5.4 × 3.4 km outline whose geodesic area is ``target_km2``."""
    rng = random.Random(seed)
    points = []
    n = 28
    for i in range(n):
        t = 2 * math.pi * i / n
        # An ellipse with a wobble: plausible for a subdistrict bounded by roads and hills.
        r = 1.0 + 0.08 * math.sin(3 * t + 0.4) + 0.05 * math.cos(5 * t) + rng.uniform(-0.02, 0.02)
        points.append(_to_lonlat(2700 * r * math.cos(t), 1700 * r * math.sin(t)))
    poly = Polygon(points)
    for _ in range(3):  # converge on the exact area: scaling is not quite linear on the ellipsoid
        factor = math.sqrt(target_km2 / area_km2(poly))
        poly = affinity.scale(poly, xfact=factor, yfact=factor, origin=(CENTER_LON, CENTER_LAT))
    return poly


def _voronoi_parts(region: BaseGeometry, seeds: Sequence[Point]) -> list[Polygon]:
    """Cut ``region`` into one part per seed (the Voronoi cell of the seed, clipped).

    A clipped cell can fall apart into pieces where the region is not convex; a stray piece
    joins the neighbour it shares the longest edge with, so nothing is lost.
    """
    if len(seeds) == 1:
        return [_largest(region)[0]]
    cells = shapely.voronoi_polygons(
        MultiPoint(list(seeds)), extend_to=region.envelope.buffer(0.05)
    )
    parts: list[Polygon] = []
    strays: list[Polygon] = []
    for seed_pt in seeds:
        cell = next(c for c in cells.geoms if c.covers(seed_pt))
        main, rest = _largest(region.intersection(cell))
        parts.append(main)
        strays.extend(rest)
    for stray in strays:
        k = max(
            range(len(parts)), key=lambda i: stray.boundary.intersection(parts[i].boundary).length
        )
        merged = parts[k].union(stray)
        parts[k] = merged if isinstance(merged, Polygon) else _largest(merged)[0]
    return parts


def _largest(geom: BaseGeometry) -> tuple[Polygon, list[Polygon]]:
    """The largest polygon of a geometry, and the other polygon pieces."""
    polys = [g for g in shapely.get_parts(geom) if isinstance(g, Polygon) and not g.is_empty]
    polys.sort(key=lambda p: p.area, reverse=True)
    return polys[0], polys[1:]


def _relaxed_seeds(region: Polygon, n: int, rng: random.Random, rounds: int = 25) -> list[Point]:
    """n seeds whose Voronoi cells in ``region`` have similar areas (Lloyd's relaxation).

    Similar areas stand for the seed's "工作量相对均衡" (balanced workload).
    """
    minx, miny, maxx, maxy = region.bounds
    seeds: list[Point] = []
    while len(seeds) < n:
        p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if region.contains(p):
            seeds.append(p)
    for _ in range(rounds if n > 1 else 0):
        seeds = [c.centroid for c in _voronoi_parts(region, seeds)]
    # North → south, then west → east: the DB11 numbering order inside a community.
    seeds.sort(key=lambda p: (round(-p.y, 2), p.x))
    return seeds


def _cut_west_east(region: Polygon, shares: Sequence[int]) -> list[Polygon]:
    """Cut ``region`` by north–south lines (roads) into parts with areas in proportion to shares."""
    minx, miny, maxx, maxy = region.bounds
    total_area = region.area
    total = sum(shares)
    parts: list[Polygon] = []
    west = minx
    done = 0
    for i, share in enumerate(shares):
        if i == len(shares) - 1:
            east = maxx + 1
        else:
            done += share
            target = total_area * done / total
            lo, hi = minx, maxx
            for _ in range(60):  # bisect for the line that leaves ``target`` area to its west
                mid = (lo + hi) / 2
                if region.intersection(box(minx - 1, miny - 1, mid, maxy + 1)).area < target:
                    lo = mid
                else:
                    hi = mid
            east = (lo + hi) / 2
        part = region.intersection(box(west, miny - 1, east, maxy + 1))
        parts.append(_largest(part)[0])
        west = east
    return parts


def tile(
    region: Polygon, counts: Sequence[int], *, seed: int = 2019
) -> list[tuple[Polygon, list[Polygon]]]:
    """Cut ``region`` into len(counts) communities, community i into counts[i] grids.

    Communities are strips from west to east, sized by their number of grids.
    """
    rng = random.Random(seed)
    communities = _cut_west_east(region, counts)
    return [
        (part, _voronoi_parts(part, _relaxed_seeds(part, c, rng)))
        for part, c in zip(communities, counts, strict=True)
    ]
