from django.urls import path

from chuangwen.placements import views

app_name = "placements"

urlpatterns = [
    path("", views.placement_list, name="list"),
    path("new/", views.placement_new, name="new"),
    path("checks/", views.checks, name="checks"),
    path("rules/", views.rules, name="rules"),
    path("<int:pk>/", views.placement_detail, name="detail"),
    path("<int:pk>/edit/", views.placement_edit, name="edit"),
    path("<int:pk>/condition/", views.placement_condition, name="condition"),
    path("<int:pk>/photos/", views.placement_photos, name="photos"),
    path("photos/<int:pk>/", views.photo_file, name="photo"),
]
