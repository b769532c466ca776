from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse


class DefaultLanguageMiddleware:
    """Show LANGUAGE_CODE (Simplified Chinese) unless the user picked a language.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a phone set to
    English would get English pages although the platform's language is Chinese. Placed just
    before LocaleMiddleware; the language switch sets the cookie that takes precedence.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The API keeps Accept-Language: another system asking for English should get it.
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and not request.path.startswith(
            "/api/"
        ):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class ApiMethodNotAllowedMiddleware:
    """Give the API's 405 the API's JSON error shape (django-ninja answers it in plain text)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.path.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            allowed = response.get("Allow", "")
            body = {
                "message": f"{request.method} is not allowed here"
                + (f"; allowed: {allowed}" if allowed else ""),
                "field": None,
                "code": "method_not_allowed",
            }
            json_response = JsonResponse(body, status=405)
            if allowed:
                json_response["Allow"] = allowed
            return json_response
        return response
