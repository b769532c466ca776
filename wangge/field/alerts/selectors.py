"""Reads about alerts: a person's open deliveries, the alerts of a territory, one alert."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from wangge.core.errors import NotFound
from wangge.field.alerts.models import Alert, AlertRecipient
from wangge.org.models import Grid
from wangge.org.territory import Territory
from wangge.people.models import Person


def open_for(person: Person) -> QuerySet[AlertRecipient]:
    """Deliveries to this person not yet acknowledged, newest first."""
    return (
        AlertRecipient.objects.filter(person=person, acknowledged_at__isnull=True)
        .select_related("alert", "grid")
        .order_by("-delivered_at", "-pk")
    )


def open_for_user(user: Any) -> QuerySet[AlertRecipient]:
    return (
        AlertRecipient.objects.filter(user=user, acknowledged_at__isnull=True)
        .select_related("alert", "grid")
        .order_by("-delivered_at", "-pk")
    )


def alerts_visible(territory: Territory) -> QuerySet[Alert]:
    """Alerts sent to any grid of the territory, newest first, with their counts."""
    grids = Grid.objects.filter(territory.grid_q())
    ids = Alert.objects.filter(grids__in=grids).values("pk")
    return (
        Alert.objects.filter(pk__in=ids)
        .select_related("sent_by")
        .annotate(
            n_recipients=Count("recipients", distinct=True),
            n_acknowledged=Count(
                "recipients", filter=Q(recipients__acknowledged_at__isnull=False), distinct=True
            ),
        )
        .order_by("-sent_at", "-pk")
    )


def alert_get(territory: Territory, pk: int, user: Any = None) -> Alert:
    """One alert in the territory, or one sent to the user."""
    alert = alerts_visible(territory).filter(pk=pk).first()
    if alert is None and user is not None and getattr(user, "is_authenticated", False):
        alert = Alert.objects.filter(pk=pk, recipients__user=user).first()
    if alert is None:
        raise NotFound(f"no alert {pk} in your territory", field="id")
    return alert


def recipients_of(alert: Alert) -> QuerySet[AlertRecipient]:
    """Who the alert reached: acknowledged or not, recalls, leader told."""
    return (
        AlertRecipient.objects.filter(alert=alert)
        .select_related("person", "grid")
        .order_by("acknowledged_at", "grid__code", "role", "person__name", "pk")
    )
