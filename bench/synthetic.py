"""Synthetic territory: a jittered lattice whose cells tile an irregular outline exactly.

Neighbouring cells share the very same vertices, so the partition check finds no gap and
no overlap, while the polygons are irregular quadrilaterals rather than axis-aligned boxes
(which would flatter the point-in-polygon tests).
"""

from __future__ import annotations

import math
import random
from typing import Any

# About 1 km cells near 洛龙街道; far enough from the demo's area not to mix with it.
ORIGIN = (103.5, 25.5)
CELL = 0.01


def shape_for(n: int) -> tuple[int, int]:
    """Columns × rows of a lattice with exactly n cells, as square as n allows."""
    cols = max(1, round(math.sqrt(n)))
    while n % cols:
        cols -= 1
    return max(cols, n // cols), min(cols, n // cols)


def lattice(cols: int, rows: int, origin: tuple[float, float], seed: int) -> list[list[Any]]:
    rng = random.Random(seed)
    x0, y0 = origin
    pts: list[list[Any]] = []
    for i in range(cols + 1):
        column = []
        for j in range(rows + 1):
            # Border vertices are jittered too: the outline is irregular as well.
            dx = rng.uniform(-0.3, 0.3) * CELL
            dy = rng.uniform(-0.3, 0.3) * CELL
            column.append([round(x0 + i * CELL + dx, 7), round(y0 + j * CELL + dy, 7)])
        pts.append(column)
    return pts


def cells(n: int, origin: tuple[float, float] = ORIGIN, seed: int = 1) -> tuple[list[dict], dict]:
    """n GeoJSON polygons tiling a lattice, and the outline polygon they tile."""
    cols, rows = shape_for(n)
    pts = lattice(cols, rows, origin, seed)
    polys = []
    for i in range(cols):
        for j in range(rows):
            ring = [pts[i][j], pts[i + 1][j], pts[i + 1][j + 1], pts[i][j + 1], pts[i][j]]
            polys.append({"type": "Polygon", "coordinates": [ring]})
    border = (
        [pts[i][0] for i in range(cols + 1)]
        + [pts[cols][j] for j in range(1, rows + 1)]
        + [pts[i][rows] for i in range(cols - 1, -1, -1)]
        + [pts[0][j] for j in range(rows - 1, -1, -1)]
    )
    outline = {"type": "Polygon", "coordinates": [border]}
    return polys, outline


def bbox(outline: dict) -> tuple[float, float, float, float]:
    xs = [p[0] for p in outline["coordinates"][0]]
    ys = [p[1] for p in outline["coordinates"][0]]
    return min(xs), min(ys), max(xs), max(ys)
