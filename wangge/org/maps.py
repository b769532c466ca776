"""Grids as the pages' maps draw them: GeoJSON features with a label point and a link."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.urls import reverse

from wangge.org.models import Grid


def grid_feature(grid: Grid, **properties: Any) -> dict[str, Any] | None:
    """One grid as a Feature with name, colour, area, label point and link (None: no shape)."""
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
            "area_km2": grid.area,
            "label": [label.y, label.x],
            "url": reverse("web:grid", args=[grid.code]),
            **properties,
        },
    }


def grid_collection(
    grids: Iterable[Grid], extra: Callable[[Grid], dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A FeatureCollection of grids; ``extra`` adds properties per grid (staff for popups)."""
    features = [grid_feature(g, **(extra(g) if extra else {})) for g in grids]
    return {"type": "FeatureCollection", "features": [f for f in features if f is not None]}
