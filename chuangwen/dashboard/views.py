"""The leadership dashboard (领导驾驶舱): one page over the precomputed snapshot."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.permissions import has_any_role, role_required
from chuangwen.audit.services import log_action
from chuangwen.dashboard import jobs, queries
from chuangwen.dashboard.permissions import REFRESH_DASHBOARD, VIEW_DASHBOARD


@role_required(*VIEW_DASHBOARD)
def index(request: HttpRequest, template: str = "dashboard/index.html") -> HttpResponse:
    campaign = queries.campaign_for(request.user, request.GET.get("campaign"))
    today = timezone.localdate()
    context = {
        "campaign": campaign,
        "today": today,
        "can_refresh": has_any_role(request.user, REFRESH_DASHBOARD),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
    if campaign is not None:
        choice = queries.choose(request.user, campaign, request.GET.get("unit"))
        snapshot = choice.snapshot
        phases = list(campaign.phases.all())
        query = {"campaign_id": campaign.pk}
        map_query = {}
        if snapshot is not None and snapshot.unit_id:
            query["unit_id"] = snapshot.unit_id
            map_query["unit_id"] = snapshot.unit_id
        data = snapshot.data if snapshot else None
        context.update(
            snapshot=snapshot,
            data=data,
            scored_at=_scored_at(data),
            available=choice.available,
            days_left=campaign.days_to_inspection(today),
            current_phase=next((p for p in phases if p.start <= today <= p.end), None),
            next_phase=next((p for p in phases if p.start > today), None),
            api_url=reverse("api:dashboard_snapshot") + "?" + urlencode(query),
            map_url=reverse("api:points_map") + ("?" + urlencode(map_query) if map_query else ""),
        )
    context["screen_refresh"] = SCREEN_REFRESH_SECONDS
    return render(request, template, context)


# The wall screen reloads itself; the snapshot behind it is recomputed every quarter of an hour.
SCREEN_REFRESH_SECONDS = 300


@role_required(*VIEW_DASHBOARD)
def screen(request: HttpRequest) -> HttpResponse:
    """大屏: the dashboard for the command centre's wall (1920×1080): no menus, large type, the
    figures a room reads from afar, reloading itself."""
    return index(request, template="dashboard/screen.html")


@require_POST
@role_required(*REFRESH_DASHBOARD)
def refresh(request: HttpRequest) -> HttpResponse:
    campaign = queries.campaign_for(request.user, request.POST.get("campaign"))
    if campaign is None:
        messages.error(request, _("There is no campaign yet."))
        return redirect("dashboard:index")
    log_action(request.user, "dashboard.snapshot.refresh_requested", campaign, request=request)
    jobs.refresh_campaign(campaign.pk, request.user.pk)
    messages.success(request, _("The dashboard is being recomputed; reload the page in a minute."))
    return redirect(reverse("dashboard:index") + "?" + urlencode({"campaign": campaign.pk}))


def _scored_at(data: dict | None) -> dt.datetime | None:
    """The scoring run's time, kept in the snapshot's JSON as ISO text, as an aware datetime
    (the template shows it in the campaign's time zone, not as UTC text)."""
    text = str(((data or {}).get("scores") or {}).get("computed_at") or "")
    when = parse_datetime(text) if text else None
    if when is not None and timezone.is_naive(when):
        when = timezone.make_aware(when, dt.UTC)
    return when
