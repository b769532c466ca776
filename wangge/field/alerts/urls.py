from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from wangge.field.alerts import views

app_name = "alerts"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.alert_list, name="list"),
    path("new/", views.alert_new, name="new"),
    path("<int:pk>/", views.alert_detail, name="detail"),
    path("<int:pk>/ack/", views.alert_ack, name="ack"),
]
