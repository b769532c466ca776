"""The in-app inbox: services that write to it, and the reads the pages make.

A message reaches a person three ways: the inbox (a row here), the live push to their open
pages (``web`` streams new rows as server-sent events) and, when asked, the outbound channel
(SMS, WeChat …; see ``core.channels``), sent after the transaction commits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from wangge.core.channels import outbound_channel
from wangge.core.models import Notification


def notify(
    *,
    user: Any,
    text: str,
    url: str = "",
    at: dt.datetime | None = None,
    kind: str = "",
    outbound: bool = False,
) -> Notification:
    """Put a message in a user's inbox (call inside the transaction that causes it).

    ``outbound`` also sends it through the configured outbound channel once the transaction
    commits, so a rolled-back change never sends a text message.
    """
    note = Notification.objects.create(
        user=user, text=text[:300], url=url[:200], kind=kind[:16], created_at=at or timezone.now()
    )
    if outbound:
        transaction.on_commit(lambda: outbound_channel().send(note))
    return note


def mark_read(*, user: Any) -> int:
    """Mark all of a user's messages read; returns how many were unread."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def inbox(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def newer_than(user: Any, last_id: int) -> list[Notification]:
    """A user's messages after ``last_id``, oldest first (what the live push sends next)."""
    return list(Notification.objects.filter(user=user, pk__gt=last_id).order_by("pk")[:50])
