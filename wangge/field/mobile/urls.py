from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from wangge.field.mobile import views

app_name = "mobile"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("tasks/", views.tasks, name="tasks"),
    path("report/", views.report, name="report"),
    path("fix/", views.fix, name="fix"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("calls/<int:pk>/", views.call, name="call"),
    path("alerts/<int:pk>/", views.alert, name="alert"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("icon-<int:size>.png", views.icon, name="icon"),
    path("sw.js", views.service_worker, name="sw"),
]
