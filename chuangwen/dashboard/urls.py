from django.urls import path

from chuangwen.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    path("refresh/", views.refresh, name="refresh"),
    path("screen/", views.screen, name="screen"),
]
