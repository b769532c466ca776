from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from wangge.dashboard import views

app_name = "dashboard"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="index"),
    path("panel/<slug:name>/", views.panel, name="panel"),
    path("export/<slug:name>.xlsx", views.export, name="export"),
]
