from django.urls import path

from chuangwen.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/dismiss/", views.dismiss, name="dismiss"),
]
