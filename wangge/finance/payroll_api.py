"""The wage-sheet API under /api/v1/finance/payroll."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["finance"])
