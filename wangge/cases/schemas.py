"""Shapes of the cases API: request bodies (JSON or multipart), filters, responses.

A report or an action may carry photos, so its body comes either as JSON (photos as base64
strings) or as ``multipart/form-data`` (the same fields as form fields, photos as file parts).
ninja binds one content type per operation, so these bodies are read by ``read_body`` and
validated here with the same schemas and the same 422 shape as every other body.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pydantic
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Schema
from ninja.errors import ValidationError
from pydantic import ConfigDict, Field, field_validator

from wangge.cases import rates
from wangge.cases.models import Case, CaseEvent, CaseSource, CaseStatus, Category
from wangge.cases.selectors import cases_filter
from wangge.cases.services import MAX_PHOTO_BYTES
from wangge.cases.workflow import Transition
from wangge.core.errors import DomainError
from wangge.org.models import HandlingUnit
from wangge.org.schemas import Ref, check_community_code
from wangge.people.models import Person

M = TypeVar("M", bound=pydantic.BaseModel)

# ---------------------------------------------------------------------------------------------
# Reading a body that is JSON or multipart


class Body:
    """A request body as data (a dict) and its uploaded files by form field name."""

    def __init__(self, data: dict[str, Any], files: dict[str, list[UploadedFile]]) -> None:
        self.data = data
        self.files = files


def read_body(request: HttpRequest, *, required: bool = True) -> Body:
    """JSON, or multipart/form-data (or a plain form): the fields as a dict, files aside."""
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        # Form fields are single values; files go by name (``photos``, ``before``, ``after``).
        data = {key: request.POST.get(key) for key in request.POST}
        files = {key: request.FILES.getlist(key) for key in request.FILES}
        return Body(data, files)
    if not request.body.strip():
        if required:
            raise DomainError("a JSON object is required", field="body")
        return Body({}, {})
    try:
        data = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise DomainError("the request body is not valid JSON", field="body") from None
    if not isinstance(data, dict):
        raise DomainError("the request body must be a JSON object", field="body")
    return Body(data, {})


def validated(schema: type[M], data: dict[str, Any]) -> M:
    """Validate like ninja does, so that a bad field is a 422 in the one error shape."""
    try:
        return schema.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ValidationError(
            [
                {**e, "loc": ("body", "payload", *e["loc"])}
                for e in exc.errors(include_url=False, include_context=False)
            ]
        ) from None


_DATA_URL = re.compile(r"^data:[\w/+.-]*;base64,")
# base64 grows 4/3; a string longer than this cannot decode to a photo the service accepts.
_MAX_BASE64 = MAX_PHOTO_BYTES * 4 // 3 + 4


def photos_of(body: Body, encoded: list[str], field: str) -> list[UploadedFile]:
    """The photos of one field: uploaded files, else base64 strings (data: URLs allowed).

    They become files named after their place (``photos[1]``), so that the service's
    "… is not an image" names the one that is wrong.
    """
    if body.files.get(field):
        return [f for f in body.files[field]]
    out: list[UploadedFile] = []
    for i, text in enumerate(encoded):
        name = f"{field}[{i}]"
        if len(text) > _MAX_BASE64:
            raise DomainError(f"{name} is larger than 10 MB", field=field)
        try:
            content = base64.b64decode(_DATA_URL.sub("", text.strip()), validate=True)
        except (binascii.Error, ValueError):
            raise DomainError(
                f"{name} is not base64 (send a file as multipart)", field=field
            ) from None
        out.append(SimpleUploadedFile(name, content))
    return out


# ---------------------------------------------------------------------------------------------
# Request bodies


class ReportIn(Schema):
    source: str = Field(..., description=f"one of {', '.join(CaseSource.values)}")
    description: str
    # Text or number: org.locate's parse_point says what is wrong with a bad coordinate.
    lon: float | str = Field(..., description="WGS84 longitude")
    lat: float | str = Field(..., description="WGS84 latitude")
    address: str = ""
    category: str | None = Field(None, description="category code (may wait until filing)")
    urgency: str | None = Field(None, description="normal or urgent (default: the category's)")
    reporter_name: str = ""
    reporter_phone: str = ""
    photos: list[str] = Field(
        default_factory=list, description="base64 images (JPEG, PNG, WebP, GIF; ≤ 10 MB each)"
    )


class SelfHandledIn(Schema):
    category: str = Field(..., description="category code")
    description: str
    lon: float | str
    lat: float | str
    address: str = ""
    before: list[str] = Field(default_factory=list, description="base64 images before the fix")
    after: list[str] = Field(default_factory=list, description="base64 images after the fix")


class ActionIn(pydantic.BaseModel):
    """The data of any action (workflow.TRANSITIONS says which keys each one needs).

    The keys typed here are converted (a form's "false" is false); others pass through as given.
    A plain pydantic model: ninja's Schema reads attributes through its Django getter, which
    drops the extra keys.
    """

    model_config = ConfigDict(extra="allow")

    version: int | None = Field(
        None, description="the case's version as read (or an If-Match header): stale → 409"
    )
    category: str | None = Field(None, description="category code (file)")
    unit: int | str | None = Field(None, description="handling unit id or name (dispatch)")
    duplicate_of: str | None = Field(None, description="case number (reject as duplicate)")
    passed: bool | None = Field(None, description="verify")
    confirmed: bool | None = Field(None, description="verify-report")
    tier: int | None = Field(None, description="file, set-tier")
    hours: int | None = Field(None, description="request-extension")
    satisfaction: int | None = Field(None, description="evaluate: 1 to 5")
    facts: dict[str, Any] | None = Field(None, description="file: facts for the tier")
    oversight: int | None = Field(None, description="reply-oversight, close-oversight")
    photos: list[str] = Field(default_factory=list, description="base64 images")

    @field_validator("facts", mode="before")
    @classmethod
    def _facts_from_form(cls, value: Any) -> Any:
        # In a multipart form the facts object comes as JSON text.
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                raise ValueError("facts must be a JSON object") from None
        return value


def _body_doc(schema: type[pydantic.BaseModel], files: tuple[str, ...]) -> dict[str, Any]:
    """OpenAPI for a body that is JSON or multipart (photos as file parts)."""
    json_schema = schema.model_json_schema()
    form = json.loads(json.dumps(json_schema))
    for name in files:
        form["properties"][name] = {
            "type": "array",
            "items": {"type": "string", "format": "binary"},
        }
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": json_schema},
                "multipart/form-data": {"schema": form},
            },
        }
    }


REPORT_BODY = _body_doc(ReportIn, ("photos",))
SELF_HANDLED_BODY = _body_doc(SelfHandledIn, ("before", "after"))
ACTION_BODY = _body_doc(ActionIn, ("photos",))
ACTION_BODY["requestBody"]["required"] = False


# ---------------------------------------------------------------------------------------------
# Codes, ids and numbers in a body → the objects services take


def category_by_code(code: str, *, field: str = "category") -> Category:
    found = Category.objects.filter(code=code.strip()).first()
    if found is None:
        raise DomainError(
            f"unknown category code {code!r} (GET /api/v1/categories lists them)", field=field
        )
    return found


def unit_by_ref(ref: int | str, case: Case) -> HandlingUnit:
    """A handling unit by id, or by name (a name used in two districts means the case's)."""
    if isinstance(ref, int) or ref.strip().isdigit():
        found = HandlingUnit.objects.filter(pk=int(ref)).first()
    else:
        units = list(HandlingUnit.objects.filter(name=ref.strip()))
        if len(units) > 1:
            units = [u for u in units if u.district_id == case.subdistrict.district_id]
        if len(units) > 1:
            raise DomainError(f"several units are called {ref!r}; send its id", field="unit")
        found = units[0] if units else None
    if found is None:
        raise DomainError(f"unknown handling unit {ref!r}", field="unit")
    return found


def case_by_number(cases: QuerySet[Case], number: str) -> Case:
    found = cases.filter(number=number.strip()).first()
    if found is None:
        raise DomainError(f"no case {number!r} in your territory", field="duplicate_of")
    return found


def action_data(payload: ActionIn, case: Case, visible: QuerySet[Case]) -> dict[str, Any]:
    """The data services.act takes: what was sent, with codes, ids and numbers as objects."""
    data = payload.model_dump(exclude_unset=True, exclude={"version", "photos"})
    if payload.category is not None:
        data["category"] = category_by_code(payload.category)
    if payload.unit is not None:
        data["unit"] = unit_by_ref(payload.unit, case)
    if payload.duplicate_of is not None:
        data["duplicate_of"] = case_by_number(visible, payload.duplicate_of)
    return data


def if_match_version(header: str | None) -> int | None:
    """``If-Match: "7"`` (the ETag of GET /cases/{id}), ``W/"7"`` or ``7`` → 7."""
    if header is None or not header.strip():
        return None
    text = header.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise DomainError(
            f'If-Match must be the case\'s version as its ETag gives it, e.g. "3"; got {header!r}',
            field="If-Match",
        )
    return int(text)


# ---------------------------------------------------------------------------------------------
# The case list's filters


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), _tz())


class CaseFilter(Schema):
    status: list[str] | None = Field(
        None, description="one or more states, repeated or comma-separated"
    )
    grid: str | None = Field(None, description="15-digit grid code")
    community: str | None = Field(None, description="12-digit community code")
    category: str | None = Field(None, description="category code")
    source: str | None = Field(None, description=f"one of {', '.join(CaseSource.values)}")
    tier: int | None = Field(None, ge=1, le=6)
    overdue: bool | None = Field(None, description="dispatched or handling, past the due time")
    key: bool | None = Field(None, description="key cases (重点案件)")
    reported_from: dt.date | None = Field(None, description="reported on or after this day")
    reported_to: dt.date | None = Field(None, description="reported on or before this day")
    q: str | None = Field(None, description="a case number, or words of the description/address")

    _check_community = field_validator("community")(check_community_code)

    @field_validator("status")
    @classmethod
    def _statuses(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        states = [s.strip() for item in value for s in item.split(",") if s.strip()]
        unknown = [s for s in states if s not in CaseStatus.values]
        if unknown:
            raise ValueError(
                f"unknown status {unknown[0]!r}; states: {', '.join(CaseStatus.values)}"
            )
        return states or None

    @field_validator("source")
    @classmethod
    def _source(cls, value: str | None) -> str | None:
        if value is not None and value not in CaseSource.values:
            raise ValueError(f"unknown source {value!r}; sources: {', '.join(CaseSource.values)}")
        return value

    def apply(self, cases: QuerySet[Case], now: dt.datetime) -> QuerySet[Case]:
        """Narrow a scoped queryset through cases.selectors.cases_filter."""
        return cases_filter(
            cases,
            statuses=self.status,
            grid_code=self.grid or "",
            community_code=self.community or "",
            category_code=self.category or "",
            source=self.source or "",
            tier=self.tier,
            overdue=self.overdue,
            key=self.key,
            reported_from=self.reported_from,
            reported_to=self.reported_to,
            text=self.q or "",
            now=now,
        )


class QueueIn(Schema):
    limit: int = Field(10, ge=0, le=100, description="items shown per queue")


class RatesIn(Schema):
    period: str = Field(..., description="YYYY-MM, YYYY or YYYY-MM-DD..YYYY-MM-DD")
    by: str | None = Field(None, description=f"one of {', '.join(rates.BY_CHOICES)}; none: total")


class CategoryQuery(Schema):
    q: str | None = Field(None, description="part of the name, code or keywords")
    limit: int = Field(50, ge=1, le=500)


# ---------------------------------------------------------------------------------------------
# Responses


class CategoryRef(Schema):
    code: str
    name: str


class IdName(Schema):
    id: int
    name: str


class LeaderRef(Schema):
    level: str
    level_label: str
    title: str
    person_name: str | None


class CaseSummaryOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    source: str
    category: CategoryRef | None
    description: str
    address: str
    grid: Ref
    community: Ref
    urgency: str
    tier: int | None
    reported_at: dt.datetime
    handling_due_at: dt.datetime | None
    overdue: bool
    is_key: bool
    rework_count: int


class CasePage(Schema):
    count: int
    items: list[CaseSummaryOut]


class CaseRef(Schema):
    id: int
    number: str
    status: str
    description: str


class PhotoOut(Schema):
    url: str
    kind: str
    event: int | None


class EventOut(Schema):
    id: int
    at: dt.datetime
    actor: str | None
    action: str
    from_status: str
    to_status: str
    comment: str
    data: dict[str, Any]


class ActionOut(Schema):
    action: str
    label: str


class InstructionOut(Schema):
    at: dt.datetime
    by: str | None
    text: str


class MeetingOut(Schema):
    date: dt.date
    attendees: str
    decisions: str


class OversightReplyOut(Schema):
    at: dt.datetime
    by: str | None
    text: str


class OversightOut(Schema):
    id: int
    unit: str | None
    deadline: dt.datetime
    demand: str
    outcome: str
    closed_at: dt.datetime | None
    replies: list[OversightReplyOut]


class CaseDetailOut(CaseSummaryOut):
    version: int
    lon: float
    lat: float
    subdistrict: Ref
    reporter_name: str
    tier_reason: str
    leader: LeaderRef | None
    dispatch_target: str
    handling_unit: IdName | None
    handler: IdName | None
    step_due_at: dt.datetime | None
    filed_at: dt.datetime | None
    dispatched_at: dt.datetime | None
    handled_at: dt.datetime | None
    closed_at: dt.datetime | None
    on_time: bool | None
    extension_count: int
    pending_extension_hours: int | None
    key_reason: str
    duplicate_of: str | None
    satisfaction: int | None
    photos: list[PhotoOut]
    events: list[EventOut]
    instructions: list[InstructionOut]
    meetings: list[MeetingOut]
    oversights: list[OversightOut]
    likely_duplicates: list[CaseRef]
    allowed_actions: list[ActionOut]


class QueueOut(Schema):
    name: str
    count: int
    items: list[CaseSummaryOut]


class CategoryOut(Schema):
    code: str
    name: str
    kind: str
    major_name: str
    keywords: str
    time_limit: int
    time_unit: str
    urgency: str
    default_target: str


class PeriodOut(Schema):
    label: str
    start: dt.datetime
    end: dt.datetime


class RatesRow(Schema):
    key: int | str | None
    label: str
    figures: dict[str, int | float | None]


class RatesOut(Schema):
    period: PeriodOut
    by: str | None
    rows: list[RatesRow]
    labels: dict[str, str]
    definitions: dict[str, str]


def case_summary_out(case: Case, now: dt.datetime) -> dict[str, Any]:
    category = case.category
    return {
        "id": case.pk,
        "number": case.number,
        "status": case.status,
        "status_label": str(case.get_status_display()),
        "source": case.source,
        "category": {"code": category.code, "name": category.name} if category else None,
        "description": case.description,
        "address": case.address,
        "grid": {"code": case.grid.code, "name": case.grid.name},
        # The case's community lies in the case's subdistrict (both come from locate), whose
        # district is already loaded: community.full_code would load them again per row.
        "community": {
            "code": f"{case.subdistrict.full_code}{case.community.code}",
            "name": case.community.name,
        },
        "urgency": case.urgency,
        "tier": case.tier,
        "reported_at": case.reported_at,
        "handling_due_at": case.handling_due_at,
        "overdue": case.overdue_at(now),
        "is_key": case.is_key,
        "rework_count": case.rework_count,
    }


def _names(user_ids: set[int]) -> dict[int, str]:
    """A user's name as people know it: their person's name, else the username."""
    from django.contrib.auth import get_user_model

    names = {u.pk: u.get_username() for u in get_user_model().objects.filter(pk__in=user_ids)}
    names.update(Person.objects.filter(user_id__in=user_ids).values_list("user_id", "name"))
    return names


def case_detail_out(
    case: Case, actions: list[Transition], duplicates: list[Case], now: dt.datetime
) -> dict[str, Any]:
    """One case with its photos, event log, instructions, meetings, oversight, its likely
    duplicates and the actions the requesting user may take now."""
    events: list[CaseEvent] = list(case.events.order_by("at", "id"))
    instructions = list(case.instructions.all())
    oversights = list(case.oversights.select_related("unit").prefetch_related("replies"))
    names = _names(
        {e.actor_id for e in events if e.actor_id}
        | {i.by_id for i in instructions if i.by_id}
        | {r.by_id for o in oversights for r in o.replies.all() if r.by_id}
    )
    post = case.leader_post
    return {
        **case_summary_out(case, now),
        "version": case.version,
        "lon": float(case.lon),
        "lat": float(case.lat),
        "subdistrict": {"code": case.subdistrict.full_code, "name": case.subdistrict.name},
        "reporter_name": case.reporter_name,
        "tier_reason": case.tier_reason,
        "leader": {
            "level": post.level,
            "level_label": str(post.get_level_display()),
            "title": post.title,
            "person_name": post.person.name if post.person else None,
        }
        if post
        else None,
        "dispatch_target": case.dispatch_target,
        "handling_unit": {"id": case.handling_unit.pk, "name": case.handling_unit.name}
        if case.handling_unit
        else None,
        "handler": {"id": case.handler.pk, "name": case.handler.name} if case.handler else None,
        "step_due_at": case.step_due_at,
        "filed_at": case.filed_at,
        "dispatched_at": case.dispatched_at,
        "handled_at": case.handled_at,
        "closed_at": case.closed_at,
        "on_time": case.on_time,
        "extension_count": case.extension_count,
        "pending_extension_hours": case.pending_extension_hours,
        "key_reason": case.key_reason,
        "duplicate_of": case.duplicate_of.number if case.duplicate_of else None,
        "satisfaction": case.satisfaction,
        "photos": [
            {"url": p.image.url, "kind": p.kind, "event": p.event_id} for p in case.photos.all()
        ],
        "events": [
            {
                "id": e.pk,
                "at": e.at,
                "actor": names.get(e.actor_id) if e.actor_id else None,
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "comment": e.comment,
                "data": e.data,
            }
            for e in events
        ],
        "instructions": [
            {"at": i.at, "by": names.get(i.by_id) if i.by_id else None, "text": i.text}
            for i in instructions
        ],
        "meetings": [
            {"date": m.date, "attendees": m.attendees, "decisions": m.decisions}
            for m in case.meetings.all()
        ],
        "oversights": [
            {
                "id": o.pk,
                "unit": o.unit.name if o.unit else None,
                "deadline": o.deadline,
                "demand": o.demand,
                "outcome": o.outcome,
                "closed_at": o.closed_at,
                "replies": [
                    {"at": r.at, "by": names.get(r.by_id) if r.by_id else None, "text": r.text}
                    for r in o.replies.all()
                ],
            }
            for o in oversights
        ],
        "likely_duplicates": [
            {"id": d.pk, "number": d.number, "status": d.status, "description": d.description}
            for d in duplicates
        ],
        "allowed_actions": [{"action": t.action, "label": str(t.label)} for t in actions],
    }


def category_out(c: Category) -> dict[str, Any]:
    return {
        "code": c.code,
        "name": c.name,
        "kind": c.kind,
        "major_name": c.major_name,
        "keywords": c.keywords,
        "time_limit": c.time_limit,
        "time_unit": c.time_unit,
        "urgency": c.urgency,
        "default_target": c.default_target,
    }


def _number(value: int | Decimal | None) -> int | float | None:
    # Rates and hours are Decimals (exact in the module); JSON clients want numbers, not text.
    return float(value) if isinstance(value, Decimal) else value


def figures_out(figures: rates.Figures) -> dict[str, int | float | None]:
    return {name: _number(value) for name, value in figures.as_dict().items()}


def rates_out(period: rates.Period, by: str | None, rows: list[rates.Row]) -> dict[str, Any]:
    return {
        "period": {"label": period.label, "start": period.start, "end": period.end},
        "by": by,
        "rows": [{"key": r.key, "label": r.label, "figures": figures_out(r.figures)} for r in rows],
        "labels": rates.LABELS,
        "definitions": rates.DEFINITIONS,
    }
