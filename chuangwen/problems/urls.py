from django.urls import path

from chuangwen.problems.views import office, staff

app_name = "problems"

urlpatterns = [
    path("", staff.problem_list, name="list"),
    path("inbox/", staff.inbox, name="inbox"),
    path("report/", staff.report, name="report"),
    path("report/nearby/", staff.nearby, name="nearby"),
    path("photos/<int:pk>/<slug:variant>/", staff.photo, name="photo"),
    path("console/", office.console, name="console"),
    path("console/dispatch/", office.bulk_dispatch, name="bulk_dispatch"),
    path("calendar/", office.calendar, name="calendar"),
    path("calendar/<int:pk>/delete/", office.calendar_delete, name="calendar_delete"),
    path("rates/", office.rate_report, name="rates"),
    path("rates/basis/", office.rate_basis, name="rate_basis"),
    path("overdue/", office.overdue, name="overdue"),
    path("escalations/", office.escalations, name="escalations"),
    path("notices/<int:pk>.docx", office.notice_docx, name="notice_docx"),
    path("export/ledger.xlsx", office.ledger_xlsx, name="ledger_xlsx"),
    path("export/list.docx", office.list_docx, name="list_docx"),
    path("hotline/import/", office.hotline_import, name="hotline_import"),
    path("hotline/import/template.xlsx", office.hotline_import_template, name="hotline_import_template"),
    path("hotline/status.xlsx", office.hotline_export, name="hotline_export"),
    # Last: these would swallow fixed paths such as hotline/import/.
    path("<int:pk>/", staff.detail, name="detail"),
    path("<int:pk>/<slug:name>/", staff.action, name="action"),
]
