from django.urls import path

from chuangwen.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("decisions/", views.mine, name="mine"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/held/", views.held, name="held"),
    path("<int:pk>/decisions/", views.decide, name="decide"),
    path("<int:pk>/brief.<str:fmt>", views.brief, name="brief"),
    path("decisions/<int:pk>/done/", views.decision_done, name="decision_done"),
]
