"""Outbound channels: how a message leaves the platform (SMS, WeChat, a paging gateway …).

The platform calls ``outbound_channel().send(notification)``; which class answers is the
setting ``WANGGE_OUTBOUND_CHANNEL`` (a dotted path). The default only writes a log line, so a
fresh install sends nothing anywhere. A real gateway is one small class with a ``send``
method; it must be safe to call twice for the same notification (a job may be retried).
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from wangge.core.models import Notification

log = logging.getLogger("wangge.outbound")


class OutboundChannel(Protocol):
    def send(self, notification: Notification) -> None: ...


class LogChannel:
    """The default: records what would have been sent."""

    def send(self, notification: Notification) -> None:
        log.info(
            "outbound to user %s (%s): %s %s",
            notification.user_id,
            notification.kind or "message",
            notification.text,
            notification.url,
        )


@cache
def _channel_class(path: str) -> type[OutboundChannel]:
    cls: type[OutboundChannel] = import_string(path)
    return cls


def outbound_channel() -> OutboundChannel:
    return _channel_class(settings.WANGGE_OUTBOUND_CHANNEL)()
