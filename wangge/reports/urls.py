from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, re_path

from wangge.reports import views

app_name = "reports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.report_list, name="list"),
    re_path(
        r"^bulletin/(?P<period>\d{4}-\d{2})\.(?P<ext>docx|pdf)$",
        views.bulletin_download,
        name="bulletin",
    ),
    path("self-evaluation/", views.self_evaluation_pick, name="self_evaluation_pick"),
    re_path(
        r"^self-evaluation/(?P<code>\d{3}|\d{9})/(?P<year>\d{4})\.(?P<ext>docx|pdf)$",
        views.self_evaluation_download,
        name="self_evaluation",
    ),
]
