"""The finance API under /api/v1/finance: budget projects, their money, and wage sheets."""

from __future__ import annotations

from ninja import Router

from .payroll_api import router as payroll_router

router = Router(tags=["finance"])

# Budget endpoints (projects, allocations, expenditures) are declared below this line.


router.add_router("/payroll", payroll_router)
