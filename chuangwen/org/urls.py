from django.urls import path

from chuangwen.org import views

app_name = "org"

urlpatterns = [
    path("units/", views.unit_tree, name="units"),
    path("units/new/", views.unit_edit, name="unit_new"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("import/", views.import_upload, name="import"),
    path("import/commit/", views.import_commit, name="import_commit"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_edit, name="person_new"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("territory/", views.territory, name="territory"),
]
