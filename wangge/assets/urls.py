from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "assets"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.equipment_list, name="list"),
    path("export.csv", views.equipment_export, name="export"),
]
