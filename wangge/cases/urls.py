from django.urls import path

from wangge.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("export.<str:fmt>", views.case_export, name="export"),
    path("new/", views.case_new, name="new"),
    path("categories/", views.category_options, name="category_options"),
    path("queues/", views.case_queues, name="queues"),
    path("todo/", views.case_todo, name="todo"),
    path("map/", views.case_map, name="map"),
    path("map/data/", views.case_map_data, name="map_data"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/act/<str:action>/", views.case_act, name="act"),
    path("<int:pk>/photos/<int:photo_pk>/", views.case_photo, name="photo"),
]
