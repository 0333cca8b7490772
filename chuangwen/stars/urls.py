from django.urls import path

from chuangwen.stars import views

app_name = "stars"

urlpatterns = [
    path("", views.rating_list, name="list"),
    path("setup/", views.setup, name="setup"),
    path("open/", views.open_rating, name="open"),
    path("export.xlsx", views.export, name="export"),
    path("ratings/<int:pk>/", views.rating_detail, name="rating"),
    path("ratings/<int:pk>/scores/", views.rating_scores, name="rating_scores"),
    path("ratings/<int:pk>/evidence/", views.rating_evidence, name="rating_evidence"),
    path("ratings/<int:pk>/action/", views.rating_action, name="rating_action"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
]
