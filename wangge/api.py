"""The JSON API: each app's router under /api/v1/, one error shape, token or session auth."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(title="wangge API", version="1", urls_namespace="api")
