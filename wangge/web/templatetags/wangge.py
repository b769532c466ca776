"""Small template helpers for the pages."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """``counts|get_item:grid.pk``: a dict lookup by a variable key, which templates lack."""
    return mapping.get(key) if mapping else None


@register.filter
def km2(value: Any, places: int = 2) -> str:
    """An area in km² with a fixed number of decimals; an unknown area is a dash."""
    if value is None or value == "":
        return "—"
    return f"{float(value):.{places}f}"


# The partition check's problem kinds (org.partition.Problem.kind), in the reader's language.
PROBLEM_KINDS = {
    "invalid": _("invalid polygon"),
    "overlap": _("overlap"),
    "gap": _("gap"),
    "outside": _("outside the outline"),
    "no_geometry": _("no geometry"),
}


@register.filter
def problem_kind(kind: str) -> str:
    return str(PROBLEM_KINDS.get(kind, kind))


@register.filter
def with_level(items: Iterable[Any], level: str) -> list[Any]:
    """Units of one level from an already-fetched list (prefetched: no query)."""
    return [item for item in items if item.level == level]


@register.filter
def without_level(items: Iterable[Any], level: str) -> list[Any]:
    return [item for item in items if item.level != level]


@register.filter
def ratio(value: Any) -> str:
    """max/min of a spread; infinite when the smallest is 0 (a grid with nobody)."""
    if value is None or (isinstance(value, float) and math.isinf(value)):
        return "∞"
    return str(value)
