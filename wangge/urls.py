from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from wangge.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("cases/", include("wangge.cases.urls")),
    path("m/", include("wangge.field.mobile.urls")),
    path("duty/", include("wangge.field.duty.urls")),
    path("linkage/", include("wangge.field.linkage.urls")),
    path("alerts/", include("wangge.field.alerts.urls")),
    path("handovers/", include("wangge.field.handover.urls")),
    path("equipment/", include("wangge.assets.urls")),
    path("leaders/", include("wangge.leaders.urls")),
    path("assessment/", include("wangge.assessment.urls")),
    path("finance/", include("wangge.finance.urls")),
    path("reports/", include("wangge.reports.urls")),
    path("dashboard/", include("wangge.dashboard.urls")),
    path("", include("wangge.web.urls")),
]
