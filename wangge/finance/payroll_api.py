"""The wage-sheet API under /api/v1/finance/payroll.

GET /{project_id}/{month}: a month's sheet (status, lines, totals). POST
/{project_id}/{month}/draft drafts or regenerates it; PATCH /lines/{line_id} changes a draft
line; POST /{project_id}/{month}/approve, /reopen (with a reason) and /lock move it on.
Readers: the finance group and the offices of the project's subdistrict or district; writers:
the finance group (403 for anyone else).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema

from wangge.core.schemas import errors
from wangge.org.territory import request_territory

from . import payroll
from .models import BudgetProject, Payroll, PayrollLine

router = Router(tags=["finance"])


class LineOut(Schema):
    id: int
    person_id: int
    name: str
    role: str = Field(description="the grid role the wage is for, empty for none")
    days: int = Field(description=payroll.PAYROLL_DEFINITIONS["days"])
    base: Decimal = Field(description=payroll.PAYROLL_DEFINITIONS["base"])
    performance: Decimal = Field(description=payroll.PAYROLL_DEFINITIONS["performance"])
    performance_source: str = Field(description="where the performance part came from")
    deductions: Decimal = Field(description=payroll.PAYROLL_DEFINITIONS["deductions"])
    deduction_note: str
    net: Decimal = Field(description=payroll.PAYROLL_DEFINITIONS["net"])


class TotalsOut(Schema):
    people: int
    base: Decimal
    performance: Decimal
    deductions: Decimal
    net: Decimal


class PayrollOut(Schema):
    id: int
    project_id: int
    project: str
    month: str = Field(description="YYYY-MM")
    status: str = Field(description="draft, approved or locked")
    approved_at: dt.datetime | None
    locked_at: dt.datetime | None
    expenditure_id: int | None = Field(description="the wage expenditure a locked month booked")
    lines: list[LineOut]
    totals: TotalsOut


class ReopenIn(Schema):
    reason: str = Field(max_length=300, description="why the approved sheet goes back to draft")


class LineIn(Schema):
    deductions: Decimal | None = Field(
        None, description='yuan, at most 2 decimals, e.g. "120.00"; not above base + performance'
    )
    deduction_note: str | None = Field(
        None, max_length=300, description="what the deductions are for"
    )
    performance: Decimal | None = Field(
        None, description="a performance part set by hand (needs performance_note)"
    )
    performance_note: str | None = Field(
        None, max_length=150, description="why the performance part is set by hand"
    )


def line_out(line: PayrollLine) -> dict[str, Any]:
    return {
        "id": line.pk,
        "person_id": line.person_id,
        "name": line.person.name,
        "role": line.role,
        "days": line.days,
        "base": line.base,
        "performance": line.performance,
        "performance_source": line.performance_source,
        "deductions": line.deductions,
        "deduction_note": line.deduction_note,
        "net": line.net,
    }


def payroll_out(sheet: Payroll) -> dict[str, Any]:
    totals = payroll.payroll_totals(sheet)
    return {
        "id": sheet.pk,
        "project_id": sheet.project_id,
        "project": str(sheet.project),
        "month": sheet.month,
        "status": sheet.status,
        "approved_at": sheet.approved_at,
        "locked_at": sheet.locked_at,
        "expenditure_id": sheet.expenditure_id,
        "lines": [line_out(line) for line in payroll.lines_of(sheet)],
        "totals": {
            "people": totals.people,
            "base": totals.base,
            "performance": totals.performance,
            "deductions": totals.deductions,
            "net": totals.net,
        },
    }


def _projects(request: HttpRequest) -> QuerySet[BudgetProject]:
    return payroll.wage_projects_visible(request.user, request_territory(request))


def _project(request: HttpRequest, project_id: int) -> BudgetProject:
    return payroll.project_get(_projects(request), project_id)


def _sheet(request: HttpRequest, project_id: int, month: str) -> Payroll:
    return payroll.payroll_get(_project(request, project_id), month)


@router.get("/{int:project_id}/{month}", response={200: PayrollOut, **errors(400, 401, 403, 404)})
def sheet_get(request: HttpRequest, project_id: int, month: str) -> dict[str, Any]:
    """A month's wage sheet of a project: its status, one line per person, and the totals."""
    return payroll_out(_sheet(request, project_id, month))


@router.post(
    "/{int:project_id}/{month}/draft", response={200: PayrollOut, **errors(400, 401, 403, 404)}
)
def sheet_draft(request: HttpRequest, project_id: int, month: str) -> dict[str, Any]:
    """Draft the month's sheet from the payees, or regenerate a draft (deductions are kept)."""
    payroll.require_write(request.user)
    project = _project(request, project_id)
    return payroll_out(payroll.payroll_draft(project, month, by_user=request.user))


@router.patch("/lines/{line_id}", response={200: LineOut, **errors(400, 401, 403, 404, 422)})
def line_patch(request: HttpRequest, line_id: int, data: LineIn) -> dict[str, Any]:
    """Change a draft line: its deductions and their note, or (with a note) its performance."""
    payroll.require_write(request.user)
    line = payroll.line_get(_projects(request), line_id)
    updated = payroll.line_update(
        line,
        by_user=request.user,
        deductions=data.deductions,
        deduction_note=data.deduction_note,
        performance=data.performance,
        performance_note=data.performance_note,
    )
    return line_out(updated)


@router.post(
    "/{int:project_id}/{month}/approve", response={200: PayrollOut, **errors(400, 401, 403, 404)}
)
def sheet_approve(request: HttpRequest, project_id: int, month: str) -> dict[str, Any]:
    """Approve a draft sheet (it can then be locked, or reopened with a reason)."""
    payroll.require_write(request.user)
    sheet = _sheet(request, project_id, month)
    return payroll_out(payroll.approve(sheet, by_user=request.user))


@router.post(
    "/{int:project_id}/{month}/reopen",
    response={200: PayrollOut, **errors(400, 401, 403, 404, 422)},
)
def sheet_reopen(
    request: HttpRequest, project_id: int, month: str, data: ReopenIn
) -> dict[str, Any]:
    """Send an approved sheet back to draft, saying why."""
    payroll.require_write(request.user)
    sheet = _sheet(request, project_id, month)
    return payroll_out(payroll.reopen(sheet, by_user=request.user, reason=data.reason))


@router.post(
    "/{int:project_id}/{month}/lock", response={200: PayrollOut, **errors(400, 401, 403, 404)}
)
def sheet_lock(request: HttpRequest, project_id: int, month: str) -> dict[str, Any]:
    """Lock an approved sheet and book its net total as the month's wage expenditure."""
    payroll.require_write(request.user)
    sheet = _sheet(request, project_id, month)
    return payroll_out(payroll.lock(sheet, by_user=request.user))
