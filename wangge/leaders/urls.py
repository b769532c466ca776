from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from wangge.leaders import views

app_name = "leaders"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.leader_page, name="page"),
    path("export.xlsx", views.leader_export, name="export"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/export.xlsx", views.meeting_export, name="meeting_export"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("inspections/new/", views.inspection_new, name="inspection_new"),
]
