"""The wage-sheet pages: a project's payees and its monthly payroll."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return HttpResponse("payroll")  # placeholder, replaced by the payroll pages
