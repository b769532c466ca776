"""Domain errors: a message a person can act on, and the input field it concerns."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused an input or an action.

    ``field`` names the offending input (``"lon"``, ``"features[3].geometry"``) when there is one;
    ``status`` is the HTTP status the API answers with.
    """

    status = 400

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def as_dict(self) -> dict[str, str | None]:
        return {"message": self.message, "field": self.field, "code": self.code}


class NotFound(DomainError):
    status = 404

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field, code="not_found")


class Forbidden(DomainError):
    status = 403

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field, code="forbidden")


class Conflict(DomainError):
    status = 409

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field, code="conflict")
