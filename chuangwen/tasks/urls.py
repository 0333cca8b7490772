from django.urls import path

from chuangwen.tasks import import_views, views

app_name = "tasks"

urlpatterns = [
    path("", views.board, name="board"),
    path("mine/", views.mine, name="mine"),
    path("coverage/", views.coverage, name="coverage"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("import/", import_views.import_page, name="import"),
    path("import/template.xlsx", import_views.import_template, name="import_template"),
    path("export/", import_views.export_tasks, name="export"),
    path("ledger/", import_views.export_ledger, name="ledger"),
]
