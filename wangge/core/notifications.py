"""The in-app inbox: services that write to it, and the reads the pages make."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from wangge.core.models import Notification


def notify(*, user: Any, text: str, url: str = "", at: dt.datetime | None = None) -> Notification:
    """Put a message in a user's inbox (call inside the transaction that causes it)."""
    return Notification.objects.create(
        user=user, text=text[:300], url=url[:200], created_at=at or timezone.now()
    )


def mark_read(*, user: Any) -> int:
    """Mark all of a user's messages read; returns how many were unread."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def inbox(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
