from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def get_count(counts: dict[str, int], key: str) -> int:
    """counts[key], 0 when absent (the inventory's items per holder kind)."""
    return counts.get(key, 0)
