"""API routes of bulletins: the archive, one bulletin, generation (idempotent) and its status,
publishing, the files. The role decides what a caller may do (403), Bulletin.objects.visible_to
(built on the scoping helper) what it may see (404); a rule broken is a 400."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from chuangwen.accounts.scope import get_scoped_or_404
from chuangwen.bulletins import services
from chuangwen.bulletins.models import Bulletin, BulletinStatus
from chuangwen.bulletins.permissions import MANAGE, READ, has_any_role
from chuangwen.bulletins.views import file_response
from chuangwen.campaigns.models import Campaign
from chuangwen.core.errors import DomainError
from chuangwen.core.pagination import Pagination
from chuangwen.inspections.models import Round
from chuangwen.org.models import Unit

router = Router(tags=["bulletins"])


def _require(request: HttpRequest, roles: tuple[str, ...]) -> None:
    if not has_any_role(request.auth, roles):
        raise PermissionError


def _get(request: HttpRequest, bulletin_id: int) -> Bulletin:
    return get_object_or_404(Bulletin.objects.visible_to(request.auth), pk=bulletin_id)


class BulletinOut(Schema):
    id: int
    campaign_id: int
    status: str
    year: int | None
    number: int | None
    title: str
    issuer: str
    issue_date: dt.date | None
    period_start: dt.date
    period_end: dt.date
    round_id: int | None
    street_id: int | None
    published_at: dt.datetime | None
    job_state: str
    files_ready: bool


class BulletinDetailOut(BulletinOut):
    lead: str
    highlights: str
    good_text: str
    poor_text: str
    requirements: str
    submit_to: str
    copy_to: str
    content: dict[str, Any]


class StatusOut(Schema):
    id: int
    status: str
    job_state: str
    progress: int
    stage: str
    error: str
    files_ready: bool


class GenerateIn(Schema):
    campaign_id: int
    start: dt.date
    end: dt.date
    round_id: int | None = None
    street_id: int | None = None


class TextsIn(Schema):
    title: str | None = None
    issuer: str | None = None
    issue_date: dt.date | None = None
    lead: str | None = None
    highlights: str | None = None
    good_text: str | None = None
    poor_text: str | None = None
    requirements: str | None = None
    submit_to: str | None = None
    copy_to: str | None = None


def _status(bulletin: Bulletin) -> dict[str, Any]:
    return {
        "id": bulletin.pk,
        "status": bulletin.status,
        "job_state": bulletin.job_state,
        "progress": bulletin.progress,
        "stage": bulletin.job_stage,
        "error": bulletin.job_error,
        "files_ready": bulletin.files_ready,
    }


@router.get("", response=list[BulletinOut])
@paginate(Pagination)
def list_bulletins(request: HttpRequest, year: int | None = None, status: str | None = None):
    """Published bulletins (and, for the office, drafts), newest issue first."""
    _require(request, READ)
    qs = Bulletin.objects.visible_to(request.auth).order_by("-year", "-number", "-id")
    if year:
        qs = qs.filter(year=year)
    if status in BulletinStatus.values:
        qs = qs.filter(status=status)
    return qs


@router.post("generate", response={202: StatusOut})
def generate_new(request: HttpRequest, payload: GenerateIn):
    """The draft for this period (and round/street), created once, and its generation queued.
    Asking again with the same parameters returns the same draft and starts nothing new."""
    _require(request, MANAGE)
    campaign = get_scoped_or_404(
        Campaign.objects.select_related("root_unit", "office_unit"), request.auth, pk=payload.campaign_id
    )
    round_ = (
        get_scoped_or_404(Round.objects.all(), request.auth, pk=payload.round_id)
        if payload.round_id
        else None
    )
    street = (
        get_scoped_or_404(Unit.objects.all(), request.auth, pk=payload.street_id)
        if payload.street_id
        else None
    )
    bulletin, _created = services.create_draft(
        request.auth,
        campaign=campaign,
        start=payload.start,
        end=payload.end,
        round_=round_,
        street=street,
        request=request,
    )
    return Status(202, _status(services.request_generation(bulletin, request.auth, request=request)))


@router.get("{bulletin_id}", response=BulletinDetailOut)
def get_bulletin(request: HttpRequest, bulletin_id: int):
    _require(request, READ)
    return _get(request, bulletin_id)


@router.patch("{bulletin_id}", response=BulletinDetailOut)
def edit_bulletin(request: HttpRequest, bulletin_id: int, payload: TextsIn):
    """Change a draft's texts; its documents are written again."""
    _require(request, MANAGE)
    bulletin = _get(request, bulletin_id)
    values = payload.dict(exclude_unset=True)
    for name, value in values.items():
        if value is None and name != "issue_date":
            raise DomainError(f"{name} cannot be null")
    return services.update_texts(bulletin, request.auth, values, request=request)


@router.post("{bulletin_id}/generate", response={202: StatusOut})
def generate(request: HttpRequest, bulletin_id: int):
    """Regenerate a draft (or retry a published bulletin's failed files); idempotent while running."""
    _require(request, MANAGE)
    return Status(
        202, _status(services.request_generation(_get(request, bulletin_id), request.auth, request=request))
    )


@router.get("{bulletin_id}/status", response=StatusOut)
def status(request: HttpRequest, bulletin_id: int):
    """Progress of the generation (the page polls this)."""
    _require(request, READ)
    return _status(_get(request, bulletin_id))


@router.post("{bulletin_id}/publish", response=BulletinOut)
def publish(request: HttpRequest, bulletin_id: int):
    """Number (第N期), freeze and publish a generated draft; named units are notified."""
    _require(request, MANAGE)
    return services.publish(_get(request, bulletin_id), request.auth, request=request)


@router.delete("{bulletin_id}", response={204: None})
def discard(request: HttpRequest, bulletin_id: int):
    """Discard a draft (a published bulletin stays: 400)."""
    _require(request, MANAGE)
    services.discard(_get(request, bulletin_id), request.auth, request=request)
    return Status(204, None)


@router.get("{bulletin_id}/download/{fmt}")
def download(request: HttpRequest, bulletin_id: int, fmt: str):
    """The .docx or the PDF (fmt = docx or pdf)."""
    _require(request, READ)
    return file_response(_get(request, bulletin_id), fmt)
