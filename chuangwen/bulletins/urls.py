from django.urls import path

from chuangwen.bulletins import views

app_name = "bulletins"

urlpatterns = [
    path("", views.archive, name="archive"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/generate/", views.generate, name="generate"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/discard/", views.discard, name="discard"),
    path("<int:pk>/file.<str:fmt>", views.download, name="download"),
]
