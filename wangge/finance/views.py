"""The finance pages: budget projects, their allocations and expenditures."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return HttpResponse("finance")  # placeholder, replaced by the budget pages
