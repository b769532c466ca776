"""The handheld app's pages under /m/ (处置通): a phone layout of its own.

Pages render what the server knows; the app's script (static/mobile/app.js) adds the position,
the outbox of reports waiting to be sent, duty sign-on with position pings, and the live push.
The manifest, the icons and the service worker make it installable and open offline.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from wangge.cases import selectors as case_selectors
from wangge.cases.actors import Actor
from wangge.cases.models import PhotoKind
from wangge.core.errors import NotFound
from wangge.core.notifications import inbox
from wangge.field.duty.selectors import open_session
from wangge.field.mobile import selectors
from wangge.org.maps import grid_collection
from wangge.org.territory import request_territory

mobile_login_required = login_required(login_url=reverse_lazy("mobile:login"))

ICON_SIZES = (192, 512)
THEME_COLOR = "#0b6e4f"


class LoginView(auth_views.LoginView):
    template_name = "mobile/login.html"
    redirect_authenticated_user = True
    next_page = "mobile:home"


class LogoutView(auth_views.LogoutView):
    next_page = "mobile:login"


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Render a page of the app; the live push starts after the newest message the page
    could know about, so nothing sent between rendering and connecting is missed."""
    newest = inbox(request.user).order_by("-pk").values_list("pk", flat=True).first()
    return render(request, template, {"push_after": newest or 0, **context})


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    me = selectors.me(request.user)
    return _render(request, template, {"me": me, **context})


@mobile_login_required
def home(request: HttpRequest) -> HttpResponse:
    me = selectors.me(request.user)
    found = selectors.tasks(request_territory(request), Actor.of(request.user))
    session = open_session(me.person) if me.person is not None else None
    return _render(
        request,
        "mobile/home.html",
        {
            "me": me,
            "counts": found.counts,
            "session": session,
            "grids_geojson": me.grids_geojson(),
            "centre": me.centre(),
        },
    )


@mobile_login_required
def tasks(request: HttpRequest) -> HttpResponse:
    found = selectors.tasks(request_territory(request), Actor.of(request.user))
    return _page(request, "mobile/tasks.html", {"tasks": selectors.tasks_out(found)})


@mobile_login_required
def report(request: HttpRequest) -> HttpResponse:
    return _form_page(request, "report")


@mobile_login_required
def fix(request: HttpRequest) -> HttpResponse:
    return _form_page(request, "fix")


def _form_page(request: HttpRequest, kind: str) -> HttpResponse:
    me = selectors.me(request.user)
    return _render(
        request,
        "mobile/report.html",
        {
            "me": me,
            "kind": kind,
            "grids_geojson": me.grids_geojson(),
            "centre": me.centre(),
            "categories": selectors.picker_categories(),
        },
    )


@mobile_login_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        found = case_selectors.case_get(request_territory(request), pk)
    except NotFound as exc:
        raise Http404(exc.message) from None
    actor = Actor.of(request.user)
    photos = list(found.photos.all())
    return _page(
        request,
        "mobile/case.html",
        {
            "case": found,
            "actions": [t.action for t in selectors.phone_actions(found, actor)],
            "photos_before": [p for p in photos if p.kind == PhotoKind.BEFORE],
            "photos_after": [p for p in photos if p.kind != PhotoKind.BEFORE],
            "grids_geojson": grid_collection([found.grid]),
            "point": [float(found.lon), float(found.lat)],
        },
    )


@mobile_login_required
def call(request: HttpRequest, pk: int) -> HttpResponse:
    me = selectors.me(request.user)
    found = selectors.my_call(request.user, me.person, pk)
    if found is None:
        raise Http404(_("no linkage call %(id)s for you") % {"id": pk})
    case = getattr(found, "case", None)
    return _render(
        request,
        "mobile/call.html",
        {
            "me": me,
            "call": selectors.call_item(found),
            "steps": selectors.call_steps(found),
            "case": case,
            "grids_geojson": grid_collection([case.grid]) if case is not None else None,
            "point": [float(case.lon), float(case.lat)] if case is not None else None,
        },
    )


@mobile_login_required
def alert(request: HttpRequest, pk: int) -> HttpResponse:
    me = selectors.me(request.user)
    items = (selectors.alert_item(a) for a in selectors.open_alerts(me.person))
    found = next((a for a in items if a["id"] == pk), None)
    if found is None:
        raise Http404(_("no alert %(id)s waits for you") % {"id": pk})
    return _render(request, "mobile/alert.html", {"me": me, "alert": found})


# --- installable: manifest, icons, service worker ---------------------------------------------


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    icons = [
        {"src": static("mobile/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        *(
            {
                "src": reverse("mobile:icon", args=[size]),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in ICON_SIZES
        ),
    ]
    body = {
        "name": _("处置通"),
        "short_name": _("处置通"),
        "description": _("Report, handle and verify problems in your grid"),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("mobile:home"),
        "scope": reverse("mobile:home"),
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": icons,
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@functools.lru_cache(maxsize=len(ICON_SIZES))
def icon_png(size: int) -> bytes:
    """The app icon drawn with Pillow: a green tile, a 3×3 grid and a location pin."""
    from PIL import Image, ImageDraw

    scale = 4  # drawn large and scaled down: smooth edges
    s = size * scale
    img = Image.new("RGBA", (s, s), THEME_COLOR)
    draw = ImageDraw.Draw(img)
    margin, line = s * 0.2, max(2, int(s * 0.025))
    inner = s - 2 * margin
    for i in range(4):
        x = margin + inner * i / 3
        draw.line([(x, margin), (x, s - margin)], fill="#d8f3e6", width=line)
        draw.line([(margin, x), (s - margin, x)], fill="#d8f3e6", width=line)
    cx, cy, r = s * 0.5, s * 0.43, s * 0.14
    draw.polygon(
        [(cx - r * 0.8, cy + r * 0.55), (cx + r * 0.8, cy + r * 0.55), (cx, s * 0.72)],
        fill="#f5a623",
    )
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill="#f5a623")
    draw.ellipse([cx - r * 0.4, cy - r * 0.4, cx + r * 0.4, cy + r * 0.4], fill="#ffffff")
    img = img.resize((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()


@require_GET
@cache_control(max_age=86400, public=True)
def icon(request: HttpRequest, size: int) -> HttpResponse:
    if size not in ICON_SIZES:
        raise Http404(f"icons come in {', '.join(map(str, ICON_SIZES))} pixels")
    return HttpResponse(icon_png(size), content_type="image/png")


SHELL_PAGES = ("mobile:home", "mobile:tasks", "mobile:report", "mobile:fix")
SHELL_STATIC = (
    "mobile/app.js",
    "mobile/app.css",
    "mobile/icon.svg",
    "leaflet/leaflet.js",
    "leaflet/leaflet.css",
    "leaflet/images/marker-icon.png",
    "leaflet/images/marker-icon-2x.png",
    "leaflet/images/marker-shadow.png",
)


def _service_worker_source() -> str:
    path = finders.find("mobile/sw.js")
    if not path:
        raise Http404("mobile/sw.js is missing from the static files")
    with open(path, encoding="utf-8") as f:
        return f.read()


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker (scope /m/): the app shell's URLs and a version are put in front of
    the static source, so that a change of either installs a fresh cache."""
    source = _service_worker_source()
    shell = [reverse(name) for name in SHELL_PAGES]
    shell += [static(path) for path in SHELL_STATIC if finders.find(path)]
    shell += [reverse("mobile:manifest"), *(reverse("mobile:icon", args=[s]) for s in ICON_SIZES)]
    head = json.dumps(shell)
    version = hashlib.sha256((head + source).encode()).hexdigest()[:12]
    body = f"const SHELL = {head};\nconst VERSION = {json.dumps(version)};\n{source}"
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("mobile:home")
    response["Cache-Control"] = "no-cache"
    return response
