from django.urls import path

from chuangwen.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("groups/", views.groups, name="groups"),
]
