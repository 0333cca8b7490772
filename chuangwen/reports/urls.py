from django.urls import path

from chuangwen.reports import views

app_name = "reports"

urlpatterns = []

home_urlpatterns = [path("", views.home, name="home")]
