from django.urls import path

from chuangwen.honours import views

app_name = "honours"

urlpatterns = [
    path("", views.honour_list, name="list"),
    path("new/", views.honour_new, name="new"),
    path("<int:pk>/", views.honour_detail, name="detail"),
    path("selections/", views.selection_list, name="selections"),
    path("selections/<int:pk>/", views.selection_detail, name="selection"),
    path("selections/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("selections/<int:pk>/action/", views.selection_action, name="selection_action"),
    path("photos/<int:pk>/", views.photo_file, name="photo"),
    path("notice/", views.public_notice, name="public_notice"),
]
