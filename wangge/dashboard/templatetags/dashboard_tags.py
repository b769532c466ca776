"""Filters of the command centre's templates: rates as percentages, their map colour, and
the definition of a figure (from cases.rates) for a heading's tooltip."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template

from wangge.cases import rates
from wangge.dashboard.selectors import rate_colour

register = template.Library()


@register.filter
def pct(value: Decimal | float | None) -> str:
    """0.9375 → "93.8%"; None (nothing to divide by) → "—"."""
    if value is None or value == "":
        return "—"
    return f"{(Decimal(str(value)) * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


@register.filter
def colour(value: Decimal | None) -> str:
    return rate_colour(value)


@register.filter
def definition(name: str) -> str:
    return rates.DEFINITIONS.get(name, "")
