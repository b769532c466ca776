from django.urls import path

from wangge.web import turnover_views, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("map/", views.map_view, name="map"),
    # Before grids/<code>/ so "check" is never read as a grid code.
    path("grids/check/", views.grid_check, name="grid_check"),
    path("grids/<str:code>/", views.grid_detail, name="grid"),
    path("org/", views.org_view, name="org"),
    path("people/", views.people_view, name="people"),
    path("people/turnover/", turnover_views.turnover_view, name="turnover"),
    path("people/turnover/export.xlsx", turnover_views.turnover_export, name="turnover_export"),
    path("inbox/", views.inbox_view, name="inbox"),
    path("events/", views.events, name="events"),
]
