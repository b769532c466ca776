from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from wangge.core.notifications import unread_count


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "tile_url": settings.WANGGE_TILE_URL,
        "tile_attribution": settings.WANGGE_TILE_ATTRIBUTION,
        # The header's inbox count: one small indexed query per page.
        "unread_notifications": (
            unread_count(user) if user is not None and user.is_authenticated else 0
        ),
    }
