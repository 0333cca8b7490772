from django.urls import path

from chuangwen.briefings import views

app_name = "briefings"

urlpatterns = [
    path("", views.index, name="index"),
    path("generate/", views.generate, name="generate"),
    path("schedule/", views.schedule, name="schedule"),
    path("<int:pk>.<str:fmt>", views.download, name="download"),
]
