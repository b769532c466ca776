from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "handover"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.handover_list, name="list"),
    path("new/", views.handover_new, name="new"),
    path("<int:pk>/", views.handover_detail, name="detail"),
]
