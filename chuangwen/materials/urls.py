from django.urls import path

from chuangwen.materials.views import exports, requirements, submissions

app_name = "materials"

urlpatterns = [
    path("", requirements.due_list, name="due"),
    path("requirements/", requirements.requirement_list, name="requirements"),
    path("requirements/<int:pk>/", requirements.requirement_detail, name="requirement"),
    path("requirements/<int:pk>/edit/", requirements.requirement_edit, name="requirement_edit"),
    path("tasks/<int:task_pk>/requirements/new/", requirements.requirement_new, name="requirement_new"),
    path("requirements/<int:requirement_pk>/submit/", submissions.submit, name="submit"),
    path("submissions/<int:pk>/", submissions.submission_detail, name="submission"),
    path("submissions/<int:pk>/revise/", submissions.resubmit, name="resubmit"),
    path("submissions/<int:pk>/review/", submissions.review, name="review"),
    path("photos/<int:pk>/<str:variant>/", submissions.photo_file, name="photo"),
    path("documents/<int:pk>/", submissions.document_file, name="document"),
    path("queue/", requirements.review_queue, name="queue"),
    path("coverage/", requirements.coverage_board, name="coverage"),
    path("policy/", requirements.policy_edit, name="policy"),
    path("ledger.xlsx", exports.ledger, name="ledger"),
    path("archive.zip", exports.archive, name="archive"),
]
