"""The one error shape of the API (wangge/api.py has the handlers that produce it)."""

from __future__ import annotations

from ninja import Schema


class ErrorItem(Schema):
    message: str
    field: str | None = None


class ErrorOut(Schema):
    message: str
    field: str | None = None
    code: str
    errors: list[ErrorItem] | None = None  # present when several problems are reported at once


def errors(*statuses: int) -> dict[int, type[Schema]]:
    """``response=`` entries documenting error statuses (they all use ErrorOut)."""
    return dict.fromkeys(statuses, ErrorOut)
