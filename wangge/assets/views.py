"""The equipment page: the inventory count (盘点) and the list, scoped to the territory."""

from __future__ import annotations

import csv

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from wangge.org.territory import request_territory

from . import selectors
from .models import Equipment, EquipmentCategory, EquipmentStatus, HolderKind

PER_PAGE = 50


class EquipmentFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", "—"), *EquipmentCategory.choices]
    )
    holder = forms.ChoiceField(
        label=_("Held by"), required=False, choices=[("", "—"), *HolderKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—"), *EquipmentStatus.choices]
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


def _filtered(request: HttpRequest) -> tuple[EquipmentFilterForm, QuerySet[Equipment]]:
    form = EquipmentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = selectors.equipment_filter(
        selectors.equipment_visible(request_territory(request)),
        category=filters.get("category") or None,
        holder=filters.get("holder") or None,
        status=filters.get("status") or None,
        q=filters.get("q") or "",
    )
    # "Paid by": the finance app's purchase of the item, if any (a reverse relation: assets does
    # not import finance, which sits to its right).
    return form, found.select_related("purchase__expenditure__project")


def _paid_by(item: Equipment) -> str:
    purchase = getattr(item, "purchase", None)
    if purchase is None:
        return ""
    spent = purchase.expenditure
    return f"{spent.date:%Y-%m-%d} {spent.voucher_no or spent.description} ({spent.project})"


@login_required
def equipment_list(request: HttpRequest) -> HttpResponse:
    visible = selectors.equipment_visible(request_territory(request))
    form, found = _filtered(request)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assets/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "inventory": selectors.inventory(visible),
            "holder_kinds": list(HolderKind),
        },
    )


@login_required
def equipment_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV (UTF-8 with BOM, so Excel opens the Chinese names)."""
    _form, found = _filtered(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="equipment.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Category"),
            _("Name"),
            _("Serial number"),
            _("Value (yuan)"),
            _("Purchased on"),
            _("Status"),
            _("Held by"),
            _("Paid by"),
        ]
    )
    for e in found.iterator():
        writer.writerow(
            [
                e.get_category_display(),
                e.name,
                e.serial,
                e.value,
                e.purchased_on or "",
                e.get_status_display(),
                e.holder_label,
                _paid_by(e),
            ]
        )
    return response
