from django.urls import path

from chuangwen.setup import views

app_name = "setup"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:step>/", views.save, name="save"),
]
