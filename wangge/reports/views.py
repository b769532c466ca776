"""The reports pages: the months with their bulletin downloads (Word, PDF, addressed copies)
and the annual self-evaluation report of a subdistrict (Word, PDF)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from wangge.core.errors import DomainError, NotFound
from wangge.finance.selectors import project_years, projects_visible
from wangge.org.selectors import subdistricts_visible
from wangge.org.territory import request_territory
from wangge.people.groups import (
    ADMINS,
    ASSESSORS,
    FINANCE,
    LEADERS,
    OPERATOR_DISPATCH,
    OPERATOR_INTAKE,
)
from wangge.reports import bulletin as bulletins
from wangge.reports import self_evaluation as evaluations
from wangge.reports.document import Document
from wangge.reports.document import render as render_document
from wangge.reports.ranking import COMMUNITY, NoRun, fetch

READERS = frozenset({ASSESSORS, ADMINS, OPERATOR_INTAKE, OPERATOR_DISPATCH})
# The self-evaluation report is also the finance staff's and the grid leaders'.
EVALUATION_READERS = READERS | {FINANCE, LEADERS}
MONTHS_LISTED = 12
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _in_groups(user: Any, groups: frozenset[str]) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or user.groups.filter(name__in=groups).exists())


def may_read_reports(user: Any) -> bool:
    """The assessment group, the centre's operators and the admins."""
    return _in_groups(user, READERS)


def may_read_self_evaluation(user: Any) -> bool:
    """Those who read the bulletins, the finance staff and the grid leaders."""
    return _in_groups(user, EVALUATION_READERS)


def _require_reader(request: HttpRequest) -> None:
    if not may_read_reports(request.user):
        raise PermissionDenied("the reports are for the assessment group, operators and admins")


def _require_evaluation_reader(request: HttpRequest) -> None:
    if not may_read_self_evaluation(request.user):
        raise PermissionDenied(
            "the self-evaluation report is for the assessment group, operators, finance staff,"
            " grid leaders and admins"
        )


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


def _evaluation_context(request: HttpRequest, error: str = "") -> dict[str, Any]:
    """The self-evaluation section: the subdistricts of the user's territory, the years with a
    budget project there (and last year), what was chosen, and the error to show."""
    territory = request_territory(request)
    subdistricts = list(subdistricts_visible(territory))
    years = set(project_years(projects_visible(territory)))
    years.add(timezone.localdate().year - 1)
    return {
        "evaluation_subdistricts": [(s.full_code, s.name) for s in subdistricts],
        "evaluation_years": sorted(years, reverse=True),
        "evaluation_chosen": request.GET.get("subdistrict", ""),
        "evaluation_year": request.GET.get("year", ""),
        "evaluation_error": error,
    }


def _bulletin_context(request: HttpRequest) -> dict[str, Any]:
    periods = set(_months(timezone.localdate())) | set(_assessed_months())
    chosen = request.GET.get("month", "")
    if chosen:
        try:
            chosen = bulletins.Period.month(chosen).label
            periods.add(chosen)
        except DomainError:
            chosen = ""
    return {
        "months": [_month_row(p) for p in sorted(periods, reverse=True)],
        "chosen": chosen,
        "audiences": list(bulletins.AUDIENCES),
        "roles": {code: bulletins.ROLE_NAMES[a.role] for code, a in bulletins.AUDIENCES.items()},
    }


def _list_page(request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
    bulletin_reader = may_read_reports(request.user)
    context: dict[str, Any] = {"bulletin_reader": bulletin_reader}
    if bulletin_reader:
        context.update(_bulletin_context(request))
    context.update(_evaluation_context(request, error))
    return render(request, "reports/list.html", context, status=status)


@login_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    if not may_read_self_evaluation(request.user):  # EVALUATION_READERS include READERS
        raise PermissionDenied("the reports are for the assessment group, operators and admins")
    return _list_page(request)


def _download(build: Callable[[], Document], name: Callable[[], str], ext: str) -> HttpResponse:
    """The built document as a ``ext`` download named ``name()``; 404 for what is not there,
    400 with the reason for a bad request."""
    try:
        data = render_document(build(), ext)
        file_name = name()
    except NotFound as exc:
        raise Http404(exc.message) from None
    except DomainError as exc:
        return HttpResponseBadRequest(exc.message, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type=CONTENT_TYPES[ext])
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    return response


@login_required
@require_GET
def bulletin_download(request: HttpRequest, period: str, ext: str) -> HttpResponse:
    _require_reader(request)
    audience = request.GET.get("audience") or None
    return _download(
        lambda: bulletins.bulletin(period, audience),
        lambda: bulletins.file_name(period, audience, ext),
        ext,
    )


@login_required
@require_GET
def self_evaluation_pick(request: HttpRequest) -> HttpResponse:
    """The form's target: check the choice, then send the browser to the download's address;
    a bad choice is shown on the reports page."""
    _require_evaluation_reader(request)
    code = request.GET.get("subdistrict", "")
    year = request.GET.get("year", "")
    ext = request.GET.get("format", "docx")
    try:
        if ext not in CONTENT_TYPES:
            raise DomainError(
                gettext("%(format)s is not a format: choose docx (Word) or pdf")
                % {"format": repr(ext)},
                field="format",
            )
        subdistrict = evaluations.subdistrict_for(code, request_territory(request))
        label = bulletins.Period.year(year).label
    except DomainError as exc:
        return _list_page(request, exc.message, status=404 if isinstance(exc, NotFound) else 400)
    url = reverse("reports:self_evaluation", args=[subdistrict.full_code, label, ext])
    return HttpResponseRedirect(url)


@login_required
@require_GET
def self_evaluation_download(request: HttpRequest, code: str, year: str, ext: str) -> HttpResponse:
    _require_evaluation_reader(request)
    try:
        subdistrict = evaluations.subdistrict_for(code, request_territory(request))
    except NotFound as exc:
        raise Http404(exc.message) from None
    return _download(
        lambda: evaluations.self_evaluation(subdistrict, year),
        lambda: evaluations.file_name(subdistrict, year, ext),
        ext,
    )
