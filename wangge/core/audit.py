from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from wangge.core.models import AuditEntry


def record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    object_type: str,
    object_id: object = "",
    summary: str,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit entry; call inside the transaction that makes the change."""
    user = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        actor=user,  # type: ignore[misc]
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        summary=summary[:500],
        data=data or {},
    )
