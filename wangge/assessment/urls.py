from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from wangge.assessment import views

app_name = "assessment"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("export.xlsx", views.index_export, name="index_export"),
    path("assess/", views.assess, name="assess"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/publish/", views.publish, name="publish"),
    path("runs/<int:pk>/correct/", views.correct, name="correct"),
    path("runs/<int:pk>/export.xlsx", views.export, name="export"),
    path("scores/<int:pk>/", views.score, name="score"),
    path("year/<int:year>/", views.year_end, name="year_end"),
    path("year/<int:year>/export.xlsx", views.year_end_export, name="year_end_export"),
]
