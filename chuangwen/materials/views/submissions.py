"""Pages about submissions: filing (and refiling) with photos from a phone, the detail with
photos, flags and history, the review action, and the files themselves (scoped, never public)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.permissions import role_required
from chuangwen.accounts.scope import get_scoped_or_404, scope_for
from chuangwen.core import storage
from chuangwen.core.errors import DomainError
from chuangwen.materials import services
from chuangwen.materials.evidence.rules import format_distance, photo_distance_m
from chuangwen.materials.flags import prepare_for
from chuangwen.materials.forms import ReviewForm, SubmissionForm
from chuangwen.materials.models import (
    EvidenceFlag,
    MaterialRequirement,
    Photo,
    ReviewAction,
    Submission,
    SubmissionStatus,
)
from chuangwen.materials.periods import due_periods
from chuangwen.materials.permissions import SUBMIT_MATERIALS
from chuangwen.materials.review import can_review, policy_for
from chuangwen.materials.services import DATED_KINDS, ActivityData


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("x-requested-with") == "XMLHttpRequest"


def _submit_units(request: HttpRequest, requirement: MaterialRequirement):
    """Units the user may file for on this requirement: assigned to the task and in reach."""
    return (
        scope_for(request.user, SUBMIT_MATERIALS)
        .units()
        .filter(task_assignments__task=requirement.task, is_active=True)
        .order_by("path")
    )


def _handle_submit(
    request: HttpRequest, requirement: MaterialRequirement, previous: Submission | None
) -> HttpResponse:
    units = _submit_units(request, requirement)
    if previous is not None:
        units = units.filter(pk=previous.unit_id)
    if not units.exists():
        raise PermissionDenied
    dated = requirement.kind in DATED_KINDS
    form = SubmissionForm(
        request.POST or None, units=units, periods=due_periods(requirement), previous=previous, dated=dated
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                submission, created = services.submit(
                    actor=request.user,
                    requirement=requirement,
                    unit=data["unit"],
                    data=ActivityData(
                        title=data["title"],
                        period=data.get("period", ""),
                        activity_date=data.get("activity_date"),
                        place=data.get("place", ""),
                        latitude=data.get("latitude"),
                        longitude=data.get("longitude"),
                        datum=data.get("datum") or "wgs84",
                        organiser=data.get("organiser", ""),
                        participants=data.get("participants"),
                        description=data.get("description", ""),
                    ),
                    uploads=request.FILES.getlist("files"),
                    idempotency_key=data.get("idempotency_key", ""),
                    previous=previous,
                    keep_photo_ids=tuple(data.get("keep_photos") or ()),
                    keep_document_ids=tuple(data.get("keep_documents") or ()),
                    request=request,
                )
            except PermissionError as exc:
                raise PermissionDenied from exc
            except DomainError as exc:
                # The form comes back as filled in; a storage failure answers 503, not 400.
                form.add_error(None, str(exc))
                if isinstance(exc, storage.StorageUnavailable):
                    status = exc.status
            else:
                url = reverse("materials:submission", kwargs={"pk": submission.pk})
                if _wants_json(request):
                    return JsonResponse({"id": submission.pk, "url": url, "created": created})
                messages.success(
                    request,
                    _("Filed. The evidence checks run in the background.")
                    if created
                    else _("This upload had already arrived; nothing was filed twice."),
                )
                return redirect(url)
        if _wants_json(request):
            errors = [str(e) for e in form.non_field_errors()] + [
                f"{form.fields[name].label}: {error}"
                for name, errs in form.errors.items()
                if name != "__all__"
                for error in errs
            ]
            return JsonResponse({"errors": errors}, status=400 if status == 200 else status)
    return render(
        request,
        "materials/submit.html",
        {
            "form": form,
            "requirement": requirement,
            "previous": previous,
            "dated": dated,
        },
        status=status,
    )


@role_required(*SUBMIT_MATERIALS)
def submit(request: HttpRequest, requirement_pk: int) -> HttpResponse:
    requirement = get_object_or_404(
        MaterialRequirement.objects.visible_to(request.user)
        .filter(is_active=True)
        .select_related("task__campaign"),
        pk=requirement_pk,
    )
    return _handle_submit(request, requirement, None)


@role_required(*SUBMIT_MATERIALS)
def resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    previous = get_scoped_or_404(
        Submission.objects.select_related("requirement__task__campaign"), request.user, pk=pk
    )
    if not previous.is_current or previous.status != SubmissionStatus.SENT_BACK:
        messages.error(request, _("Only the latest version, once sent back, can be revised."))
        return redirect("materials:submission", pk=previous.pk)
    return _handle_submit(request, previous.requirement, previous)


def _photo_rows(submission: Submission) -> list[dict[str, Any]]:
    rows = []
    by_photo: dict[int | None, list[EvidenceFlag]] = {}
    for flag in submission.flags.all():
        by_photo.setdefault(flag.photo_id, []).append(flag)
    for photo in submission.photos.all():
        metres = photo_distance_m(submission, photo)
        rows.append(
            {
                "photo": photo,
                "flags": by_photo.get(photo.pk, []),
                "distance": format_distance(metres) if metres is not None else "",
            }
        )
    return rows


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_scoped_or_404(
        Submission.objects.select_related(
            "requirement__task__campaign", "requirement__task__indicator", "unit", "submitted_by"
        ),
        request.user,
        pk=pk,
    )
    flags = prepare_for(
        submission.flags.select_related("other_submission__unit", "other_photo"), request.user
    )
    submission._prefetched_objects_cache = {"flags": flags}
    history = list(
        submission.history()
        .select_related("submitted_by")
        .prefetch_related(Prefetch("reviews", queryset=ReviewAction.objects.select_related("actor")))
    )
    policy = policy_for(submission)
    reviewable = can_review(request.user, submission, policy)
    form = ReviewForm(initial={"revision": submission.revision}) if reviewable else None
    return render(
        request,
        "materials/submission_detail.html",
        {
            "submission": submission,
            "requirement": submission.requirement,
            "photo_rows": _photo_rows(submission),
            "general_flags": [f for f in flags if f.photo_id is None],
            "documents": list(submission.documents.all()),
            "history": history,
            "levels": policy.levels(),
            "form": form,
            "can_resubmit": submission.is_current
            and submission.status == SubmissionStatus.SENT_BACK
            and request.user.has_role(*SUBMIT_MATERIALS)
            and scope_for(request.user, SUBMIT_MATERIALS).covers(submission.unit),
        },
    )


@require_POST
@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_scoped_or_404(Submission.objects.all(), request.user, pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid() and form.cleaned_data["revision"] != submission.revision:
        # Another reviewer acted since this page was shown: say so rather than refuse blindly.
        messages.error(
            request, _("Somebody else reviewed this material meanwhile; reload to see what they did.")
        )
        return redirect("materials:submission", pk=pk)
    if not can_review(request.user, submission):
        raise PermissionDenied
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("materials:submission", pk=pk)
    try:
        services.review(
            actor=request.user,
            submission=submission,
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
            revision=form.cleaned_data["revision"],
            request=request,
        )
    except PermissionError as exc:
        raise PermissionDenied from exc
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Review recorded."))
    return redirect("materials:submission", pk=pk)


@login_required
def photo_file(request: HttpRequest, pk: int, variant: str) -> FileResponse:
    """A photo's display copy or original (evidence: EXIF kept), for those who see the submission."""
    photo = get_scoped_or_404(Photo.objects.all(), request.user, pk=pk)
    field = {"display": photo.display, "original": photo.original}.get(variant)
    if field is None:
        raise Http404
    content_type = "image/jpeg" if variant == "display" else photo.content_type
    response = storage.serve(
        field,
        content_type=content_type,
        as_attachment=variant == "original",
        filename=photo.original_name if variant == "original" else None,
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    from chuangwen.materials.models import Document

    document = get_scoped_or_404(Document.objects.all(), request.user, pk=pk)
    return storage.serve(
        document.file, content_type=document.content_type, as_attachment=True, filename=document.original_name
    )
