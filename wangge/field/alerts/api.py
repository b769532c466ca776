"""The alerts API under /api/v1/alerts: the centre sends; recipients read theirs and
acknowledge (idempotent: acknowledging again returns the same time)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from wangge.core.errors import DomainError
from wangge.core.schemas import errors
from wangge.field.alerts import selectors, services
from wangge.field.alerts.models import Alert, AlertRecipient
from wangge.org.models import Grid
from wangge.org.territory import request_territory

router = Router(tags=["alerts"])


class AlertIn(Schema):
    kind: str = Field(description="instruction or emergency")
    title: str
    text: str
    grids: list[str] = Field(description="grid codes")
    roles: list[str] = Field(default_factory=list, description="empty: all five roles")
    ack_minutes: int | None = None


class RecipientOut(Schema):
    id: int
    person: str
    grid: str
    role: str
    delivered_at: dt.datetime
    acknowledged_at: dt.datetime | None
    recalls: int
    last_recalled_at: dt.datetime | None
    leader_told_at: dt.datetime | None


class AlertOut(Schema):
    id: int
    kind: str
    title: str
    text: str
    sent_at: dt.datetime
    ack_minutes: int
    grids: list[str]
    roles: list[str]
    acknowledged: int
    recipients: list[RecipientOut]


class DeliveryOut(Schema):
    id: int
    alert_id: int
    kind: str
    title: str
    text: str
    sent_at: dt.datetime
    ack_by: dt.datetime
    acknowledged_at: dt.datetime | None
    recalls: int


def recipient_out(r: AlertRecipient) -> dict[str, Any]:
    return {
        "id": r.pk,
        "person": r.person.name,
        "grid": r.grid.code,
        "role": r.role,
        "delivered_at": r.delivered_at,
        "acknowledged_at": r.acknowledged_at,
        "recalls": r.recalls,
        "last_recalled_at": r.last_recalled_at,
        "leader_told_at": r.leader_told_at,
    }


def alert_out(alert: Alert) -> dict[str, Any]:
    recipients = list(selectors.recipients_of(alert))
    return {
        "id": alert.pk,
        "kind": alert.kind,
        "title": alert.title,
        "text": alert.text,
        "sent_at": alert.sent_at,
        "ack_minutes": alert.ack_minutes,
        "grids": sorted(alert.grids.values_list("code", flat=True)),
        "roles": alert.roles,
        "acknowledged": sum(1 for r in recipients if r.acknowledged_at is not None),
        "recipients": [recipient_out(r) for r in recipients],
    }


def delivery_out(r: AlertRecipient) -> dict[str, Any]:
    return {
        "id": r.pk,
        "alert_id": r.alert_id,
        "kind": r.alert.kind,
        "title": r.alert.title,
        "text": r.alert.text,
        "sent_at": r.alert.sent_at,
        "ack_by": r.delivered_at + dt.timedelta(minutes=r.alert.ack_minutes),
        "acknowledged_at": r.acknowledged_at,
        "recalls": r.recalls,
    }


@router.post("", response={201: AlertOut, **errors(400, 401, 403, 422)})
def send(request: HttpRequest, payload: AlertIn) -> Status[dict[str, Any]]:
    """Send an instruction or emergency alert to everyone on duty in the grids (by code) and
    roles; 400 ``nobody_on_duty`` when nobody is, and nothing is sent."""
    codes = sorted(set(payload.grids))
    grids = {g.code: g for g in Grid.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in grids]
    if missing:
        raise DomainError(f"unknown grid code {missing[0]}", field="grids")
    alert = services.send_alert(
        by_user=request.user,
        kind=payload.kind,
        title=payload.title,
        text=payload.text,
        grids=list(grids.values()),
        roles=payload.roles,
        ack_minutes=payload.ack_minutes,
    )
    return Status(201, alert_out(alert))


@router.get("/mine", response={200: list[DeliveryOut], **errors(401)})
def mine(request: HttpRequest) -> list[dict[str, Any]]:
    """My deliveries not yet acknowledged, newest first."""
    return [delivery_out(r) for r in selectors.open_for_user(request.user)]


@router.get("/{int:alert_id}", response={200: AlertOut, **errors(401, 404)})
def detail(request: HttpRequest, alert_id: int) -> dict[str, Any]:
    """One alert with who acknowledged (when), who has not, recalls and leader told."""
    return alert_out(selectors.alert_get(request_territory(request), alert_id, request.user))


@router.post("/{int:alert_id}/ack", response={200: DeliveryOut, **errors(401, 403, 404)})
def acknowledge(request: HttpRequest, alert_id: int) -> dict[str, Any]:
    """Acknowledge my delivery of the alert (again: unchanged)."""
    alert = selectors.alert_get(request_territory(request), alert_id, request.user)
    recipient = services.acknowledge(alert, request.user)
    recipient = AlertRecipient.objects.select_related("alert").get(pk=recipient.pk)
    return delivery_out(recipient)
