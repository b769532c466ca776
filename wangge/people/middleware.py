from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from wangge.people.territory import territory_of


class TerritoryMiddleware:
    """Attach ``request.territory``, worked out on first use from ``request.user``.

    Lazy, so an API token that sets ``request.user`` later is still the user it is computed for.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.territory = SimpleLazyObject(lambda: territory_of(getattr(request, "user", None)))  # type: ignore[attr-defined]
        return self.get_response(request)
