"""The home page: countdown, current phase and what needs the user's attention."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from chuangwen.accounts.scope import scope_for, scoped
from chuangwen.campaigns.choice import chosen_campaign
from chuangwen.campaigns.models import Campaign
from chuangwen.core.attention import gather
from chuangwen.org.models import Person, Unit


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_superuser and not Campaign.objects.exists():
        # A fresh install: the first superuser is taken to setup rather than an empty home.
        return redirect("setup:index")
    campaign = chosen_campaign(user)
    today = timezone.localdate()
    phases = list(campaign.phases.select_related("lead_unit")) if campaign else []
    current_phase = next((p for p in phases if p.start <= today <= p.end), None)
    scope = scope_for(user)
    memberships = user.memberships.select_related("unit").order_by("unit__path")
    context = {
        "campaign": campaign,
        "days_left": campaign.days_to_inspection(today) if campaign else None,
        "phases": phases,
        "current_phase": current_phase,
        "today": today,
        "memberships": memberships,
        "campaign_wide": scope.everything,
        "unit_count": scoped(Unit.objects.filter(is_active=True), user).count(),
        "people_count": scoped(Person.objects.filter(is_active=True), user).count(),
        "attention": gather(user),
    }
    return render(request, "reports/home.html", context)
