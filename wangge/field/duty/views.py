"""The duty pages: who is on duty now (table and map), and the replay of a person's day.

Reads go through territory-scoped selectors; a person outside the user's territory is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.xlsx import DATETIME, DATETIME_SECONDS, Column, Sheet, workbook_response
from wangge.field.duty import selectors
from wangge.field.duty.models import DutyRules
from wangge.field.duty.summary import day_summary
from wangge.org.maps import grid_collection
from wangge.org.models import Grid
from wangge.org.selectors import grids_visible
from wangge.org.territory import request_territory
from wangge.people.models import GridRole


@login_required
def now_view(request: HttpRequest) -> HttpResponse:
    territory = request_territory(request)
    sessions = list(selectors.sessions_now(territory))
    today = timezone.localdate()
    rows = [
        {
            "session": s,
            "last_at": s.last_at,  # type: ignore[attr-defined]
            "last_lon": s.last_lon,  # type: ignore[attr-defined]
            "last_lat": s.last_lat,  # type: ignore[attr-defined]
            "day_url": reverse("duty:day", args=[s.person_id, today.isoformat()]),
        }
        for s in sessions
    ]
    positions = [
        {
            "name": r["session"].person.name,
            "role": r["session"].get_role_display(),
            "grid": r["session"].grid.name,
            "lat": r["last_lat"],
            "lon": r["last_lon"],
            "at": timezone.localtime(r["last_at"]).strftime("%H:%M") if r["last_at"] else "",
            "url": r["day_url"],
        }
        for r in rows
        if r["last_lat"] is not None
    ]
    return render(
        request,
        "duty/now.html",
        {
            "rows": rows,
            "today": today,
            "positions": positions,
            "grids_geojson": grid_collection(grids_visible(territory)),
        },
    )


@login_required
def now_export(request: HttpRequest) -> HttpResponse:
    """The table of /duty/ (who is on duty now, in the user's territory) as an Excel file."""
    sessions = selectors.sessions_now(request_territory(request))
    columns = [
        Column(_("Person"), width=12),
        Column(_("Role"), width=14),
        Column(_("Community"), width=14),
        Column(_("Grid"), width=22),
        Column(
            _("On duty since"),
            note=_("The sign-on of the open session."),
            width=18,
            number_format=DATETIME,
        ),
        Column(
            _("Last position at"),
            note=_("The time of the person's last position report (none yet: empty)."),
            width=20,
            number_format=DATETIME_SECONDS,
        ),
        Column(_("Longitude"), number_format="0.000000", width=12),
        Column(_("Latitude"), number_format="0.000000", width=12),
    ]
    rows = (
        [
            s.person.name,
            s.get_role_display(),
            s.grid.community.name,
            s.grid.name,
            s.started_at,
            s.last_at,  # type: ignore[attr-defined]
            s.last_lon,  # type: ignore[attr-defined]
            s.last_lat,  # type: ignore[attr-defined]
        ]
        for s in sessions
    )
    now = timezone.localtime()
    title = _("On duty now")
    heading = f"{title} {now:%Y-%m-%d %H:%M}"
    return workbook_response(
        f"on-duty-{now:%Y%m%d-%H%M}.xlsx", [Sheet(title, columns, rows, heading=heading)]
    )


@login_required
def day_view(request: HttpRequest, person_id: int, day: str) -> HttpResponse:
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404(_("%(day)s is not a date (YYYY-MM-DD)") % {"day": day}) from None
    person = selectors.person_visible(request_territory(request), person_id, request.user.pk)
    if person is None:
        raise Http404(_("no such person in your territory"))
    summary = day_summary(person, date)
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(date, dt.time()), tz)
    end = start + dt.timedelta(days=1)
    sessions = list(selectors.sessions_on(person, start, end))
    grid: Grid | None = None
    if summary.grid_id:
        grid = Grid.objects.select_related("community").get(pk=summary.grid_id)
    else:
        role = GridRole.objects.active_on(date).filter(person=person).select_related("grid").first()
        grid = role.grid if role else None
    if grid is not None:
        grid = Grid.objects.select_related("community").get(pk=grid.pk)
    pings = selectors.pings_between(person, start, end).values_list("at", "lon", "lat")
    track: list[list[Any]] = [
        [int(at.timestamp() * 1000), round(lat, 7), round(lon, 7)] for at, lon, lat in pings
    ]
    offset = start.utcoffset() or dt.timedelta()
    replay = {
        # Times are epoch milliseconds; the page shows them in the platform's time zone.
        "offset_ms": int(offset.total_seconds() * 1000),
        # The track is drawn broken where the phone was offline longer than this.
        "gap_ms": DutyRules.load().online_gap_s * 1000,
        "track": track,
        "excursions": [
            [int(e.start.timestamp() * 1000), int(e.end.timestamp() * 1000)]
            for e in summary.excursions
        ],
        "sessions": [
            [
                int(max(s.started_at, start).timestamp() * 1000),
                int(min(s.ended_at or timezone.now(), end).timestamp() * 1000),
            ]
            for s in sessions
        ],
    }
    return render(
        request,
        "duty/day.html",
        {
            "person": person,
            "date": date,
            "previous": date - dt.timedelta(days=1),
            "next": date + dt.timedelta(days=1),
            "summary": summary,
            "coverage_percent": round(summary.coverage * 100, 1),
            "distance_km": round(summary.distance_m / 1000, 2),
            "sessions": sessions,
            "grid": grid,
            "rules": DutyRules.load(),
            "replay": replay,
            "grids_geojson": grid_collection([grid] if grid else []),
        },
    )
