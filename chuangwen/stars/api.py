"""API routes of star ratings (same rules and scoping as the pages)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from chuangwen.accounts.permissions import has_any_role
from chuangwen.accounts.scope import get_scoped_or_404
from chuangwen.core.errors import DomainError
from chuangwen.org.models import Unit
from chuangwen.stars import services
from chuangwen.stars.models import Rating, Title
from chuangwen.stars.permissions import MANAGE_STARS, READ_RATINGS
from chuangwen.stars.views import PENDING, campaign_for, fillable_units, visible_ratings

router = Router(tags=["stars"])


def _need(request: HttpRequest, roles: tuple[str, ...]) -> None:
    if not has_any_role(request.auth, roles):
        raise PermissionError


class AspectIO(Schema):
    id: int | None = None
    name: str
    description: str = ""


class SetupIO(Schema):
    campaign_id: int | None = None
    star_threshold: Decimal
    top_stars: int
    pass_stars: int
    aspects: list[AspectIO]


class OpenIn(Schema):
    campaign_id: int | None = None
    unit_id: int
    year: int


class ScoreOut(Schema):
    aspect_id: int
    aspect: str
    self_score: Decimal | None
    self_comment: str
    reviewed_score: Decimal | None
    review_comment: str
    score: Decimal | None
    evidence: list[dict]


class StepOut(Schema):
    stage: str
    action: str
    from_status: str
    to_status: str
    comment: str
    actor: str | None
    at: dt.datetime


class RatingOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    year: int
    status: str
    stars: int
    total: Decimal
    title: str = Field(..., description="conferred at acceptance: top, pass, none; blank before")
    title_label: str
    commendation_body: str
    commendation_document: str
    version: int


class RatingDetailOut(RatingOut):
    scores: list[ScoreOut]
    steps: list[StepOut]


class ScoreIn(Schema):
    aspect_id: int
    score: Decimal | None = None
    comment: str = ""


class ScoresIn(Schema):
    version: int | None = Field(None, description="the version you read; a stale one gives 409")
    scores: list[ScoreIn]


class FileIn(Schema):
    name: str
    content: str = Field(..., description="base64")


class EvidenceIn(Schema):
    aspect_id: int
    files: list[FileIn]
    idempotency_key: str = Field("", description="or the Idempotency-Key header: a retry is stored once")


class ActionIn(Schema):
    action: str = Field(..., description="submit, approve, return, accept or commend")
    comment: str = ""
    version: int | None = None
    body: str = Field("", description="commend: the body that commends (e.g. 县委、县政府)")
    document: str = Field("", description="commend: its document number")


def _setup_out(campaign) -> dict:
    scheme, aspects = services.setup_for(campaign)
    return {
        "campaign_id": campaign.pk,
        "star_threshold": scheme.star_threshold,
        "top_stars": scheme.top_stars,
        "pass_stars": scheme.pass_stars,
        "aspects": [{"id": a.pk, "name": a.name, "description": a.description} for a in aspects],
    }


def _rating_out(r: Rating) -> dict:
    return {
        "id": r.pk,
        "unit_id": r.unit_id,
        "unit_name": r.unit.name,
        "year": r.year,
        "status": r.status,
        "stars": r.stars,
        "total": r.total,
        "title": r.title,
        "title_label": r.title_label,
        "commendation_body": r.commendation_body,
        "commendation_document": r.commendation_document,
        "version": r.version,
    }


def _detail(r: Rating) -> dict:
    out = _rating_out(r)
    out["scores"] = [
        {
            "aspect_id": s.aspect_id,
            "aspect": s.aspect.name,
            "self_score": s.self_score,
            "self_comment": s.self_comment,
            "reviewed_score": s.reviewed_score,
            "review_comment": s.review_comment,
            "score": s.score,
            "evidence": [{"id": e.pk, "name": e.name, "kind": e.kind} for e in s.evidence.all()],
        }
        for s in r.scores.select_related("aspect").prefetch_related("evidence")
    ]
    out["steps"] = [
        {
            "stage": st.stage,
            "action": st.action,
            "from_status": st.from_status,
            "to_status": st.to_status,
            "comment": st.comment,
            "actor": str(st.actor) if st.actor else None,
            "at": st.at,
        }
        for st in r.steps.select_related("actor")
    ]
    return out


def _rating(request: HttpRequest, rating_id: int) -> Rating:
    return get_scoped_or_404(Rating.objects.select_related("unit", "campaign"), request.auth, pk=rating_id)


@router.get("/setup", response=SetupIO)
def get_setup(request: HttpRequest, campaign_id: int | None = None):
    _need(request, READ_RATINGS)
    return _setup_out(campaign_for(request.auth, campaign_id))


@router.put("/setup", response=SetupIO)
def put_setup(request: HttpRequest, payload: SetupIO):
    _need(request, MANAGE_STARS)
    campaign = campaign_for(request.auth, payload.campaign_id)
    services.save_setup(
        campaign,
        payload.star_threshold,
        payload.top_stars,
        payload.pass_stars,
        [services.AspectInput(a.name, a.description) for a in payload.aspects],
        request.auth,
        request,
    )
    return _setup_out(campaign)


@router.get("/ratings", response=list[RatingOut])
def list_ratings(
    request: HttpRequest, year: int | None = None, title: str | None = None, campaign_id: int | None = None
):
    _need(request, READ_RATINGS)
    campaign = campaign_for(request.auth, campaign_id)
    if title is not None and title not in (*Title.values, PENDING):
        raise DomainError(_("Unknown title: %(title)s.") % {"title": title})
    rows = visible_ratings(request.auth, campaign, year or timezone.localdate().year, title)
    return [_rating_out(r) for r in rows[:2000]]


@router.post("/ratings", response=RatingOut)
def open_rating(request: HttpRequest, payload: OpenIn):
    _need(request, READ_RATINGS)
    campaign = campaign_for(request.auth, payload.campaign_id)
    unit = get_scoped_or_404(Unit.objects.all(), request.auth, pk=payload.unit_id)
    if not fillable_units(request.auth, campaign).filter(pk=unit.pk).exists():
        if unit.kind not in services.COMMUNITY_KINDS:
            raise DomainError(
                _("Star ratings are for communities and villages; %(unit)s is not one.") % {"unit": unit}
            )
        raise PermissionError
    return _rating_out(services.open_rating(campaign, unit, payload.year, request.auth, request))


@router.get("/ratings/{rating_id}", response=RatingDetailOut)
def get_rating(request: HttpRequest, rating_id: int):
    _need(request, READ_RATINGS)
    return _detail(_rating(request, rating_id))


@router.put("/ratings/{rating_id}/scores", response=RatingDetailOut)
def put_scores(request: HttpRequest, rating_id: int, payload: ScoresIn):
    _need(request, READ_RATINGS)
    rating = _rating(request, rating_id)
    entries = [services.ScoreInput(s.aspect_id, s.score, s.comment) for s in payload.scores]
    return _detail(services.save_scores(rating, entries, request.auth, payload.version, request))


@router.post("/ratings/{rating_id}/evidence", response=RatingDetailOut)
def post_evidence(request: HttpRequest, rating_id: int, payload: EvidenceIn):
    """Add files to one aspect. Send an `Idempotency-Key` header (or `idempotency_key`): a retry
    of an upload already stored answers as the first did and stores nothing."""
    _need(request, READ_RATINGS)
    rating = _rating(request, rating_id)
    key = (request.headers.get("Idempotency-Key") or payload.idempotency_key or "").strip()[:64]
    uploads = []
    for item in payload.files:
        raw = item.content.split(",", 1)[1] if item.content.startswith("data:") else item.content
        try:
            data = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise DomainError(_("%(name)s: not valid base64.") % {"name": item.name}) from None
        uploads.append(SimpleUploadedFile(item.name, data))
    services.add_evidence(
        rating,
        payload.aspect_id,
        uploads,
        request.auth,
        request,
        idempotency_key=f"api:{request.auth.pk}:{key}" if key else "",
    )
    return _detail(Rating.objects.select_related("unit", "campaign").get(pk=rating.pk))


@router.post("/ratings/{rating_id}/actions", response=RatingDetailOut)
def post_action(request: HttpRequest, rating_id: int, payload: ActionIn):
    _need(request, READ_RATINGS)
    rating = _rating(request, rating_id)
    return _detail(
        services.act(
            rating,
            payload.action,
            request.auth,
            payload.comment,
            payload.version,
            request,
            body=payload.body,
            document=payload.document,
        )
    )
