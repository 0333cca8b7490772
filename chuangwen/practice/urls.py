from django.urls import path

from chuangwen.practice import views

app_name = "practice"

urlpatterns = [
    path("", views.index, name="index"),
    path("points/<int:pk>/", views.point_ledger, name="point"),
    path("points/<int:pk>/standards/", views.standards, name="standards"),
    path("points/<int:pk>/ledger.xlsx", views.export, name="export"),
    path("photos/<int:pk>/", views.photo, name="photo"),
]
