"""The snapshot as JSON for the dashboard's charts (and for anybody's own screens)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from chuangwen.accounts.permissions import has_any_role
from chuangwen.audit.services import log_action
from chuangwen.dashboard import jobs, queries
from chuangwen.dashboard.permissions import REFRESH_DASHBOARD, VIEW_DASHBOARD

router = Router(tags=["dashboard"])


class SliceOut(Schema):
    unit_id: int | None
    unit: str


class SnapshotOut(Schema):
    campaign_id: int
    unit_id: int | None
    computed_at: dt.datetime
    duration_ms: int
    slices: list[SliceOut]
    data: dict[str, Any]


class QueuedOut(Schema):
    campaign_id: int
    queued: bool


def _require(request: HttpRequest, roles: tuple[str, ...]) -> None:
    if not has_any_role(request.auth, roles):
        raise PermissionError("forbidden")


@router.get(
    "/snapshot",
    response=SnapshotOut,
    url_name="dashboard_snapshot",
    summary="The dashboard's figures for a campaign (whole, or one street's slice)",
)
def snapshot(request: HttpRequest, campaign_id: int | None = None, unit_id: int | None = None):
    """404 when the slice is out of the caller's reach or has not been computed yet."""
    _require(request, VIEW_DASHBOARD)
    campaign = queries.campaign_for(request.auth, campaign_id)
    if campaign is None:
        raise Http404
    choice = queries.choose(request.auth, campaign, unit_id)
    if choice.snapshot is None:
        raise Http404
    found = choice.snapshot
    return {
        "campaign_id": campaign.pk,
        "unit_id": found.unit_id,
        "computed_at": found.computed_at,
        "duration_ms": found.duration_ms,
        "slices": [{"unit_id": s.unit_id, "unit": s.unit.name if s.unit else ""} for s in choice.available],
        "data": found.data,
    }


@router.post(
    "/refresh",
    response={202: QueuedOut},
    url_name="dashboard_refresh",
    summary="Recompute the dashboard in the background",
)
def refresh(request: HttpRequest, campaign_id: int | None = None):
    _require(request, REFRESH_DASHBOARD)
    campaign = queries.campaign_for(request.auth, campaign_id)
    if campaign is None:
        raise Http404
    log_action(request.auth, "dashboard.snapshot.refresh_requested", campaign, request=request)
    jobs.refresh_campaign(campaign.pk, request.auth.pk)
    return Status(202, {"campaign_id": campaign.pk, "queued": True})
