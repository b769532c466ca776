from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from wangge.field.linkage import views

app_name = "linkage"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.linkage_overview, name="overview"),
    path("export.xlsx", views.linkage_export, name="export"),
    path("calls/<int:pk>/<str:step>/", views.call_step, name="call_step"),
]
