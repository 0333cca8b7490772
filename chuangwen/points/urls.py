from django.urls import path

from chuangwen.points import duty_views, views

app_name = "points"

urlpatterns = [
    path("", views.point_list, name="list"),
    path("new/", views.point_edit, name="new"),
    path("<int:pk>/", views.point_detail, name="detail"),
    path("<int:pk>/edit/", views.point_edit, name="edit"),
    path("import/", views.point_import, name="import"),
    path("import/template.xlsx", views.point_import_template, name="import_template"),
    path("export/", views.point_export, name="export"),
    path("map/", views.point_map, name="map"),
    path("qr/", views.qr_sheet, name="qr_sheet"),
    path("types/", views.type_list, name="types"),
    path("types/new/", views.type_edit, name="type_new"),
    path("types/<int:pk>/", views.type_detail, name="type"),
    path("types/<int:pk>/edit/", views.type_edit, name="type_edit"),
    path("types/<int:type_pk>/items/new/", views.item_edit, name="item_new"),
    path("types/<int:type_pk>/items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("checklists/import/", views.template_import, name="template_import"),
    path(
        "checklists/import/template.xlsx", views.checklist_import_template, name="checklist_import_template"
    ),
    path("checklists/export/", views.template_export, name="template_export"),
    path("checklists/link-indicators/", views.link_indicators, name="link_indicators"),
    path("duty/", duty_views.my_duty, name="my_duty"),
    path("duty/shifts/<int:pk>/check-in/", duty_views.shift_check_in, name="check_in"),
    path("duty/shifts/<int:pk>/check-out/", duty_views.shift_check_out, name="check_out"),
    path("<int:pk>/duty-log/", duty_views.duty_log_new, name="duty_log_new"),
    path("duty/photos/<int:pk>/", duty_views.duty_photo, name="duty_photo"),
    path("duty/rosters/", duty_views.roster_list, name="rosters"),
    path("duty/rosters/new/", duty_views.roster_edit, name="roster_new"),
    path("duty/rosters/<int:pk>/", duty_views.roster_detail, name="roster"),
    path("duty/rosters/<int:pk>/edit/", duty_views.roster_edit, name="roster_edit"),
    path("duty/shifts/<int:pk>/edit/", duty_views.shift_edit, name="shift_edit"),
    path("<int:pk>/duty-record.xlsx", duty_views.duty_record, name="duty_record"),
    path("duty/attendance/", duty_views.attendance, name="attendance"),
]
