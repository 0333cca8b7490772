"""API routes of materials: requirements, the text parser, submissions (multipart upload with an
idempotency key), review, coverage, the queue and what is due — scoped like the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from chuangwen.accounts.permissions import has_any_role
from chuangwen.accounts.scope import get_scoped_or_404, scope_for, scoped
from chuangwen.core.pagination import Pagination
from chuangwen.materials import coverage, services
from chuangwen.materials.evidence.rules import photo_distance_m
from chuangwen.materials.flags import prepare_for
from chuangwen.materials.models import MaterialRequirement, Submission
from chuangwen.materials.parsing import parse_requirement_text
from chuangwen.materials.periods import periods_for
from chuangwen.materials.permissions import MANAGE_MATERIALS, SUBMIT_MATERIALS
from chuangwen.materials.review import queue
from chuangwen.org.models import Unit

router = Router(tags=["materials"])


class RequirementOut(Schema):
    id: int
    task_id: int
    title: str
    kind: str
    cadence: str
    named_dates: list[dict]
    photos_min: int | None
    photos_max: int | None
    photos_total_max: int | None
    min_participants: int | None
    organiser_required: bool
    words_min: int | None
    words_max: int | None
    window_from: dt.date | None
    window_to: dt.date | None
    notes: str


class PeriodOut(Schema):
    key: str
    label: str
    start: dt.date
    end: dt.date


class RequirementDetailOut(RequirementOut):
    periods: list[PeriodOut]


class ParseIn(Schema):
    text: str


class DraftOut(Schema):
    kind: str
    title: str
    cadence: str
    named_dates: list[dict]
    photos_min: int | None
    photos_max: int | None
    photos_total_max: int | None
    min_participants: int | None
    organiser_required: bool
    words_min: int | None
    words_max: int | None
    window_from: dt.date | None
    window_to: dt.date | None
    notes: list[str]


class FlagOut(Schema):
    code: str
    severity: str
    message: str
    photo_id: int | None
    document_id: int | None
    other_submission_id: int | None


class PhotoOut(Schema):
    id: int
    seq: int
    original_name: str
    width: int
    height: int
    taken_at: dt.datetime | None
    people: int | None
    distance_m: float | None
    display_url: str
    original_url: str


class ReviewOut(Schema):
    level: str
    decision: str
    comment: str
    actor: str
    acted_at: dt.datetime


class SubmissionOut(Schema):
    id: int
    requirement_id: int
    unit_id: int
    unit_name: str
    period: str
    version: int
    is_current: bool
    title: str
    activity_date: dt.date | None
    status: str
    revision: int
    checks_state: str
    flag_count: int
    submitted_at: dt.datetime


class SubmissionDetailOut(SubmissionOut):
    place: str
    latitude: float | None
    longitude: float | None
    organiser: str
    participants: int | None
    photos: list[PhotoOut]
    flags: list[FlagOut]
    reviews: list[ReviewOut]
    versions: list[int]


class ReviewIn(Schema):
    decision: str
    comment: str = ""
    revision: int


class CellOut(Schema):
    requirement_id: int
    unit_id: int
    state: str
    due: int
    satisfied: int
    in_review: int
    sent_back: int


class DueOut(Schema):
    requirement_id: int
    requirement: str
    unit_id: int
    unit: str
    period: str
    period_end: dt.date
    state: str


def _submission_out(s: Submission) -> dict:
    return {
        "id": s.pk,
        "requirement_id": s.requirement_id,
        "unit_id": s.unit_id,
        "unit_name": s.unit.name,
        "period": s.period,
        "version": s.version,
        "is_current": s.is_current,
        "title": s.title,
        "activity_date": s.activity_date,
        "status": s.status,
        "revision": s.revision,
        "checks_state": s.checks_state,
        "flag_count": s.flag_count,
        "submitted_at": s.submitted_at,
    }


def _detail_out(s: Submission, user: Any) -> dict:
    from django.urls import reverse

    data = _submission_out(s)
    data.update(
        place=s.place,
        latitude=s.latitude,
        longitude=s.longitude,
        organiser=s.organiser,
        participants=s.participants,
        photos=[
            {
                "id": p.pk,
                "seq": p.seq,
                "original_name": p.original_name,
                "width": p.width,
                "height": p.height,
                "taken_at": p.taken_at,
                "people": p.people,
                "distance_m": photo_distance_m(s, p),
                "display_url": reverse("materials:photo", kwargs={"pk": p.pk, "variant": "display"}),
                "original_url": reverse("materials:photo", kwargs={"pk": p.pk, "variant": "original"}),
            }
            for p in s.photos.all()
        ],
        flags=[
            {
                "code": f.code,
                "severity": f.severity,
                "message": f.shown_message,
                "photo_id": f.photo_id,
                "document_id": f.document_id,
                "other_submission_id": f.other_submission_id if f.other_visible else None,
            }
            for f in prepare_for(s.flags.all(), user)
        ],
        reviews=[
            {
                "level": r.level,
                "decision": r.decision,
                "comment": r.comment,
                "actor": str(r.actor or ""),
                "acted_at": r.acted_at,
            }
            for r in s.reviews.select_related("actor")
        ],
        versions=list(s.history().values_list("pk", flat=True)),
    )
    return data


@router.get(
    "/requirements", response=list[RequirementOut], summary="Material requirements the caller can see"
)
@paginate(Pagination)
def list_requirements(request: HttpRequest, task_id: int | None = None):
    qs = MaterialRequirement.objects.visible_to(request.auth).filter(is_active=True)
    if task_id is not None:
        qs = qs.filter(task_id=task_id)
    return qs.order_by("task_id", "seq", "id")


# Declared before "/requirements/{requirement_id}" so that "parse" is not taken for an id.
@router.post(
    "/requirements/parse",
    response=list[DraftOut],
    summary="Draft requirements from a 材料审核具体要求 text (nothing is saved)",
)
def parse_text(request: HttpRequest, payload: ParseIn):
    if not has_any_role(request.auth, MANAGE_MATERIALS):
        raise PermissionError("forbidden")
    return [d.__dict__ for d in parse_requirement_text(payload.text)]


@router.get(
    "/requirements/{requirement_id}", response=RequirementDetailOut, summary="One requirement and its periods"
)
def get_requirement(request: HttpRequest, requirement_id: int):
    requirement = get_object_or_404(MaterialRequirement.objects.visible_to(request.auth), pk=requirement_id)
    requirement.periods = [p.__dict__ for p in periods_for(requirement)]
    return requirement


@router.get("/submissions", response=list[SubmissionOut], summary="Submissions the caller can see")
@paginate(Pagination)
def list_submissions(
    request: HttpRequest, requirement_id: int | None = None, status: str = "", current: bool = True
):
    qs = scoped(Submission.objects.select_related("unit"), request.auth)
    if current:
        qs = qs.filter(is_current=True)
    if requirement_id is not None:
        qs = qs.filter(requirement_id=requirement_id)
    if status:
        qs = qs.filter(status=status)
    return [_submission_out(s) for s in qs.order_by("-submitted_at", "-id")[:1000]]


@router.get(
    "/submissions/{submission_id}",
    response=SubmissionDetailOut,
    summary="One submission with photos, evidence flags and reviews",
)
def get_submission(request: HttpRequest, submission_id: int):
    return _detail_out(
        get_scoped_or_404(Submission.objects.select_related("unit"), request.auth, pk=submission_id),
        request.auth,
    )


@router.post(
    "/submissions",
    response={200: SubmissionOut, 201: SubmissionOut},
    summary="File an activity or document (multipart; Idempotency-Key makes a retry safe)",
)
def create_submission(
    request: HttpRequest,
    requirement_id: Form[int],
    unit_id: Form[int],
    title: Form[str],
    files: File[list[UploadedFile]],
    period: Form[str] = "",
    activity_date: Form[dt.date | None] = None,
    place: Form[str] = "",
    latitude: Form[str] = "",
    longitude: Form[str] = "",
    datum: Form[str] = "wgs84",
    organiser: Form[str] = "",
    participants: Form[int | None] = None,
    description: Form[str] = "",
    idempotency_key: Form[str] = "",
    previous_id: Form[int | None] = None,
):
    if not has_any_role(request.auth, SUBMIT_MATERIALS):
        raise PermissionError("forbidden")
    requirement = get_object_or_404(MaterialRequirement.objects.visible_to(request.auth), pk=requirement_id)
    unit = get_scoped_or_404(Unit.objects.all(), request.auth, pk=unit_id)
    previous = (
        get_scoped_or_404(Submission.objects.all(), request.auth, pk=previous_id) if previous_id else None
    )
    key = request.headers.get("Idempotency-Key", "") or idempotency_key
    submission, created = services.submit(
        actor=request.auth,
        requirement=requirement,
        unit=unit,
        data=services.ActivityData(
            title=title,
            period=period,
            activity_date=activity_date,
            place=place,
            latitude=latitude,
            longitude=longitude,
            datum=datum,
            organiser=organiser,
            participants=participants,
            description=description,
        ),
        uploads=list(files),
        idempotency_key=key,
        previous=previous,
        request=request,
    )
    return Status(201 if created else 200, _submission_out(submission))


@router.post(
    "/submissions/{submission_id}/review",
    response=SubmissionOut,
    summary="Approve or send back at the level the submission awaits",
)
def review_submission(request: HttpRequest, submission_id: int, payload: ReviewIn):
    submission = get_scoped_or_404(Submission.objects.select_related("unit"), request.auth, pk=submission_id)
    reviewed = services.review(
        actor=request.auth,
        submission=submission,
        decision=payload.decision,
        comment=payload.comment,
        revision=payload.revision,
        request=request,
    )
    return _submission_out(reviewed)


@router.get("/queue", response=list[SubmissionOut], summary="Submissions waiting for the caller's review")
@paginate(Pagination)
def review_queue(request: HttpRequest, level: str = ""):
    return [
        _submission_out(s)
        for s in queue(request.auth, level or None)
        .select_related("unit")
        .order_by("submitted_at", "id")[:1000]
    ]


@router.get("/coverage", response=list[CellOut], summary="Coverage per requirement × unit")
def coverage_cells(request: HttpRequest, requirement_id: int | None = None):
    requirements = MaterialRequirement.objects.visible_to(request.auth).filter(is_active=True)
    if requirement_id is not None:
        requirements = requirements.filter(pk=requirement_id)
    requirements = list(requirements.select_related("task__campaign")[:500])
    everything = scope_for(request.auth).everything
    units = [] if everything else list(scoped(Unit.objects.all(), request.auth))
    result = coverage.board(requirements, units, unit_filter=not everything)
    return [
        {
            "requirement_id": r,
            "unit_id": u,
            "state": c.state,
            "due": c.due,
            "satisfied": c.satisfied,
            "in_review": c.in_review,
            "sent_back": c.sent_back,
        }
        for (r, u), c in sorted(result.cells.items())
    ]


@router.get("/due", response=list[DueOut], summary="Periods the caller's units still owe")
def due(request: HttpRequest):
    requirements = list(
        MaterialRequirement.objects.visible_to(request.auth)
        .filter(is_active=True)
        .select_related("task__campaign")
    )
    units = (
        list(scope_for(request.auth).units())
        if not scope_for(request.auth).everything
        else list(
            Unit.objects.filter(task_assignments__task__material_requirements__in=requirements).distinct()
        )
    )
    return [
        {
            "requirement_id": i.requirement.pk,
            "requirement": i.requirement.title,
            "unit_id": i.unit.pk,
            "unit": i.unit.name,
            "period": i.period.key,
            "period_end": i.period.end,
            "state": i.state,
        }
        for i in coverage.due_items(requirements, units)[:1000]
    ]
