"""API routes of inspections: rounds, summaries, my assignments, and a whole checklist at once."""

from __future__ import annotations

import base64
import binascii
import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from chuangwen.accounts.permissions import has_any_role
from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.core.errors import DomainError
from chuangwen.inspections import services
from chuangwen.inspections.models import Round, RoundStatus, TeamAssignment
from chuangwen.inspections.permissions import INSPECT, READ_ROUNDS
from chuangwen.inspections.queries import summary

router = Router(tags=["inspections"])


class RoundOut(Schema):
    id: int
    name: str
    kind: str
    status: str
    start_date: dt.date
    end_date: dt.date
    organizer_id: int
    team_id: int
    pass_rate: float


class SummaryRowOut(Schema):
    key: str
    points: int
    done: int
    score: float
    max_score: float
    failed: int
    rate: float | None


class SummaryOut(Schema):
    overall: SummaryRowOut
    observations: int
    passed_points: int
    by_unit: list[SummaryRowOut]
    by_type: list[SummaryRowOut]


class AssignmentOut(Schema):
    id: int
    round_id: int
    round_name: str
    point_id: int
    point_name: str
    status: str
    score_rate: float | None


class ItemIn(Schema):
    item_id: int
    result: str = ""
    occurrences: int | None = None
    value: float | None = None
    note: str = ""
    photos: list[str] = Field(default_factory=list, description="base64 (or data: URL) JPEG/PNG/WebP")


class ChecklistIn(Schema):
    key: str = Field("", description="idempotency key: a resend with the same key is stored once")
    lat: float | str | None = None
    lng: float | str | None = None
    items: list[ItemIn]


class ChecklistOut(Schema):
    round_point: int
    score_rate: float | None
    failed_items: int
    observed: int
    photos_added: int
    replayed: bool
    warnings: list[str] = []


def _need(user, roles) -> None:
    if not has_any_role(user, roles):
        raise PermissionError(_("You may not do this."))


@router.get("/rounds", response=list[RoundOut], summary="Rounds the caller can see")
def list_rounds(request: HttpRequest):
    _need(request.auth, READ_ROUNDS)
    return scoped(Round.objects.all(), request.auth).order_by("-start_date", "-id")[:200]


@router.get("/rounds/{round_id}/summary", response=SummaryOut, summary="A round's results by unit and type")
def round_summary(request: HttpRequest, round_id: int):
    _need(request.auth, READ_ROUNDS)
    round_ = get_scoped_or_404(Round.objects.all(), request.auth, pk=round_id)
    return summary(round_, request.auth)


@router.get(
    "/assignments", response=list[AssignmentOut], summary="Points of open rounds for the caller's team"
)
def my_assignments(request: HttpRequest):
    _need(request.auth, INSPECT)
    qs = scoped(TeamAssignment.objects.filter(round__status=RoundStatus.OPEN), request.auth)
    return [
        AssignmentOut(
            id=a.pk,
            round_id=a.round_id,
            round_name=a.round.name,
            point_id=a.point_id,
            point_name=a.point.name,
            status=a.status,
            score_rate=a.score_rate,
        )
        for a in qs.select_related("round", "point").order_by("round", "seq")[:500]
    ]


def _decode(text: str) -> bytes:
    if text.startswith("data:"):
        text = text.split(",", 1)[-1]
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DomainError(_("A photo is not valid base64.")) from exc


@router.post(
    "/assignments/{assignment_id}/checklist",
    response=ChecklistOut,
    summary="Record a whole checklist (idempotent by key)",
)
def submit_checklist(request: HttpRequest, assignment_id: int, payload: ChecklistIn):
    _need(request.auth, INSPECT)
    rp = get_scoped_or_404(
        TeamAssignment.objects.select_related("round", "point"), request.auth, pk=assignment_id
    )
    entries = [
        services.parse_entry(i.item_id, i.dict(exclude={"photos"}), [_decode(p) for p in i.photos])
        for i in payload.items
    ]
    return services.record(
        rp, entries, request.auth, payload.lat, payload.lng, key=payload.key, request=request
    )
