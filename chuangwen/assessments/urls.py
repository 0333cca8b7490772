from django.urls import path

from chuangwen.assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    path("rules/", views.rules, name="rules"),
    path("compute/", views.compute, name="compute"),
    path("months/<int:pk>/", views.month, name="month"),
    path("months/<int:pk>/publish/", views.publish, name="publish"),
    path("months/<int:pk>/export.xlsx", views.export, name="export"),
    path("results/<int:pk>/", views.result, name="result"),
    path("units/<int:pk>/", views.unit_history, name="unit_history"),
    path("cards/", views.cards, name="cards"),
    path("cards/new/", views.card_new, name="card_new"),
    path("summonses/", views.summonses, name="summonses"),
    path("summonses/new/", views.summons_edit, name="summons_new"),
    path("summonses/<int:pk>/", views.summons, name="summons"),
    path("summonses/<int:pk>/edit/", views.summons_edit, name="summons_edit"),
]
