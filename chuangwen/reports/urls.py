from django.urls import path

from chuangwen.reports import groups, home

app_name = "reports"
# The app holds the home page (home.py) and the working groups' page (groups.py): both are served
# at the site root under the "core" namespace (chuangwen/urls.py).

urlpatterns = []

home_urlpatterns = [
    path("", home.home, name="home"),
    path("groups/<int:pk>/", groups.group_work, name="group_work"),
]
