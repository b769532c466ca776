"""The cases API: report a problem, read a case, take a workflow action, list and queue cases,
the rates, the categories.

Reads go through cases.selectors with the request's territory; every change is one call of
cases.services (report, report_self_handled, act), which checks state, actor and input.

Decisions a client should know:
- Photos come as base64 strings in a JSON body, or as file parts of a multipart/form-data body
  (``photos``; ``before`` and ``after`` for a problem fixed on the spot).
- ``Idempotency-Key`` on POST /cases (and /cases/self-handled): the first request makes the
  case (201), a retry with the same key returns that case (200), whatever its body.
- A place outside the jurisdiction is refused with 400 ``outside_jurisdiction`` naming ``lon``:
  the point is in the body, so the body is wrong (GET /locate answers 404 for the same point).
- Lost races are 409. GET /cases/{id} returns the case's ``version`` (also as its ETag); send it
  back as ``If-Match`` or ``version`` with an action, and a case changed in between is refused
  with 409 before anything is checked. Without it, the service's compare-and-set still makes
  the later of two simultaneous actions a 409.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Header, Query, Router, Status

from wangge.cases import rates, selectors, services
from wangge.cases.actors import Actor
from wangge.cases.models import Case, CaseStatus
from wangge.cases.schemas import (
    ACTION_BODY,
    REPORT_BODY,
    SELF_HANDLED_BODY,
    ActionIn,
    CaseDetailOut,
    CaseFilter,
    CasePage,
    CategoryOut,
    CategoryQuery,
    QueueIn,
    QueueOut,
    RatesIn,
    RatesOut,
    ReportIn,
    SelfHandledIn,
    action_data,
    case_detail_out,
    case_summary_out,
    category_by_code,
    category_out,
    if_match_version,
    photos_of,
    rates_out,
    read_body,
    validated,
)
from wangge.cases.taxonomy import category_search
from wangge.cases.workflow import TRANSITIONS, allowed_actions
from wangge.core.errors import Conflict, DomainError
from wangge.core.schemas import errors
from wangge.org.locate import OutsideJurisdiction
from wangge.org.territory import request_territory
from wangge.people.schemas import PageIn

router = Router(tags=["cases"])

IDEMPOTENCY_KEY = Header(
    None,
    alias="Idempotency-Key",
    description="8 to 100 characters, unique per report: a retry returns the same case",
)

# Fixed paths (/cases/queues, /cases/self-handled) are declared before /cases/{id}, and the id
# is an int converter, so neither is ever read as a case id.


@router.get("/categories", response={200: list[CategoryOut], **errors(401, 422)})
def categories(request: HttpRequest, query: Query[CategoryQuery]) -> list[dict[str, Any]]:
    """Categories in use, best match first: by code, name, keywords, class, pinyin or its
    initials (``zdjy`` finds 占道经营)."""
    return [category_out(c) for c in category_search(query.q or "", query.limit)]


@router.get("/cases/queues", response={200: list[QueueOut], **errors(401, 422)})
def case_queues(request: HttpRequest, query: Query[QueueIn]) -> list[dict[str, Any]]:
    """The centre's work queues (to verify, to file, to dispatch, overdue, extensions, to close,
    to evaluate, suspended): each with its count and its first ``limit`` cases."""
    now = timezone.now()
    return [
        {
            "name": name,
            "count": cases.count(),
            "items": [case_summary_out(c, now) for c in cases[: query.limit]],
        }
        for name, cases in selectors.queues(request_territory(request), now).items()
    ]


@router.post(
    "/cases/self-handled",
    response={200: CaseDetailOut, 201: CaseDetailOut, **errors(400, 401, 403, 409, 413, 422)},
    openapi_extra=SELF_HANDLED_BODY,
)
def case_self_handled(
    request: HttpRequest, response: HttpResponse, idempotency_key: str | None = IDEMPOTENCY_KEY
) -> Status[dict[str, Any]]:
    """Record a problem fixed on the spot (tier 1) by a five-role member or a level-4 leader,
    with photos before and after; it skips filing and dispatch."""
    body = read_body(request)
    payload = validated(SelfHandledIn, body.data)
    replay = services.replayed_report(request.user, idempotency_key) if idempotency_key else None
    if replay is not None:
        return _case_response(request, response, replay, 200)
    with _point_in_body():
        case = services.report_self_handled(
            actor_user=request.user,
            category=category_by_code(payload.category),
            description=payload.description,
            lon=payload.lon,
            lat=payload.lat,
            address=payload.address,
            before=photos_of(body, payload.before, "before"),
            after=photos_of(body, payload.after, "after"),
            idempotency_key=idempotency_key,
        )
    return _case_response(request, response, case, 201)


@router.post(
    "/cases",
    response={200: CaseDetailOut, 201: CaseDetailOut, **errors(400, 401, 409, 413, 422)},
    openapi_extra=REPORT_BODY,
)
def case_report(
    request: HttpRequest, response: HttpResponse, idempotency_key: str | None = IDEMPOTENCY_KEY
) -> Status[dict[str, Any]]:
    """Report a problem (信息采集): located to its grid, community and subdistrict."""
    body = read_body(request)
    payload = validated(ReportIn, body.data)
    replay = services.replayed_report(request.user, idempotency_key) if idempotency_key else None
    if replay is not None:
        return _case_response(request, response, replay, 200)
    with _point_in_body():
        case = services.report(
            actor_user=request.user,
            source=payload.source,
            description=payload.description,
            lon=payload.lon,
            lat=payload.lat,
            address=payload.address,
            category=category_by_code(payload.category) if payload.category else None,
            urgency=payload.urgency,
            reporter_name=payload.reporter_name,
            reporter_phone=payload.reporter_phone,
            photos=photos_of(body, payload.photos, "photos"),
            idempotency_key=idempotency_key,
        )
    return _case_response(request, response, case, 201)


@router.get("/cases", response={200: CasePage, **errors(401, 422)})
def case_list(
    request: HttpRequest, filters: Query[CaseFilter], page: Query[PageIn]
) -> dict[str, Any]:
    """Cases in your territory, filtered, newest first; ``limit``/``offset`` page through them."""
    now = timezone.now()
    found = filters.apply(selectors.cases_visible(request_territory(request)), now)
    items = found[page.offset : page.offset + page.limit]
    return {"count": found.count(), "items": [case_summary_out(c, now) for c in items]}


@router.get(
    "/cases/{int:case_id}",
    response={200: CaseDetailOut, **errors(401, 404)},
    url_name="case_detail",
)
def case_detail(request: HttpRequest, response: HttpResponse, case_id: int) -> dict[str, Any]:
    """One case: where, what, who, the due times, photos, the event log and the actions you
    may take now. The ETag header is the case's version (send it back as If-Match)."""
    case = selectors.case_get(request_territory(request), case_id)
    return _case_response(request, response, case, 200).value


@router.post(
    "/cases/{int:case_id}/actions/{action}",
    response={200: CaseDetailOut, **errors(400, 401, 403, 404, 409, 413, 422)},
    openapi_extra=ACTION_BODY,
)
def case_act(
    request: HttpRequest,
    response: HttpResponse,
    case_id: int,
    action: str,
    if_match: str | None = Header(None, alias="If-Match", description="the version read"),
) -> dict[str, Any]:
    """Take one workflow action (cases.workflow.TRANSITIONS) with its data: ``category`` as a
    code, ``unit`` as a handling-unit id or name, ``duplicate_of`` as a case number."""
    if action not in TRANSITIONS:
        # Checked first: nothing else about the request matters for an action that does not exist.
        raise DomainError(
            f"unknown action {action!r}; actions: {', '.join(TRANSITIONS)}", field="action"
        )
    territory = request_territory(request)
    case = selectors.case_get(territory, case_id)
    body = read_body(request, required=False)
    payload = validated(ActionIn, body.data)
    data = action_data(payload, case, selectors.cases_visible(territory))
    expected = if_match_version(if_match)
    expected = payload.version if expected is None else expected
    if expected is not None and expected != case.version:
        raise Conflict(
            f"case {case.number} was changed since you read it (version {expected}, now"
            f" {case.version}); reload it and try again",
            field="version",
        )
    case = services.act(
        case,
        action,
        actor_user=request.user,
        data=data,
        photos=photos_of(body, payload.photos, "photos"),
    )
    return _case_response(request, response, case, 200).value


@router.get("/stats/rates", response={200: RatesOut, **errors(400, 401, 422)})
def stats_rates(request: HttpRequest, query: Query[RatesIn]) -> dict[str, Any]:
    """The case figures of your territory over a period (结案率, 按期结案率, …), in total or
    ``by`` grid, community, subdistrict, unit, handler, source, tier or month, with each
    figure's definition."""
    period = rates.Period.parse(query.period)
    cases = selectors.cases_visible(request_territory(request))
    by = query.by or None
    if by is None:
        rows = [rates.Row(None, period.label, rates.figures(cases, period))]
    else:
        rows = rates.figures_by(cases, period, by)
    return rates_out(period, by, rows)


# ---------------------------------------------------------------------------------------------


def _case_response(
    request: HttpRequest, response: HttpResponse, case: Case, status: int
) -> Status[dict[str, Any]]:
    """The case as CaseDetailOut, with its version as the ETag."""
    response["ETag"] = f'"{case.version}"'
    if status == 201:
        response["Location"] = reverse("api:case_detail", kwargs={"case_id": case.pk})
    actions = allowed_actions(case, Actor.of(request.user))
    duplicates: list[Case] = []
    if case.status == CaseStatus.REPORTED:
        # Offered at filing (reject as duplicate_of); only cases the user may see.
        visible = selectors.cases_visible(request_territory(request))
        nearby = [c.pk for c in selectors.likely_duplicates(case)]
        duplicates = sorted(visible.filter(pk__in=nearby), key=lambda c: nearby.index(c.pk))
    return Status(status, case_detail_out(case, actions, duplicates, timezone.now()))


@contextmanager
def _point_in_body() -> Iterator[None]:
    """locate's 404 for a point outside the jurisdiction becomes a 400: the point is in the
    body, so it is the body that is wrong (as people.api does for a grid named in a body)."""
    try:
        yield
    except OutsideJurisdiction as exc:
        raise DomainError(exc.message, field=exc.field, code=exc.code) from None
