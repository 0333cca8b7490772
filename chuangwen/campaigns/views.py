"""Campaign calendar (phases and their tasks) and the command structure."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from chuangwen.accounts.permissions import MANAGE_CAMPAIGN, has_any_role
from chuangwen.accounts.scope import scoped
from chuangwen.campaigns.choice import chosen_campaign
from chuangwen.campaigns.edit_views import can_submit
from chuangwen.campaigns.models import Campaign, DeliverableStatus, PhaseTask, WorkingGroup


def _campaign(request: HttpRequest) -> Campaign | None:
    return chosen_campaign(request.user, request.GET.get("campaign"))


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    campaign = _campaign(request)
    today = timezone.localdate()
    phases = []
    if campaign:
        phases = list(
            campaign.phases.select_related("lead_unit").prefetch_related(
                Prefetch("tasks", PhaseTask.objects.select_related("unit"))
            )
        )
    campaigns = scoped(Campaign.objects.all(), request.user)
    # Deliverables this user may report on (the office: all of them).
    submittable = {
        item.pk for phase in phases for item in phase.tasks.all() if can_submit(request.user, item)
    }
    return render(
        request,
        "campaigns/calendar.html",
        {
            "campaign": campaign,
            "phases": phases,
            "today": today,
            "campaigns": campaigns,
            "days_left": campaign.days_to_inspection(today) if campaign else None,
            "can_manage": has_any_role(request.user, MANAGE_CAMPAIGN),
            "submittable": submittable,
            "statuses": DeliverableStatus,
        },
    )


@login_required
def groups(request: HttpRequest) -> HttpResponse:
    campaign = _campaign(request)
    groups = []
    posts = []
    if campaign:
        groups = list(
            WorkingGroup.objects.filter(campaign=campaign)
            .select_related("lead_unit", "responsible")
            .prefetch_related("members")
        )
        posts = list(campaign.command_posts.select_related("person", "person__unit"))
    return render(
        request,
        "campaigns/groups.html",
        {
            "campaign": campaign,
            "groups": groups,
            "posts": posts,
            "can_manage": has_any_role(request.user, MANAGE_CAMPAIGN),
        },
    )
