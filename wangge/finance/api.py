"""The finance API under /api/v1/finance: budget projects, their money, and wage sheets.

GET /projects?year= lists the projects of your territory with their figures; GET
/projects/{id} adds the allocations and expenditures; POST /projects/{id}/allocations and
/projects/{id}/expenditures record money (the finance group and superusers only, 403 for
others). Readers: district and subdistrict users. Amounts are sent as strings ("597500.00") so
no precision is lost; amounts come back as strings too.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status

from wangge.core.errors import Forbidden
from wangge.core.schemas import errors
from wangge.org.territory import request_territory

from . import selectors, services
from .models import Allocation, AllocationKind, BudgetProject, Expenditure
from .payroll_api import router as payroll_router

router = Router(tags=["finance"])

# Budget endpoints (projects, allocations, expenditures) are declared below this line.

DEFS = selectors.FUNDS_DEFINITIONS


class FiguresOut(Schema):
    initial: Decimal = Field(description=DEFS["initial"])
    adjustments: Decimal = Field(description=DEFS["adjustments"])
    allocated: Decimal = Field(description=DEFS["allocated"])
    spent: Decimal = Field(description=DEFS["spent"])
    spent_by_kind: dict[str, Decimal] = Field(description=DEFS["spent_by_kind"])
    balance: Decimal = Field(description=DEFS["balance"])
    execution_rate: Decimal | None = Field(description=DEFS["execution_rate"] + " (0..1)")
    allocated_wan: Decimal = Field(description="allocated in 万元: " + selectors.WAN_DEFINITION)
    spent_wan: Decimal = Field(description="spent in 万元")
    balance_wan: Decimal = Field(description="balance in 万元")


class ProjectOut(Schema):
    id: int
    subdistrict_id: int
    subdistrict: str
    year: int
    name: str
    figures: FiguresOut


class AllocationOut(Schema):
    id: int
    kind: str = Field(description="initial or adjustment")
    kind_label: str
    amount: Decimal = Field(description="yuan")
    date: dt.date
    document_no: str
    note: str


class ItemOut(Schema):
    id: int
    category: str
    name: str
    serial: str


class ExpenditureOut(Schema):
    id: int
    kind: str = Field(description="wages, equipment or other")
    kind_label: str
    amount: Decimal = Field(description="yuan")
    date: dt.date
    description: str
    voucher_no: str
    payroll_month: str | None = Field(description="the locked wage sheet that booked it")
    equipment: list[ItemOut] = Field(description="the items an equipment purchase paid for")


class ProjectDetailOut(ProjectOut):
    principles: list[str]
    management_rules: list[str]
    notes: str
    allocations: list[AllocationOut]
    expenditures: list[ExpenditureOut]


class YearIn(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="only this year's projects")


class AllocationIn(Schema):
    kind: AllocationKind = Field(description="initial (once per project) or adjustment")
    amount: str = Field(
        max_length=40, description='yuan as text, at most 2 decimals, e.g. "597500.00"'
    )
    date: dt.date = Field(description="inside the project's year")
    document_no: str = Field("", max_length=100, description="the allocation document")
    note: str = Field("", max_length=300)


class ExpenditureIn(Schema):
    kind: str = Field(description="equipment or other (wages are booked by a locked payroll)")
    amount: str = Field(
        max_length=40, description='yuan as text, at most 2 decimals, e.g. "12000.00"'
    )
    date: dt.date = Field(description="inside the project's year")
    description: str = Field(max_length=300, description="what the money was spent on")
    voucher_no: str = Field("", max_length=100)
    equipment: list[int] = Field(
        default_factory=list,
        description="ids of the equipment items an equipment purchase paid for",
    )


def _figures(f: selectors.ProjectFigures) -> dict[str, Any]:
    return {
        "initial": f.initial,
        "adjustments": f.adjustments,
        "allocated": f.allocated,
        "spent": f.spent,
        "spent_by_kind": f.spent_by_kind,
        "balance": f.balance,
        "execution_rate": f.execution_rate,
        "allocated_wan": f.allocated_wan,
        "spent_wan": f.spent_wan,
        "balance_wan": f.balance_wan,
    }


def project_out(p: BudgetProject, f: selectors.ProjectFigures) -> dict[str, Any]:
    return {
        "id": p.pk,
        "subdistrict_id": p.subdistrict_id,
        "subdistrict": p.subdistrict.name,
        "year": p.year,
        "name": p.name,
        "figures": _figures(f),
    }


def allocation_out(a: Allocation) -> dict[str, Any]:
    return {
        "id": a.pk,
        "kind": a.kind,
        "kind_label": str(a.get_kind_display()),
        "amount": a.amount,
        "date": a.date,
        "document_no": a.document_no,
        "note": a.note,
    }


def expenditure_out(e: Expenditure) -> dict[str, Any]:
    payroll = getattr(e, "payroll", None)  # the reverse one-to-one: None when not a wage sheet
    return {
        "id": e.pk,
        "kind": e.kind,
        "kind_label": str(e.get_kind_display()),
        "amount": e.amount,
        "date": e.date,
        "description": e.description,
        "voucher_no": e.voucher_no,
        "payroll_month": payroll.month if payroll is not None else None,
        "equipment": [
            {
                "id": p.equipment.pk,
                "category": p.equipment.category,
                "name": p.equipment.name,
                "serial": p.equipment.serial,
            }
            for p in e.items.all()
        ],
    }


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _reader(request: HttpRequest) -> None:
    if not selectors.can_read_budget(request.user, request_territory(request)):
        raise Forbidden(gettext("the budget is for district and subdistrict staff"))


def _project(request: HttpRequest, pk: int) -> BudgetProject:
    _reader(request)
    return selectors.project_get(request_territory(request), pk)


@router.get("/projects", response={200: list[ProjectOut], **errors(401, 403, 422)})
def projects(request: HttpRequest, query: Query[YearIn]) -> list[dict[str, Any]]:
    """The budget projects of your territory (of one year when ``year`` is given)."""
    _reader(request)
    qs = selectors.projects_visible(request_territory(request))
    if query.year is not None:
        qs = qs.filter(year=query.year)
    rows = selectors.projects_with_figures(qs.order_by("-year", "subdistrict__name", "name"))
    return [project_out(p, f) for p, f in rows]


def _detail(project: BudgetProject) -> dict[str, Any]:
    return {
        **project_out(project, selectors.project_figures(project)),
        "principles": _lines(project.principles),
        "management_rules": _lines(project.management_rules),
        "notes": project.notes,
        "allocations": [allocation_out(a) for a in selectors.allocations_of(project)],
        "expenditures": [expenditure_out(e) for e in selectors.expenditures_of(project)],
    }


@router.get("/projects/{int:project_id}", response={200: ProjectDetailOut, **errors(401, 403, 404)})
def project_detail(request: HttpRequest, project_id: int) -> dict[str, Any]:
    """A project's figures, allocations and expenditures."""
    return _detail(_project(request, project_id))


@router.post(
    "/projects/{int:project_id}/allocations",
    response={201: AllocationOut, **errors(400, 401, 403, 404, 422)},
)
def allocation_add(
    request: HttpRequest, project_id: int, payload: AllocationIn
) -> Status[dict[str, Any]]:
    """Record the initial budget (once) or a fiscal adjustment of a project."""
    project = _project(request, project_id)
    services.require_budget_manager(request.user)
    allocation = services.allocation_add(
        project,
        kind=payload.kind,
        amount=payload.amount,
        date=payload.date,
        document_no=payload.document_no,
        note=payload.note,
        by_user=request.user,
    )
    return Status(201, allocation_out(allocation))


@router.post(
    "/projects/{int:project_id}/expenditures",
    response={201: ExpenditureOut, **errors(400, 401, 403, 404, 422)},
)
def expenditure_add(
    request: HttpRequest, project_id: int, payload: ExpenditureIn
) -> Status[dict[str, Any]]:
    """Record an equipment purchase (with the ids of the items it paid for) or another
    expenditure; refused beyond the project's balance (record a fiscal adjustment first)."""
    project = _project(request, project_id)
    services.require_budget_manager(request.user)
    services.check_manual_kind(payload.kind)
    expenditure = services.record_expenditure(
        project,
        kind=payload.kind,
        amount=payload.amount,
        date=payload.date,
        description=payload.description,
        voucher_no=payload.voucher_no,
        equipment=selectors.equipment_by_ids(payload.equipment),
        by_user=request.user,
    )
    row = selectors.expenditures_of(project).get(pk=expenditure.pk)
    return Status(201, expenditure_out(row))


router.add_router("/payroll", payroll_router)
