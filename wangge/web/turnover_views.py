"""The turnover page of the grid staff (people/turnover/) and its Excel export.

Like the people page: any signed-in user, scoped by the territory (a subdistrict the user can
see). The figures and their definitions are wangge.people.turnover's; this module parses the
request, calls it and renders.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.errors import DomainError
from wangge.core.xlsx import DATE, DECIMAL_2, INTEGER, PERCENT, Column, Sheet, workbook_response
from wangge.org.models import Subdistrict
from wangge.org.territory import request_territory
from wangge.people.models import RoleKind
from wangge.people.turnover import TURNOVER_DEFINITIONS as DEF
from wangge.people.turnover import (
    TurnoverFigures,
    parse_period,
    subdistrict_choices,
    subdistrict_pick,
    turnover,
)


def _request_figures(
    request: HttpRequest, choices: list[Subdistrict] | None = None
) -> tuple[Subdistrict | None, TurnoverFigures | None, DomainError | None]:
    """The subdistrict and figures the query asks for, or the error to show; ``choices``: the
    territory's subdistricts when the caller has them already."""
    territory = request_territory(request)
    try:
        start, end = parse_period(
            request.GET.get("from"), request.GET.get("to"), today=timezone.localdate()
        )
        sub = subdistrict_pick(territory, request.GET.get("subdistrict"), choices)
        return sub, (turnover(sub, start, end) if sub is not None else None), None
    except DomainError as exc:
        return None, None, exc


def _percent(value: Any) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


@login_required
def turnover_view(request: HttpRequest) -> HttpResponse:
    choices = subdistrict_choices(request_territory(request))
    sub, figures, error = _request_figures(request, choices)
    today = timezone.localdate()
    query = request.GET.copy()
    if sub is not None and not query.get("subdistrict"):
        query["subdistrict"] = sub.full_code
    context: dict[str, Any] = {
        "subdistricts": choices,
        "subdistrict": sub,
        "chosen": request.GET.get("subdistrict") or (sub.full_code if sub else ""),
        "date_from": request.GET.get("from") or f"{today.year}-01-01",
        "date_to": request.GET.get("to") or today.isoformat(),
        "figures": figures,
        "error": error,
        "query": query.urlencode(),
        "definitions": DEF,
        "roles": list(RoleKind),
    }
    if figures is not None:
        context["role_rows"] = [
            {"row": r, "rate": _percent(r.turnover_rate)} for r in figures.roles
        ]
        context["total_rate"] = _percent(figures.turnover_rate)
        context["temporary_share"] = _percent(figures.temporary_share)
        context["month_rows"] = [
            {
                "month": m,
                "cells": [(m.hires[k.value], m.departures[k.value]) for k in RoleKind],
            }
            for m in figures.months
        ]
    return render(request, "web/turnover.html", context, status=error.status if error else 200)


@login_required
def turnover_export(request: HttpRequest) -> HttpResponse:
    """The page's three tables as an Excel workbook, each computed column with its definition."""
    sub, figures, error = _request_figures(request)
    if error is not None or sub is None or figures is None:
        message = error.message if error else _("Choose a subdistrict.")
        status = error.status if error else 400
        return HttpResponse(message, status=status, content_type="text/plain")
    heading = f"{sub.name} {figures.start:%Y-%m-%d} – {figures.end:%Y-%m-%d}"
    return workbook_response(
        f"turnover-{sub.full_code}-{figures.start:%Y%m%d}-{figures.end:%Y%m%d}.xlsx",
        [
            Sheet(_("Roles"), _role_columns(), _role_rows(figures), heading=heading),
            Sheet(_("Months"), _month_columns(), _month_rows(figures), heading=heading),
            Sheet(_("Open posts"), _post_columns(), _post_rows(figures), heading=heading),
        ],
    )


def _role_columns() -> list[Column]:
    return [
        Column(_("Role"), width=16),
        Column(_("Headcount at start"), note=DEF["headcount_start"], number_format=INTEGER),
        Column(_("Headcount at end"), note=DEF["headcount_end"], number_format=INTEGER),
        Column(_("Average headcount"), note=DEF["average_headcount"], number_format=DECIMAL_2),
        Column(_("Hires"), note=DEF["hires"], number_format=INTEGER),
        Column(_("Departures"), note=DEF["departures"], number_format=INTEGER),
        Column(_("Turnover rate"), note=DEF["turnover_rate"], number_format=PERCENT),
        Column(
            _("Average tenure (days)"), note=DEF["average_tenure_days"], number_format=DECIMAL_2
        ),
        Column(_("Temporary share"), note=DEF["temporary_share"], number_format=PERCENT),
    ]


def _role_rows(figures: TurnoverFigures) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [
            r.role_label,
            r.headcount_start,
            r.headcount_end,
            r.average_headcount,
            r.hires,
            r.departures,
            r.turnover_rate,
            r.average_tenure_days,
            None,
        ]
        for r in figures.roles
    ]
    rows.append(
        [
            _("All roles (people)"),
            figures.headcount_start,
            figures.headcount_end,
            figures.average_headcount,
            figures.hires,
            figures.departures,
            figures.turnover_rate,
            figures.average_tenure_days,
            figures.temporary_share,
        ]
    )
    return rows


def _month_columns() -> list[Column]:
    columns = [Column(_("Month"), width=10)]
    for kind in RoleKind:
        columns.append(
            Column(f"{kind.label}: {_('hires')}", note=DEF["hires"], number_format=INTEGER)
        )
        columns.append(
            Column(
                f"{kind.label}: {_('departures')}", note=DEF["departures"], number_format=INTEGER
            )
        )
    columns.append(Column(_("Hires (people)"), note=DEF["hires"], number_format=INTEGER))
    columns.append(Column(_("Departures (people)"), note=DEF["departures"], number_format=INTEGER))
    return columns


def _month_rows(figures: TurnoverFigures) -> list[list[Any]]:
    rows = []
    for m in figures.months:
        row: list[Any] = [m.month]
        for kind in RoleKind:
            row += [m.hires[kind.value], m.departures[kind.value]]
        rows.append([*row, m.total_hires, m.total_departures])
    return rows


def _post_columns() -> list[Column]:
    return [
        Column(_("Community"), width=14),
        Column(_("Grid"), width=22),
        Column(_("Role"), width=16),
        Column(_("Opened"), note=DEF["opened"], number_format=DATE, width=12),
        Column(_("Filled"), note=DEF["filled"], number_format=DATE, width=12),
        Column(_("Days open"), note=DEF["days_open"], number_format=INTEGER),
    ]


def _post_rows(figures: TurnoverFigures) -> list[list[Any]]:
    return [
        [p.community_name, p.grid_name, p.role_label, p.opened, p.filled, p.days_open]
        for p in figures.open_posts
    ]
