"""API routes of campaigns: the campaign, its phases and countdown."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.campaigns.models import Campaign

router = Router(tags=["campaigns"])


class DeliverableOut(Schema):
    id: int
    number: int
    text: str
    unit_id: int | None
    due: dt.date | None
    status: str


class PhaseOut(Schema):
    seq: int
    name: str
    start: dt.date
    end: dt.date
    lead_unit_id: int | None
    deliverables: list[DeliverableOut]

    @staticmethod
    def resolve_deliverables(obj) -> list:
        return list(obj.tasks.all())


class CampaignOut(Schema):
    id: int
    name: str
    year: int
    level: str
    is_current: bool
    inspection_start: dt.date | None
    inspection_end: dt.date | None
    days_to_inspection: int | None
    phases: list[PhaseOut]

    @staticmethod
    def resolve_days_to_inspection(obj: Campaign) -> int | None:
        return obj.days_to_inspection()

    @staticmethod
    def resolve_phases(obj: Campaign) -> list:
        return list(obj.phases.all())


@router.get("/", response=list[CampaignOut], summary="Campaigns the caller can see")
def list_campaigns(request: HttpRequest):
    return scoped(Campaign.objects.prefetch_related("phases__tasks"), request.auth)


@router.get("/{campaign_id}", response=CampaignOut, summary="One campaign with its phases")
def get_campaign(request: HttpRequest, campaign_id: int):
    return get_scoped_or_404(Campaign.objects.prefetch_related("phases__tasks"), request.auth, pk=campaign_id)
