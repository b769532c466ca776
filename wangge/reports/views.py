"""The reports pages: the months with their bulletin downloads (Word, PDF, addressed copies)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from wangge.core.errors import DomainError, NotFound
from wangge.people.groups import ADMINS, ASSESSORS, OPERATOR_DISPATCH, OPERATOR_INTAKE
from wangge.reports import bulletin as bulletins
from wangge.reports.document import render as render_document
from wangge.reports.ranking import COMMUNITY, NoRun, fetch

READERS = frozenset({ASSESSORS, ADMINS, OPERATOR_INTAKE, OPERATOR_DISPATCH})
MONTHS_LISTED = 12
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def may_read_reports(user: Any) -> bool:
    """The assessment group, the centre's operators and the admins."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or user.groups.filter(name__in=READERS).exists())


def _require_reader(request: HttpRequest) -> None:
    if not may_read_reports(request.user):
        raise PermissionDenied("the reports are for the assessment group, operators and admins")


@dataclass(frozen=True)
class MonthRow:
    period: str
    assessed: bool
    published: bool
    version: int


def _months(today: dt.date, count: int = MONTHS_LISTED) -> list[str]:
    """The last ``count`` months that have ended, latest first."""
    first = today.replace(day=1)
    out = []
    for _ in range(count):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        out.append(first.strftime("%Y-%m"))
    return out


def _assessed_months() -> list[str]:
    """The months that have an assessment run (any version), when the assessment app says."""
    try:
        from wangge.assessment.selectors import periods
    except ImportError:
        return []
    return [p for p in periods() if len(p) == 7]


def _month_row(period: str) -> MonthRow:
    try:
        ranking = fetch(period, COMMUNITY)
    except NoRun:
        return MonthRow(period, False, False, 0)
    return MonthRow(period, True, ranking.published, ranking.version)


@login_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    periods = set(_months(timezone.localdate())) | set(_assessed_months())
    chosen = request.GET.get("month", "")
    if chosen:
        try:
            chosen = bulletins.Period.month(chosen).label
            periods.add(chosen)
        except DomainError:
            chosen = ""
    return render(
        request,
        "reports/list.html",
        {
            "months": [_month_row(p) for p in sorted(periods, reverse=True)],
            "chosen": chosen,
            "audiences": list(bulletins.AUDIENCES),
            "roles": {
                code: bulletins.ROLE_NAMES[a.role] for code, a in bulletins.AUDIENCES.items()
            },
        },
    )


@login_required
@require_GET
def bulletin_download(request: HttpRequest, period: str, ext: str) -> HttpResponse:
    _require_reader(request)
    audience = request.GET.get("audience") or None
    try:
        doc = bulletins.bulletin(period, audience)
        data = render_document(doc, ext)
        name = bulletins.file_name(period, audience, ext)
    except NotFound as exc:
        raise Http404(exc.message) from None
    except DomainError as exc:
        return HttpResponseBadRequest(exc.message, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type=CONTENT_TYPES[ext])
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
