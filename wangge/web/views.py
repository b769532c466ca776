"""Pages. Each view parses the request, calls the selectors that own the data, and renders.

Every read goes through a territory-scoped selector with ``request.territory``, so a page never
shows a grid or a person outside the user's territory.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render

from wangge.core.errors import NotFound
from wangge.core.notifications import inbox, mark_read, newer_than, unread_count
from wangge.org.maps import grid_collection
from wangge.org.models import Community, Grid
from wangge.org.selectors import grid_get, grids_visible, org_tree
from wangge.org.territory import request_territory
from wangge.people.selectors import (
    RoleStaffing,
    leaders_for_grid,
    persons_visible,
    roster,
    staff_counts,
    staffing,
)
from wangge.web.checks import partition_reports
from wangge.web.forms import PeopleFilterForm

PEOPLE_PER_PAGE = 25


def home(request: HttpRequest) -> HttpResponse:
    return redirect("web:map")


def _grid_map(
    grids: list[Grid], roles: dict[int, list[RoleStaffing]], counts: dict[int, int]
) -> dict[str, Any]:
    """The grids for the map, each carrying the staff its popup shows."""

    def staff(grid: Grid) -> dict[str, Any]:
        return {
            "staff": counts.get(grid.pk, 0),
            "roles": [
                {"role": str(rs.role.label), "actual": rs.actual, "required": rs.required}
                for rs in roles.get(grid.pk, [])
            ],
        }

    return grid_collection(grids, staff)


@login_required
def map_view(request: HttpRequest) -> HttpResponse:
    visible = grids_visible(request_territory(request))
    grids = list(visible)
    geojson = _grid_map(grids, staffing(visible), staff_counts([g.pk for g in grids]))
    communities: dict[int, Community] = {}
    for grid in grids:
        communities.setdefault(grid.community_id, grid.community)
    return render(
        request,
        "web/map.html",
        {
            "grids_geojson": geojson,
            "communities": list(communities.values()),
            "grid_count": len(grids),
        },
    )


@login_required
def grid_detail(request: HttpRequest, code: str) -> HttpResponse:
    territory = request_territory(request)
    try:
        grid = grid_get(territory, code)
    except NotFound as exc:
        raise Http404(exc.message) from None
    roles = staffing(grids_visible(territory).filter(pk=grid.pk)).get(grid.pk, [])
    on_roster = list(roster(grid))
    # One block per role, in the standard's order, with the people on today's roster in it.
    by_role = [
        {"staffing": rs, "assignments": [a for a in on_roster if a.role == rs.role.value]}
        for rs in roles
    ]
    total = len({a.person_id for a in on_roster})
    geojson = _grid_map([grid], {grid.pk: roles}, {grid.pk: total})
    return render(
        request,
        "web/grid_detail.html",
        {
            "grid": grid,
            "by_role": by_role,
            "staff_total": total,
            "gaps": sum(max(rs.gap, 0) for rs in roles),
            "leaders": list(leaders_for_grid(grid)),
            "grids_geojson": geojson,
        },
    )


@login_required
def org_view(request: HttpRequest) -> HttpResponse:
    districts = org_tree(request_territory(request))
    # org_tree prefetches into to_attr lists, which the models' types do not know about.
    communities: list[Any] = [
        c
        for d in districts
        for s in d.visible_subdistricts  # type: ignore[attr-defined]
        for c in s.visible_communities
    ]
    grid_ids = [g.pk for c in communities for g in c.visible_grids]
    return render(
        request,
        "web/org_tree.html",
        {"districts": districts, "staff": staff_counts(grid_ids)},
    )


@login_required
def people_view(request: HttpRequest) -> HttpResponse:
    territory = request_territory(request)
    form = PeopleFilterForm(request.GET or None, territory=territory)
    people = form.apply(persons_visible(territory))
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    # htmx asks for the table alone when a filter changes; a plain request gets the whole page.
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "people-table":
        return render(request, "web/_people_table.html", context)
    return render(request, "web/people.html", context)


@login_required
def grid_check(request: HttpRequest) -> HttpResponse:
    return render(
        request, "web/grid_check.html", {"reports": partition_reports(request_territory(request))}
    )


@login_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first; opening the page marks them read."""
    messages_ = list(inbox(request.user)[:100])
    unread = {m.pk for m in messages_ if m.read_at is None}
    mark_read(user=request.user)
    return render(
        request,
        "web/inbox.html",
        {"notifications": messages_, "unread": unread, "unread_notifications": 0},
    )


PUSH_POLL_SECONDS = 2.0


@login_required
def events(request: HttpRequest) -> StreamingHttpResponse:
    """The live push: new inbox messages as server-sent events (``EventSource('/events/')``).

    Each response stays open for ``WANGGE_PUSH_SECONDS`` and then ends; the browser reconnects
    by itself and sends ``Last-Event-ID``, so nothing is sent twice or missed in between.
    """
    raw = request.headers.get("Last-Event-ID") or request.GET.get("after") or ""
    try:
        last_id = int(raw) if raw else None
    except ValueError:
        last_id = None
    user = request.user

    def stream(last: int | None) -> Iterator[str]:
        if last is None:
            # A new page starts from now: what is already in the inbox is on the page.
            newest = inbox(user).order_by("-pk").values_list("pk", flat=True).first()
            last = newest or 0
        # The id tells the browser where this stream starts, so a reconnect after a quiet
        # stream resumes from here rather than from "now" (no message lost in between).
        yield f"retry: 3000\nid: {last}\n\n"
        deadline = time.monotonic() + settings.WANGGE_PUSH_SECONDS
        while True:
            fresh = newer_than(user, last)
            for note in fresh:
                last = note.pk
                payload = {
                    "id": note.pk,
                    "kind": note.kind,
                    "text": note.text,
                    "url": note.url,
                    "at": note.created_at.isoformat(),
                    "unread": unread_count(user),
                }
                yield f"id: {note.pk}\nevent: notification\ndata: {json.dumps(payload)}\n\n"
            if time.monotonic() >= deadline:
                return
            yield ": keep-alive\n\n"
            time.sleep(PUSH_POLL_SECONDS)

    response = StreamingHttpResponse(stream(last_id), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response
