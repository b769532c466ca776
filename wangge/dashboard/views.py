"""The command centre (/dashboard/): one page of panels, each also served alone for htmx.

``?wall=1`` is the wall display: no header, dark, large type, the whole page reloaded every
60 s. In the normal page each panel refreshes itself every 60 s from /dashboard/panel/<name>/.
Views only call the dashboard selectors and render.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wangge.cases import rates
from wangge.dashboard import charts, selectors
from wangge.org.territory import Territory, request_territory

REFRESH_SECONDS = 60
# Tables by community or grid longer than this show only their lowest on-time rates.
TABLE_ROWS = 30
# Each panel's HTML is kept this long per territory, language and mode: the wall reloads every
# REFRESH_SECONDS, so a figure is at most this old, and the monthly trend over a city's
# millions of cases is computed once a minute instead of once per screen. 0: no caching.
CACHE_SECONDS = 60
# The trend's past 11 months are kept longer: a case edited in an earlier month shows there
# within this time. 0: no caching.
PAST_MONTHS_CACHE_SECONDS = 3600


def _pct(value: Any) -> float | None:
    return None if value is None else float(value)


def _states(territory: Territory, now: dt.datetime) -> dict[str, Any]:
    today = selectors.case_states(territory, selectors.today_period(now), now)
    month = selectors.case_states(territory, selectors.month_period(now), now)
    rows = [
        (label, t, m)
        for (status, label, t), (_s, _l, m) in zip(today.by_state, month.by_state, strict=True)
        if t or m or status != "self_handled"
    ]
    chart = charts.bar_chart(
        [(label, m) for label, _t, m in rows], title=_("Cases reported this month, by state now")
    )
    return {"today": today, "month": month, "state_rows": rows, "chart": chart}


def _overdue(territory: Territory, now: dt.datetime) -> dict[str, Any]:
    lines, count = selectors.overdue_cases(territory, now)
    return {"lines": lines, "count": count}


def _key(territory: Territory, now: dt.datetime) -> dict[str, Any]:
    lines, count = selectors.key_cases(territory, now)
    return {"lines": lines, "count": count}


def _trend(territory: Territory, now: dt.datetime) -> dict[str, Any]:
    month = selectors.month_period(now).label
    past = _cached(
        f"trend-past:{month}:{_territory_key(territory)}",
        lambda: selectors.trend_past(territory, now),
        PAST_MONTHS_CACHE_SECONDS,
    )
    rows = past + selectors.trend_this_month(territory, now)
    chart = charts.line_chart(
        [r.label[2:] for r in rows],  # "24-05": short enough for 12 labels
        [
            (_("closure rate"), [_pct(r.figures.closure_rate) for r in rows]),
            (_("on-time closure rate"), [_pct(r.figures.on_time_rate) for r in rows]),
        ],
        height=280,
        title=_("Closure and on-time closure rates, last 12 months"),
    )
    return {"rows": rows, "chart": chart}


def _worst_first(rows: list[rates.Row]) -> dict[str, Any]:
    """All rows in code order when they fit the wall; else the TABLE_ROWS lowest on-time
    closure rates (the ones the centre must act on), lowest first."""
    if len(rows) <= TABLE_ROWS:
        return {"rows": rows, "total": len(rows), "worst_first": False}

    def worst(row: rates.Row) -> tuple[bool, Any, int]:
        value = row.figures.on_time_rate
        return (value is None, value or 0, -row.figures.to_close)

    ranked = sorted(rows, key=worst)
    return {"rows": ranked[:TABLE_ROWS], "total": len(rows), "worst_first": True}


def _communities(territory: Territory, now: dt.datetime) -> dict[str, Any]:
    return _worst_first(selectors.rates_by(territory, now, "community"))


def _grids(territory: Territory, now: dt.datetime) -> dict[str, Any]:
    return _worst_first(selectors.rates_by(territory, now, "grid"))


def _linkage(territory: Territory, now: dt.datetime) -> dict[str, Any]:
    return {"rows": selectors.linkage_by_role(territory, now)}


def _duty(territory: Territory, now: dt.datetime) -> dict[str, Any]:
    duty = selectors.on_duty_counts(territory)
    chart = charts.bar_chart(
        [(label, n) for _role, label, n in duty.by_role], title=_("On duty now, per role")
    )
    return {"duty": duty, "chart": chart}


# name → (template context builder); each panel is one cheap request.
PANELS: dict[str, Callable[[Territory, dt.datetime], dict[str, Any]]] = {
    "states": _states,
    "overdue": _overdue,
    "key": _key,
    "trend": _trend,
    "communities": _communities,
    "grids": _grids,
    "linkage": _linkage,
    "duty": _duty,
}


def _panel_context(name: str, territory: Territory, now: dt.datetime) -> dict[str, Any]:
    return {"name": name, "now": now, **PANELS[name](territory, now)}


def _territory_key(territory: Territory) -> str:
    parts = [
        str(territory.everything),
        *(
            ",".join(map(str, sorted(ids)))
            for ids in (
                territory.district_ids,
                territory.subdistrict_ids,
                territory.community_ids,
                territory.grid_ids,
            )
        ),
    ]
    return hashlib.sha1("|".join(parts).encode()).hexdigest()


def _cached(key: str, build: Callable[[], Any], seconds: int | None = None) -> Any:
    """``build()``, kept ``seconds`` (CACHE_SECONDS) under ``key`` (with the language) in
    Django's cache."""
    seconds = CACHE_SECONDS if seconds is None else seconds
    if seconds <= 0:
        return build()
    full = f"dashboard:{key}:{get_language()}"
    value = cache.get(full)
    if value is None:
        value = build()
        cache.set(full, value, seconds)
    return value


def panel_html(request: HttpRequest, name: str, territory: Territory, wall: bool) -> SafeString:
    """One panel rendered (its template with the panel's figures), cached per territory."""

    def build() -> str:
        context = _panel_context(name, territory, timezone.now())
        return render_to_string(
            f"dashboard/panels/{name}.html",
            {"p": context, "refresh": REFRESH_SECONDS, "wall": wall},
            request=request,
        )

    return mark_safe(_cached(f"panel:{name}:{int(wall)}:{_territory_key(territory)}", build))


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    territory = request_territory(request)
    now = timezone.now()
    wall = request.GET.get("wall") == "1"
    key = _territory_key(territory)

    def maps() -> dict[str, Any]:
        duty = selectors.on_duty(territory)
        return {
            "grids_geojson": selectors.rate_map(territory, now),
            "positions": duty.positions,
            "by_role": duty.by_role,
            "on_duty": duty.total,
            "duty_geojson": selectors.duty_map(territory),
        }

    return render(
        request,
        "dashboard/index.html",
        {
            "wall": wall,
            "now": now,
            "refresh": REFRESH_SECONDS,
            "month": selectors.month_period(now),
            "panels": {name: panel_html(request, name, territory, wall) for name in PANELS},
            **_cached(f"maps:{key}", maps),
            "bands": selectors.RATE_BANDS,
            "no_rate_colour": selectors.NO_RATE_COLOUR,
        },
    )


@login_required
@require_GET
def panel(request: HttpRequest, name: str) -> HttpResponse:
    """One panel's HTML, for htmx to swap in (the same template as in the page)."""
    if name not in PANELS:
        raise Http404(_("no such panel: %(name)s") % {"name": name})
    return HttpResponse(panel_html(request, name, request_territory(request), wall=False))
