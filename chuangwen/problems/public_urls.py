"""The public 随手拍 page (no login), mounted at /report/."""

from django.urls import path

from chuangwen.problems.views import public

app_name = "citizen"

urlpatterns = [
    path("", public.report, name="report"),
    path("status/<str:token>/", public.status, name="status"),
]
