from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from wangge.finance import payroll_views, views

app_name = "finance"
urlpatterns: list[URLPattern | URLResolver] = [
    # Budget projects (views.py)
    path("", views.index, name="index"),
    # Wage sheets (payroll_views.py)
    path("payroll/", payroll_views.index, name="payroll"),
]
