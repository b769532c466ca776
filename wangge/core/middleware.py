from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


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
