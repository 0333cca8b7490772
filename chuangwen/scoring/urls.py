from django.urls import path

from chuangwen.scoring import views, views_office

app_name = "scoring"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("indicators/", views.tree, name="tree"),
    path("indicators/<int:pk>/", views.explain, name="explain"),
    path("league/", views.league, name="league"),
    path("league/<int:pk>/", views.unit_losses, name="unit"),
    path("what-if/", views.what_if, name="what_if"),
    path("config/", views_office.config_edit, name="config"),
    path("config/<int:pk>/", views_office.config_version, name="config_version"),
    path("recompute/", views_office.recompute_now, name="recompute"),
    path("department/", views_office.department_list, name="department_list"),
    path("department/<int:pk>/", views_office.department_edit, name="department_edit"),
    path("negative/", views_office.negative_events, name="negative"),
    path("negative/<int:pk>/withdraw/", views_office.negative_withdraw, name="negative_withdraw"),
    path("bonus/", views_office.bonus, name="bonus"),
]
