"""Who may change what. Reads are scoped by territory; writes to master data need these rights."""

from __future__ import annotations

from typing import Any

from wangge.core.errors import Forbidden
from wangge.people.groups import ADMINS


def can_manage_master_data(user: Any) -> bool:
    """Grids, people and role assignments: superusers and the admins group only."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or user.groups.filter(name=ADMINS).exists())


def require_master_data(user: Any) -> None:
    """Refuse (403) anyone who may not change master data."""
    if not can_manage_master_data(user):
        raise Forbidden("changing master data (grids, people, roles) needs the admins group")
