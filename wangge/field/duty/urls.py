from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from wangge.field.duty import views

app_name = "duty"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.now_view, name="now"),
    path("export.xlsx", views.now_export, name="export"),
    path("<int:person_id>/<str:day>/", views.day_view, name="day"),
]
