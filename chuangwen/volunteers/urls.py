from django.urls import path

from chuangwen.volunteers import public, views

app_name = "volunteers"

urlpatterns = [
    path("", views.index, name="index"),
    path("units/<int:unit_id>/population/", views.set_population, name="population"),
    path("roster/", views.roster, name="roster"),
    path("roster/new/", views.volunteer_edit, name="volunteer_new"),
    path("roster/import/", views.roster_import, name="import"),
    path("roster/import/template.xlsx", views.import_template, name="import_template"),
    path("roster/<int:pk>/", views.volunteer_detail, name="volunteer"),
    path("roster/<int:pk>/edit/", views.volunteer_edit, name="volunteer_edit"),
    path("roster/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("teams/", views.teams, name="teams"),
    path("teams/new/", views.team_edit, name="team_new"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("activities/", views.activities, name="activities"),
    path("activities/new/", views.activity_edit, name="activity_new"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/action/", views.activity_action, name="activity_action"),
    path("activities/<int:pk>/sheet.xlsx", views.records_export, name="activity_sheet"),
    path("activities/<int:pk>/file/", views.activity_file, name="activity_file"),
    path("records/<int:pk>/confirm/", views.record_confirm, name="record_confirm"),
    path("commendations/", views.commendations, name="commendations"),
    path("commendations/nominate/", views.commendation_nominate, name="commendation_nominate"),
    path("commendations/<int:pk>/review/", views.commendation_review, name="commendation_review"),
    path("commendations/publish/", views.commendation_publish, name="commendation_publish"),
    path("a/<str:token>/", public.sign, name="sign"),
]
