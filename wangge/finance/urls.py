from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from wangge.finance import payroll_views, views

app_name = "finance"
urlpatterns: list[URLPattern | URLResolver] = [
    # Budget projects (views.py)
    path("", views.index, name="index"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/allocations/", views.allocation_add, name="allocation_add"),
    path("projects/<int:pk>/expenditures/", views.expenditure_add, name="expenditure_add"),
    path("projects/<int:pk>/export.xlsx", views.project_export, name="project_export"),
    path("expenditures/<int:pk>/cancel/", views.expenditure_cancel, name="expenditure_cancel"),
    # Wage sheets (payroll_views.py)
    path("payroll/", payroll_views.index, name="payroll"),
    path("payroll/<int:project_id>/", payroll_views.project_detail, name="payroll_project"),
    path("payroll/<int:project_id>/payees/", payroll_views.payee_add, name="payroll_payee_add"),
    path("payroll/payees/<int:payee_id>/end/", payroll_views.payee_end, name="payroll_payee_end"),
    path("payroll/<int:project_id>/draft/", payroll_views.draft, name="payroll_draft"),
    path("payroll/lines/<int:line_id>/", payroll_views.line_edit, name="payroll_line"),
    path("payroll/<int:project_id>/<str:month>/", payroll_views.sheet_detail, name="payroll_sheet"),
    path(
        "payroll/<int:project_id>/<str:month>/approve/",
        payroll_views.approve,
        name="payroll_approve",
    ),
    path(
        "payroll/<int:project_id>/<str:month>/reopen/",
        payroll_views.reopen,
        name="payroll_reopen",
    ),
    path("payroll/<int:project_id>/<str:month>/lock/", payroll_views.lock, name="payroll_lock"),
    path(
        "payroll/<int:project_id>/<str:month>/delete/",
        payroll_views.delete,
        name="payroll_delete",
    ),
    path(
        "payroll/<int:project_id>/<str:month>/export.xlsx",
        payroll_views.export,
        name="payroll_export",
    ),
]
