"""The hand-over pages: the list, the form with its preview, one hand-over's log.

Reads go through handover.selectors with request.territory; the one change is
services.hand_over. A DomainError is shown next to its field, a Forbidden is a 403.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wangge.core.errors import DomainError, Forbidden, NotFound
from wangge.org.territory import request_territory
from wangge.people.selectors import person_get

from . import selectors, services
from .models import HandoverKind


class HandoverForm(forms.Form):
    successor = forms.TypedChoiceField(label=gettext_lazy("Successor"), coerce=int)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=HandoverKind.choices, initial=HandoverKind.LEAVES
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)


@login_required
def handover_list(request: HttpRequest) -> HttpResponse:
    territory = request_territory(request)
    handovers = selectors.handovers_visible(territory)
    page = Paginator(handovers, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "handover/list.html",
        {"page": page, "people": selectors.people_to_hand_over(territory)},
    )


@login_required
def handover_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        handover = selectors.handover_get(request_territory(request), pk)
    except NotFound as exc:
        raise Http404(exc.message) from None
    items = list(handover.items.order_by("kind", "pk"))
    return render(request, "handover/detail.html", {"handover": handover, "items": items})


@login_required
def handover_new(request: HttpRequest) -> HttpResponse:
    territory = request_territory(request)
    try:
        person = person_get(territory, int(request.GET.get("person") or 0))
    except (NotFound, ValueError):
        raise Http404(_("Choose a person in your territory: /handovers/new/?person=ID")) from None
    if not services.may_hand_over(request.user, person):
        raise PermissionDenied(
            _("Only admins, the centre's operators and grid leaders over this person may.")
        )
    candidates = selectors.successor_candidates(territory, person)
    form = HandoverForm(request.POST or None)
    choices: list[Any] = [("", "—")]
    no_login = _("(no login: will not be notified)")
    choices += [(p.pk, p.name if p.user_id else f"{p.name} {no_login}") for p in candidates]
    form.fields["successor"].choices = choices  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        successor = next(p for p in candidates if p.pk == form.cleaned_data["successor"])
        try:
            handover = services.hand_over(
                person=person,
                successor=successor,
                by_user=request.user,
                reason=form.cleaned_data["reason"],
                kind=form.cleaned_data["kind"],
            )
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from None
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("handover:detail", pk=handover.pk)
    return render(
        request,
        "handover/new.html",
        {
            "person": person,
            "form": form,
            "preview": selectors.preview(person, timezone.localdate()),
        },
    )
