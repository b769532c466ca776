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
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wangge.cases import rates
from wangge.core.xlsx import DATETIME, DECIMAL_1, PERCENT, Column, Sheet, workbook_response
from wangge.dashboard import charts, selectors
from wangge.org.territory import Territory, request_territory

REFRESH_SECONDS = 60
# Tables by community or grid longer than this show only their lowest on-time rates.
TABLE_ROWS = 30
# The Excel export of a case list holds at most this many cases (the page shows LIST_LIMIT).
EXPORT_CASES = 50_000
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
    return {"name": name, "now": now, "export": name in EXPORTS, **PANELS[name](territory, now)}


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


def _cache_key(key: str) -> str:
    """The cache key of ``key`` in the active language."""
    return f"dashboard:{key}:{get_language()}"


def _cached(key: str, build: Callable[[], Any], seconds: int | None = None) -> Any:
    """``build()``, kept ``seconds`` (CACHE_SECONDS) under ``key`` (with the language) in
    Django's cache."""
    seconds = CACHE_SECONDS if seconds is None else seconds
    if seconds <= 0:
        return build()
    full = _cache_key(key)
    value = cache.get(full)
    if value is None:
        value = build()
        cache.set(full, value, seconds)
    return value


def _render_panel(name: str, territory: Territory, wall: bool, request: HttpRequest | None) -> str:
    context = _panel_context(name, territory, timezone.now())
    return render_to_string(
        f"dashboard/panels/{name}.html",
        {"p": context, "refresh": REFRESH_SECONDS, "wall": wall},
        request=request,
    )


def _panel_key(name: str, territory: Territory, wall: bool) -> str:
    return f"panel:{name}:{int(wall)}:{_territory_key(territory)}"


def panel_html(request: HttpRequest, name: str, territory: Territory, wall: bool) -> SafeString:
    """One panel rendered (its template with the panel's figures), cached per territory."""
    return mark_safe(
        _cached(
            _panel_key(name, territory, wall), lambda: _render_panel(name, territory, wall, request)
        )
    )


# --- keeping the panels warm ---------------------------------------------------------------
# A job (dashboard.tasks.warm_panels) recomputes, every minute, the panels of each territory
# whose dashboard was open in the last VIEWER_SECONDS, so a screen's request is served from the
# cache instead of aggregating a city's cases while the operator waits. Without the job (no
# worker running) a request computes what is missing, as before.
VIEWERS_KEY = "dashboard:viewers"
VIEWER_SECONDS = 15 * 60
# A warmed panel outlives the job's minute, so a request never finds it gone between two runs.
WARM_SECONDS = 3 * REFRESH_SECONDS


def _remember_viewer(territory: Territory, wall: bool) -> None:
    """Note that this territory's dashboard is being watched (at most one write a minute)."""
    if CACHE_SECONDS <= 0:
        return
    now = timezone.now().timestamp()
    key = f"{_territory_key(territory)}:{get_language()}:{int(wall)}"
    viewers: dict[str, dict[str, Any]] = cache.get(VIEWERS_KEY) or {}
    seen = viewers.get(key, {}).get("seen", 0)
    if now - seen < REFRESH_SECONDS:
        return
    viewers = {k: v for k, v in viewers.items() if now - v["seen"] < VIEWER_SECONDS}
    viewers[key] = {
        "territory": territory.to_payload(),
        "language": get_language(),
        "wall": wall,
        "seen": now,
    }
    cache.set(VIEWERS_KEY, viewers, VIEWER_SECONDS)


def warm_panels() -> int:
    """Recompute and cache every panel of every territory watched lately; returns how many."""
    now = timezone.now().timestamp()
    viewers: dict[str, dict[str, Any]] = cache.get(VIEWERS_KEY) or {}
    done = 0
    for viewer in viewers.values():
        if now - viewer["seen"] >= VIEWER_SECONDS:
            continue
        raw = viewer["territory"]
        territory = Territory.from_payload(raw)
        wall = bool(viewer["wall"])
        with translation.override(viewer["language"]):
            for name in PANELS:
                html = _render_panel(name, territory, wall, None)
                cache.set(_cache_key(_panel_key(name, territory, wall)), html, WARM_SECONDS)
                done += 1
    return done


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    territory = request_territory(request)
    now = timezone.now()
    wall = request.GET.get("wall") == "1"
    key = _territory_key(territory)
    _remember_viewer(territory, wall)

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
    territory = request_territory(request)
    _remember_viewer(territory, wall=False)
    return HttpResponse(panel_html(request, name, territory, wall=False))


# --- Excel exports of the panels' tables (every row, not only those the wall shows) -----------


def _rate_sheet(territory: Territory, now: dt.datetime, by: str) -> Sheet:
    heading = {"community": _("Community"), "grid": _("Grid")}[by]
    columns = [
        Column(heading, width=22),
        Column(_("To close"), note=rates.DEFINITIONS["to_close"]),
        Column(_("Closed"), note=rates.DEFINITIONS["closed"]),
        Column(_("Open past due"), note=rates.DEFINITIONS["overdue_open"]),
        Column(_("Closure rate"), note=rates.DEFINITIONS["closure_rate"], number_format=PERCENT),
        Column(_("On-time rate"), note=rates.DEFINITIONS["on_time_rate"], number_format=PERCENT),
    ]
    rows = [
        [
            r.label,
            r.figures.to_close,
            r.figures.closed,
            r.figures.overdue_open,
            r.figures.closure_rate,
            r.figures.on_time_rate,
        ]
        for r in selectors.rates_by(territory, now, by)
    ]
    month = selectors.month_period(now).label
    title = _("This month by community") if by == "community" else _("This month by grid")
    return Sheet(title, columns, rows, heading=f"{title} {month}")


def _communities_sheets(territory: Territory, now: dt.datetime) -> list[Sheet]:
    return [_rate_sheet(territory, now, "community")]


def _grids_sheets(territory: Territory, now: dt.datetime) -> list[Sheet]:
    return [_rate_sheet(territory, now, "grid")]


def _figure_columns() -> list[tuple[str, Column]]:
    """The figures of the key-figure tiles and the trend, each with its definition."""
    titles = [
        ("reported", _("Reported")),
        ("filed", _("Filed")),
        ("to_close", _("To close")),
        ("closed", _("Closed")),
        ("closed_on_time", _("Closed on time")),
        ("overdue_open", _("Open past due")),
        ("closure_rate", _("Closure rate")),
        ("on_time_rate", _("On-time rate")),
    ]
    return [
        (
            name,
            Column(
                title,
                note=rates.DEFINITIONS[name],
                number_format=PERCENT if name in rates.RATES else None,
            ),
        )
        for name, title in titles
    ]


def _figure_rows(rows: list[tuple[str, rates.Figures]]) -> tuple[list[Column], list[list[Any]]]:
    figures = _figure_columns()
    columns = [column for _name, column in figures]
    return columns, [[label, *(getattr(f, name) for name, _column in figures)] for label, f in rows]


def _states_sheets(territory: Territory, now: dt.datetime) -> list[Sheet]:
    states = _states(territory, now)
    today, month = states["today"], states["month"]
    by_state = Sheet(
        _("By state now"),
        [
            Column(_("State now"), width=16),
            Column(_("Reported today")),
            Column(_("Reported this month")),
        ],
        [
            *([label, t, m] for label, t, m in states["state_rows"]),
            [_("Total"), today.total, month.total],
        ],
        heading=_("Cases today and this month"),
    )
    columns, rows = _figure_rows([(_("Today"), today.figures), (month.period.label, month.figures)])
    figures = Sheet(_("Figures"), [Column(_("Period"), width=14), *columns], rows)
    return [by_state, figures]


def _trend_sheets(territory: Territory, now: dt.datetime) -> list[Sheet]:
    columns, rows = _figure_rows([(r.label, r.figures) for r in selectors.trend(territory, now)])
    title = _("Closure rates, last 12 months")
    return [Sheet(title, [Column(_("Month")), *columns], rows, heading=title)]


def _linkage_sheets(territory: Territory, now: dt.datetime) -> list[Sheet]:
    minutes = _(
        "Median of the wall-clock minutes from the call to %(step)s, over this month's calls"
        " that reached it; cancelled calls are not counted (linkage response times)."
    )
    columns = [
        Column(_("Role"), width=14),
        Column(_("Calls"), note=_("Calls made this month, cancelled ones left out.")),
        Column(
            _("Median to acknowledge (min)"),
            note=minutes % {"step": _("its acknowledgement")},
            number_format=DECIMAL_1,
        ),
        Column(
            _("Median to arrive (min)"),
            note=minutes % {"step": _("the arrival on site")},
            number_format=DECIMAL_1,
        ),
        Column(
            _("Median to handle (min)"),
            note=minutes % {"step": _("its handling")},
            number_format=DECIMAL_1,
        ),
    ]
    rows = [
        [r.role_label, r.calls, r.median_ack_min, r.median_arrive_min, r.median_handle_min]
        for r in selectors.linkage_by_role(territory, now)
    ]
    title = _("Linkage response this month")
    return [Sheet(title, columns, rows, heading=f"{title} {selectors.month_period(now).label}")]


def _case_sheet(title: str, due_note: str, lines: list[selectors.CaseLine]) -> Sheet:
    columns = [
        Column(_("Number"), width=20),
        Column(_("Key case")),
        Column(_("Category"), width=20),
        Column(_("Grid"), width=22),
        Column(_("Due"), note=due_note, number_format=DATETIME, width=18),
        Column(
            _("Overdue by (h)"),
            note=_("Whole hours from the due time to the time of the export."),
        ),
    ]
    rows = [
        [
            line.case.number,
            _("yes") if line.case.is_key else "",
            line.case.category.name if line.case.category else "",
            line.case.grid.name,
            line.due,
            line.overdue_hours,
        ]
        for line in lines
    ]
    return Sheet(title, columns, rows)


def _overdue_sheets(territory: Territory, now: dt.datetime) -> list[Sheet]:
    lines, _count = selectors.overdue_cases(territory, now, limit=EXPORT_CASES)
    return [_case_sheet(_("Overdue cases"), _("The handling due time."), lines)]


def _key_sheets(territory: Territory, now: dt.datetime) -> list[Sheet]:
    lines, _count = selectors.key_cases(territory, now, limit=EXPORT_CASES)
    note = _("The earliest deadline of an oversight order still open, else the handling due time.")
    return [_case_sheet(_("Key cases under oversight"), note, lines)]


# name → the panel's table(s) as sheets
EXPORTS: dict[str, Callable[[Territory, dt.datetime], list[Sheet]]] = {
    "states": _states_sheets,
    "trend": _trend_sheets,
    "communities": _communities_sheets,
    "grids": _grids_sheets,
    "linkage": _linkage_sheets,
    "overdue": _overdue_sheets,
    "key": _key_sheets,
}


@login_required
@require_GET
def export(request: HttpRequest, name: str) -> HttpResponse:
    """One panel's table(s) as an Excel file, every row, in the user's territory (the trend:
    its chart's figures, month by month)."""
    if name not in EXPORTS:
        raise Http404(_("no such table: %(name)s") % {"name": name})
    now = timezone.now()
    sheets = EXPORTS[name](request_territory(request), now)
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M")
    return workbook_response(f"dashboard-{name}-{stamp}.xlsx", sheets)
