from django.urls import path

from chuangwen.surveys.views import collect, design, public, results, rounds

app_name = "surveys"

urlpatterns = [
    path("", design.index, name="index"),
    path("questionnaires/new/", design.questionnaire_edit, name="questionnaire_new"),
    path("questionnaires/<int:pk>/", design.questionnaire_detail, name="questionnaire"),
    path("questionnaires/<int:pk>/edit/", design.questionnaire_edit, name="questionnaire_edit"),
    path("questionnaires/<int:pk>/status/", design.questionnaire_status, name="questionnaire_status"),
    path("questionnaires/<int:pk>/import/", design.questionnaire_import, name="questionnaire_import"),
    path(
        "questionnaires/<int:pk>/import/template.xlsx",
        design.questionnaire_import_template,
        name="questionnaire_import_template",
    ),
    path("questionnaires/<int:pk>/export.xlsx", design.questionnaire_export, name="questionnaire_export"),
    path("questionnaires/<int:pk>/bands/", design.bands_edit, name="bands"),
    path("questionnaires/<int:pk>/rounds/new/", rounds.round_new, name="round_new"),
    path("questions/<int:pk>/edit/", design.question_edit, name="question_edit"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round"),
    path("rounds/<int:pk>/edit/", rounds.round_edit, name="round_edit"),
    path("rounds/<int:pk>/status/", rounds.round_status, name="round_status"),
    path("rounds/<int:pk>/quotas/", rounds.quotas, name="quotas"),
    path("rounds/<int:pk>/assignments/", rounds.assignments, name="assignments"),
    path("assignments/<int:pk>/delete/", rounds.assignment_delete, name="assignment_delete"),
    path("rounds/<int:pk>/collect/", collect.collect, name="collect"),
    path("rounds/<int:pk>/hotline/", collect.hotline_import, name="hotline_import"),
    path(
        "rounds/<int:pk>/hotline/template.xlsx",
        collect.hotline_import_template,
        name="hotline_import_template",
    ),
    path("rounds/<int:pk>/responses.xlsx", collect.responses_export, name="responses_export"),
    path("rounds/<int:pk>/rates/", results.rates, name="rates"),
    path("rounds/<int:pk>/rates.xlsx", results.rates_export, name="rates_export"),
    path("mine/", rounds.mine, name="mine"),
    path("responses/", collect.responses, name="responses"),
    path("responses/<int:pk>/", collect.response_detail, name="response"),
    path("responses/<int:pk>/void/", collect.response_void, name="response_void"),
    path("trends/", results.trends, name="trends"),
]

# Mounted at /s/ by the project's urls.py: short enough to type from a poster.
public_urlpatterns = [
    path("<str:token>/", public.public_form, name="form"),
    path("<str:token>/thanks/", public.public_thanks, name="thanks"),
    path("<str:token>/qr.svg", public.public_qr, name="qr"),
]
