"""The assessment API under /api/v1/assessment.

GET /{period}/communities and GET /{period}/staff?role=: the ranking of a month ("YYYY-MM"), the
latest published version, or the latest draft while none is published (``published`` says
which). GET /{year}/units: the yearly ranking of the subdistrict offices. Readers: the
assessment group and administrators (403 for anyone else).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from wangge.assessment import selectors, services
from wangge.core.schemas import errors
from wangge.people.models import RoleKind

router = Router(tags=["assessment"])


class ItemOut(Schema):
    code: str
    name: str
    kind: str
    points: Decimal | None
    max_points: Decimal
    value: Decimal | None
    remarks: str


class RowOut(Schema):
    subject_id: int
    name: str
    total: Decimal
    rank: int
    items: list[ItemOut]


class RankingOut(Schema):
    period: str
    subject: str
    role: str
    scheme: str
    version: int
    status: str  # "published", "draft" or "none" (not assessed)
    published: bool
    published_at: dt.datetime | None
    published_by: str
    reason: str
    rows: list[RowOut]


class StaffQuery(Schema):
    role: RoleKind


def _out(table: selectors.RankingTable) -> dict[str, object]:
    status = "none" if table.run_id is None else ("published" if table.published else "draft")
    return {
        "period": table.period,
        "subject": table.subject,
        "role": table.role,
        "scheme": table.scheme_name,
        "version": table.version,
        "status": status,
        "published": table.published,
        "published_at": table.published_at,
        "published_by": table.published_by,
        "reason": table.reason,
        "rows": [
            {
                "subject_id": r.subject_id,
                "name": r.name,
                "total": r.total,
                "rank": r.rank,
                "items": [
                    {
                        "code": i.code,
                        "name": i.name,
                        "kind": i.kind,
                        "points": i.points,
                        "max_points": i.max_points,
                        "value": i.value,
                        "remarks": i.remarks,
                    }
                    for i in r.items
                ],
            }
            for r in table.rows
        ],
    }


@router.get("/{period}/communities", response={200: RankingOut, **errors(400, 401, 403, 422)})
def communities(request: HttpRequest, period: str) -> dict[str, object]:
    """The communities' ranking of a month."""
    services.require_assessor(request.user)
    services.parse_period(period)
    return _out(selectors.ranking(period, "community"))


@router.get("/{period}/staff", response={200: RankingOut, **errors(400, 401, 403, 422)})
def staff(request: HttpRequest, period: str, query: Query[StaffQuery]) -> dict[str, object]:
    """The ranking of the staff of one role in a month."""
    services.require_assessor(request.user)
    services.parse_period(period)
    return _out(selectors.ranking(period, "staff", str(query.role)))


@router.get("/{period}/units", response={200: RankingOut, **errors(400, 401, 403, 422)})
def units(request: HttpRequest, period: str) -> dict[str, object]:
    """The subdistrict offices' ranking of a year ("YYYY")."""
    services.require_assessor(request.user)
    services.parse_period(period)
    return _out(selectors.ranking(period, "unit"))
