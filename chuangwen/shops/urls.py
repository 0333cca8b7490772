from django.urls import path

from chuangwen.shops import views

app_name = "shops"

urlpatterns = [
    path("", views.shop_list, name="list"),
    path("new/", views.shop_new, name="new"),
    path("import/", views.shop_import, name="import"),
    path("import/template.xlsx", views.shop_import_template, name="import_template"),
    path("coverage/", views.coverage, name="coverage"),
    path("rules/", views.rules, name="rules"),
    path("rules/road-line/", views.road_line, name="road_line"),
    path("exposed/", views.exposure, name="exposure"),
    path("roads/<int:pk>/walk/", views.road_walk, name="walk"),
    path("<int:pk>/", views.shop_detail, name="shop"),
    path("<int:pk>/edit/", views.shop_edit, name="edit"),
    path("<int:pk>/photos/", views.shop_photos, name="photos"),
    path("<int:pk>/pledge.docx", views.pledge_document, name="pledge"),
    path("<int:pk>/pledge/sign/", views.pledge_sign, name="pledge_sign"),
    path("<int:pk>/pledge/scan/", views.pledge_scan, name="pledge_scan"),
    path("<int:pk>/report/", views.report_problem, name="report"),
    path("<int:pk>/unexpose/", views.unexpose, name="unexpose"),
    path("photos/<int:pk>/", views.photo_file, name="photo"),
    path("notices/<int:pk>.docx", views.notice_document, name="notice"),
]
