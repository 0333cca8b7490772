from django.urls import path

from chuangwen.reports import groups, views

app_name = "reports"

urlpatterns = []

home_urlpatterns = [
    path("", views.home, name="home"),
    path("groups/<int:pk>/", groups.group_work, name="group_work"),
]
