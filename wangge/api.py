"""The JSON API: each app's router under /api/v1/, one error shape, token or session auth.

Every error is ``{"message": ..., "field": ... or null, "code": ...}`` (plus ``errors`` when
several problems are reported at once), whether it comes from a service (DomainError), from
request validation (422) or from authentication (401).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, django_auth

from wangge.assessment.api import router as assessment_router
from wangge.assets.api import router as assets_router
from wangge.cases.api import router as cases_router
from wangge.core.errors import DomainError
from wangge.field.alerts.api import router as alerts_router
from wangge.field.duty.api import router as duty_router
from wangge.field.handover.api import router as handover_router
from wangge.field.linkage.api import router as linkage_router
from wangge.field.mobile.api import router as mobile_router
from wangge.finance.api import router as finance_router
from wangge.leaders.api import router as leaders_router
from wangge.org.api import router as org_router
from wangge.people.api import router as people_router
from wangge.people.services import token_user
from wangge.web.api import router as web_router

logger = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <key>`` with a key from people.services.token_create.

    The token's user becomes request.user, so request.territory (computed lazily by
    people.middleware.TerritoryMiddleware) is that user's territory.
    """

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header, "")
        scheme, _, key = header.partition(" ")
        if scheme.lower() != self.openapi_scheme:
            return None  # no token: let session auth try
        return self.authenticate(request, key.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(token)
        if user is None:
            # A token that was sent but is wrong is refused outright, not retried as a session:
            # a device should learn its token is bad, not be told about CSRF cookies.
            raise AuthenticationError(401, "the API token is unknown, revoked or its user inactive")
        request.user = user
        return user


api = NinjaAPI(
    title="wangge API",
    version="1",
    description="Grid-based city management: the organisation tree, grids, locate, people,"
    " cases and their figures.",
    urls_namespace="api",
    # Token first: a device's POST must not be asked for a CSRF token. django_auth checks CSRF
    # on unsafe methods for pages. The Swagger page at /api/v1/docs uses ninja's bundled
    # assets (ninja is in INSTALLED_APPS), so nothing is loaded from a CDN.
    auth=[TokenAuth(), django_auth],
)
# web's router holds /grids/check, /grids/import and /grids/{code}; org's holds only /grids.
api.add_router("", org_router)
api.add_router("", web_router)
api.add_router("", people_router)
api.add_router("", cases_router)
api.add_router("/duty", duty_router)
api.add_router("/linkage", linkage_router)
api.add_router("/alerts", alerts_router)
api.add_router("/handovers", handover_router)
api.add_router("/me", mobile_router)
api.add_router("/equipment", assets_router)
api.add_router("/leaders", leaders_router)
api.add_router("/assessment", assessment_router)
api.add_router("/finance", finance_router)


def error(
    request: HttpRequest,
    status: int,
    message: str,
    *,
    field: str | None = None,
    code: str,
    **extra: Any,
) -> HttpResponse:
    return api.create_response(
        request, {"message": message, "field": field, "code": code, **extra}, status=status
    )


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    extra: dict[str, Any] = {}
    problems = getattr(exc, "errors", None)  # org.services.ImportError_: every bad feature
    if problems:
        extra["errors"] = [{"message": p.message, "field": p.field} for p in problems]
    return error(request, exc.status, exc.message, field=exc.field, code=exc.code, **extra)


def _field(loc: tuple[Any, ...] | list[Any]) -> str | None:
    """("query", "lon") → "lon"; ("body", "payload", "end_date") → "end_date";
    ("body", "payload", "items", 2, "x") → "items[2].x"; ("body", "payload") → "body"."""
    parts = list(loc[1:])
    if loc and loc[0] == "body":
        parts = parts[1:]  # the view's parameter name, not part of the document
        if not parts:
            return "body"
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or None


def _message(item: dict[str, Any], field: str | None) -> str:
    msg = str(item.get("msg", "invalid value")).removeprefix("Value error, ")
    if item.get("type") == "missing":
        msg = "a JSON object is required" if field == "body" else "this field is required"
    return f"{field}: {msg}" if field else msg


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems: list[dict[str, Any]] = [
        {"message": _message(item, field), "field": field}
        for item in exc.errors
        for field in [_field(item.get("loc", ()))]
    ]
    first = problems[0] if problems else {"message": "the request is invalid", "field": None}
    # The first problem leads, like a DomainError; ``errors`` lists them all.
    return error(
        request, 422, str(first["message"]), field=first["field"], code="invalid", errors=problems
    )


@api.exception_handler(DjangoValidationError)
def model_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A model's full_clean() inside a service (a phone number of letters, say)."""
    if hasattr(exc, "error_dict"):
        field, messages = next(iter(exc.message_dict.items()))
        name: str | None = None if field == "__all__" else field
        return error(request, 400, f"{field}: {messages[0]}", field=name, code="invalid")
    return error(request, 400, exc.messages[0], code="invalid")


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = exc.message
    if message == "Unauthorized":  # ninja's default, when neither a token nor a session came
        message = "log in, or send an API token as 'Authorization: Bearer <key>'"
    response = error(request, 401, message, code="unauthorized")
    response["WWW-Authenticate"] = 'Bearer realm="wangge"'
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja raises these for a body it cannot parse (400), a failed CSRF check on a session
    # POST (403) and throttling (429).
    if exc.status_code == 400:
        return error(
            request, 400, "the request body is not valid JSON", field="body", code="invalid"
        )
    code = {403: "forbidden", 404: "not_found", 429: "throttled"}.get(exc.status_code, "error")
    return error(request, exc.status_code, exc.message, code=code)


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return error(
        request,
        413,
        f"the request body is larger than {limit:,} bytes (WANGGE_MAX_UPLOAD_MB); send fewer or"
        " smaller photos, or import a big GeoJSON file with `wangge grids import FILE`",
        field="body",
        code="too_large",
    )


@api.exception_handler(SuspiciousOperation)
def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    return error(request, 400, "the request was refused as malformed", code="bad_request")


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, str(exc) or "not found", code="not_found")


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    if settings.DEBUG:
        raise exc  # Django's debug page is the better help while developing
    logger.exception("API error on %s %s", request.method, request.path)
    return error(request, 500, "internal error; it has been logged", code="server_error")
