from django.urls import path

from chuangwen.inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("new/", views.round_edit, name="round_new"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("<int:pk>/status/", views.round_status, name="round_status"),
    path("<int:pk>/draw/", views.round_draw, name="round_draw"),
    path("<int:pk>/add-points/", views.round_add_points, name="round_add_points"),
    path("<int:pk>/summary/", views.round_summary, name="round_summary"),
    path("visits/<int:pk>/", views.visit, name="visit"),
    path("visits/<int:pk>/save/", views.visit_save, name="visit_save"),
    path("results/<int:pk>/", views.round_point, name="round_point"),
    path("points/<int:pk>/", views.point_history, name="point_history"),
    path("photos/<int:pk>/", views.photo, name="photo"),
]
