from django.urls import path

from chuangwen.visits import views

app_name = "visits"

urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/ledger.xlsx", views.export, name="export"),
    path("rounds/<int:pk>/households/<int:household>/", views.visit, name="visit"),
    path("visits/<int:pk>/problem/", views.to_problem, name="to_problem"),
    path("visits/<int:pk>/photo/", views.photo, name="photo"),
    path("stewards/", views.stewards, name="stewards"),
]
