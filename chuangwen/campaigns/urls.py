from django.urls import path

from chuangwen.campaigns import edit_views, views

app_name = "campaigns"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("groups/", views.groups, name="groups"),
    path("new/", edit_views.campaign_edit, name="campaign_new"),
    path("<int:pk>/edit/", edit_views.campaign_edit, name="campaign_edit"),
    path("<int:campaign_pk>/phases/new/", edit_views.phase_edit, name="phase_new"),
    path("phases/<int:pk>/edit/", edit_views.phase_edit, name="phase_edit"),
    path("phases/<int:pk>/delete/", edit_views.phase_delete, name="phase_delete"),
    path("phases/<int:phase_pk>/deliverables/new/", edit_views.deliverable_edit, name="deliverable_new"),
    path("deliverables/<int:pk>/edit/", edit_views.deliverable_edit, name="deliverable_edit"),
    path("deliverables/<int:pk>/delete/", edit_views.deliverable_delete, name="deliverable_delete"),
    path("deliverables/<int:pk>/status/", edit_views.deliverable_move, name="deliverable_move"),
    path("<int:campaign_pk>/posts/new/", edit_views.post_edit, name="post_new"),
    path("posts/<int:pk>/edit/", edit_views.post_edit, name="post_edit"),
    path("posts/<int:pk>/delete/", edit_views.post_delete, name="post_delete"),
    path("<int:campaign_pk>/groups/new/", edit_views.group_edit, name="group_new"),
    path("groups/<int:pk>/edit/", edit_views.group_edit, name="group_edit"),
    path("groups/<int:pk>/delete/", edit_views.group_delete, name="group_delete"),
]
