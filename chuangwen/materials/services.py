"""State changes of materials: requirements, the review policy, submissions and reviews.

Each writes in one transaction with an audit entry and notifies after commit. A submission's
files are checked before the transaction and written inside it (see uploads.py); a retried
upload with the same idempotency key returns the submission the first attempt created.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.forms import ModelForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.audit.services import diff, log_action
from chuangwen.core.actors import user_or_none
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.core.geo import PositionError, parse_position, to_wgs84
from chuangwen.materials import review as review_rules
from chuangwen.materials.coverage import refresh_cell
from chuangwen.materials.models import (
    Decision,
    Document,
    MaterialKind,
    MaterialRequirement,
    Photo,
    ReviewAction,
    ReviewPolicy,
    Submission,
    SubmissionStatus,
)
from chuangwen.materials.periods import period_by_key, period_for_date
from chuangwen.materials.permissions import can_submit_for
from chuangwen.materials.uploads import CheckedUploads, StoredFiles, check_uploads
from chuangwen.org.models import Unit
from chuangwen.tasks.models import TaskAssignment

_KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
DATED_KINDS = (MaterialKind.PHOTOS, MaterialKind.VIDEO)


def _snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    return {f: getattr(obj, f"{f}_id", None) if hasattr(obj, f"{f}_id") else getattr(obj, f) for f in fields}


@transaction.atomic
def save_requirement(form: ModelForm, actor: Any, request: HttpRequest | None = None) -> MaterialRequirement:
    """Create or update a requirement (the form has already validated it)."""
    fields = list(form.Meta.fields)
    before: dict[str, Any] = {}
    if form.instance.pk:
        before = _snapshot(MaterialRequirement.objects.select_for_update().get(pk=form.instance.pk), fields)
    requirement = form.save()
    log_action(
        actor,
        "materials.requirement.update" if before else "materials.requirement.create",
        requirement,
        diff(before, _snapshot(requirement, fields)),
        request=request,
    )
    return requirement


@transaction.atomic
def save_policy(form: ModelForm, actor: Any, request: HttpRequest | None = None) -> ReviewPolicy:
    fields = ["first_roles", "second_roles", "final_roles", "separate_reviewers"]
    before = {}
    if form.instance.pk:
        before = _snapshot(ReviewPolicy.objects.select_for_update().get(pk=form.instance.pk), fields)
    policy = form.save(commit=False)
    policy.updated_by = user_or_none(actor)
    policy.save()
    log_action(
        actor, "materials.policy.save", policy, diff(before, _snapshot(policy, fields)), request=request
    )
    return policy


@dataclass
class ActivityData:
    """What the liaison typed about the activity or document."""

    title: str
    period: str = ""
    activity_date: dt.date | None = None
    place: str = ""
    latitude: Any = None
    longitude: Any = None
    datum: str = "wgs84"
    organiser: str = ""
    participants: int | None = None
    description: str = ""


def _position(data: ActivityData) -> tuple[float | None, float | None]:
    if data.latitude in (None, "") and data.longitude in (None, ""):
        return None, None
    try:
        return to_wgs84(*parse_position(data.latitude, data.longitude), data.datum or "wgs84")
    except PositionError as exc:
        raise DomainError(str(exc)) from exc


def _period(requirement: MaterialRequirement, data: ActivityData) -> str:
    today = timezone.localdate()
    if data.activity_date and data.activity_date > today:
        raise DomainError(_("The activity date is in the future."))
    if data.period:
        period = period_by_key(requirement, data.period)
        if period is None:
            raise DomainError(
                _("“%(period)s” is not a period of this requirement.") % {"period": data.period}
            )
    elif data.activity_date:
        period = period_for_date(requirement, data.activity_date)
        if period is None:
            start, end = requirement.window()
            raise DomainError(
                _(
                    "The activity date %(date)s falls in no period of this requirement (window %(start)s – %(end)s)."
                )
                % {"date": data.activity_date, "start": start, "end": end}
            )
    else:
        # A document without a date counts for the period running today (the only one if once).
        period = period_for_date(requirement, today)
        if period is None:
            raise DomainError(_("Choose the period this is filed for."))
    if not period.has_started(today):
        raise DomainError(_("The period %(period)s has not begun.") % {"period": period.label})
    return period.key


def _check_submit(actor: Any, requirement: MaterialRequirement, unit: Unit, data: ActivityData) -> None:
    if not requirement.is_active:
        raise DomainError(_("This requirement is no longer in force."))
    if not can_submit_for(actor, unit):
        raise PermissionError(_("You cannot file materials for this unit."))
    if not TaskAssignment.objects.filter(task_id=requirement.task_id, unit=unit).exists():
        raise DomainError(_("%(unit)s is not assigned to this task.") % {"unit": unit})
    if not data.title.strip():
        raise DomainError(_("Give the activity or document a title."))
    if requirement.kind in DATED_KINDS and data.activity_date is None:
        raise DomainError(_("Give the date of the activity."))


def submit(
    *,
    actor: Any,
    requirement: MaterialRequirement,
    unit: Unit,
    data: ActivityData,
    uploads: list[Any],
    idempotency_key: str = "",
    previous: Submission | None = None,
    keep_photo_ids: tuple[int, ...] = (),
    keep_document_ids: tuple[int, ...] = (),
    request: HttpRequest | None = None,
) -> tuple[Submission, bool]:
    """File an activity or document (or a new version of one sent back).

    Returns (submission, created). A retry with the same key returns the first submission and
    False, whatever the retry carried.
    """
    key = (idempotency_key or "").strip()
    if key and not _KEY.match(key):
        raise DomainError(_("The upload key is malformed; reload the page."))
    if key:
        existing = Submission.objects.filter(submitted_by=actor, idempotency_key=key).first()
        if existing is not None:
            return existing, False
    _check_submit(actor, requirement, unit, data)
    period = _period(requirement, data)
    latitude, longitude = _position(data)
    checked = check_uploads(uploads)  # before any write: a refused file leaves nothing behind
    kept_photos, kept_documents = _kept_files(previous, keep_photo_ids, keep_document_ids)
    if len(checked) + len(kept_photos) + len(kept_documents) == 0:
        raise DomainError(_("Attach at least one photo or document."))
    stored = StoredFiles("materials")
    try:
        stored.write_checked(checked)  # before the transaction: a slow storage holds no lock
        with transaction.atomic():
            version, thread = 1, None
            if previous is not None:
                version, thread = _retire(previous, requirement, unit)
            submission = Submission(
                requirement=requirement,
                unit=unit,
                period=period,
                version=version,
                previous=previous,
                title=data.title.strip()[:200],
                activity_date=data.activity_date,
                place=data.place.strip()[:200],
                latitude=latitude,
                longitude=longitude,
                organiser=data.organiser.strip()[:120],
                participants=data.participants,
                description=data.description.strip(),
                status=review_rules.policy_for_requirement(requirement).next_level(None),
                idempotency_key=key,
                submitted_by=user_or_none(actor),
            )
            if thread is not None:
                submission.thread = thread
            submission.save()
            _store_files(submission, checked, kept_photos, kept_documents, stored)
            refresh_cell(requirement.pk, unit.pk)
            log_action(
                actor,
                "materials.submission.resubmit" if previous else "materials.submission.submit",
                submission,
                {
                    "requirement": requirement.pk,
                    "unit": unit.pk,
                    "period": period,
                    "version": version,
                    "photos": len(checked.photos) + len(kept_photos),
                    "documents": len(checked.documents) + len(kept_documents),
                },
                request=request,
            )
            _notify_level(submission, submission.status)
            transaction.on_commit(lambda: _schedule_checks(submission.pk))
    except IntegrityError:
        stored.discard()
        # Two copies of one retry raced: the other one won; answer with it.
        if key:
            existing = Submission.objects.filter(submitted_by=actor, idempotency_key=key).first()
            if existing is not None:
                return existing, False
        raise ConflictError(_("This material was changed meanwhile; reload and try again.")) from None
    except BaseException:
        stored.discard()
        raise
    return submission, True


def _kept_files(
    previous: Submission | None, photo_ids: tuple[int, ...], document_ids: tuple[int, ...]
) -> tuple[list[Photo], list[Document]]:
    if previous is None:
        return [], []
    photos = list(previous.photos.filter(pk__in=photo_ids)) if photo_ids else []
    documents = list(previous.documents.filter(pk__in=document_ids)) if document_ids else []
    return photos, documents


def _retire(previous: Submission, requirement: MaterialRequirement, unit: Unit) -> tuple[int, Any]:
    """Lock the version being replaced and take it out of the running; (new version, thread)."""
    locked = Submission.objects.select_for_update().get(pk=previous.pk)
    if locked.requirement_id != requirement.pk or locked.unit_id != unit.pk:
        raise DomainError(_("A new version must be for the same requirement and unit."))
    if not locked.is_current or locked.status != SubmissionStatus.SENT_BACK:
        raise ConflictError(_("Only the latest version, once sent back, can be revised."))
    locked.is_current = False
    locked.save(update_fields=["is_current", "updated_at"])
    return locked.version + 1, locked.thread


def _store_files(
    submission: Submission,
    checked: CheckedUploads,
    kept_photos: list[Photo],
    kept_documents: list[Document],
    stored: StoredFiles,
) -> None:
    seq = 0
    for old in kept_photos:
        seq += 1
        Photo.objects.create(
            submission=submission,
            seq=seq,
            original=old.original.name,
            display=old.display.name,
            original_name=old.original_name,
            content_type=old.content_type,
            size=old.size,
            width=old.width,
            height=old.height,
            sha256=old.sha256,
            taken_at=old.taken_at,
            gps_lat=old.gps_lat,
            gps_lng=old.gps_lng,
            phash=old.phash,
            hash_a=old.hash_a,
            hash_b=old.hash_b,
            hash_c=old.hash_c,
            hash_d=old.hash_d,
            faces=old.faces,
            bodies=old.bodies,
            people=old.people,
            analysed_at=old.analysed_at,
            carried_from=old,
        )
    for item in checked.photos:
        seq += 1
        info = item.info
        photo = Photo(
            submission=submission,
            seq=seq,
            original_name=item.name,
            content_type=info.content_type,
            size=info.size,
            width=info.width,
            height=info.height,
            sha256=info.sha256,
            taken_at=timezone.make_aware(info.taken_at) if info.taken_at else None,
        )
        photo.original.name, photo.display.name = stored.names_for(item)
        photo.save()
    seq = 0
    for old in kept_documents:
        seq += 1
        Document.objects.create(
            submission=submission,
            seq=seq,
            kind=old.kind,
            file=old.file.name,
            original_name=old.original_name,
            extension=old.extension,
            content_type=old.content_type,
            size=old.size,
            sha256=old.sha256,
            words=old.words,
            carried_from=old,
        )
    for item in checked.documents:
        seq += 1
        document = Document(
            submission=submission,
            seq=seq,
            kind=item.kind,
            original_name=item.name,
            extension=item.extension,
            content_type=item.content_type,
            size=len(item.data),
            sha256=item.sha256,
        )
        (document.file.name,) = stored.names_for(item)
        document.save()


def _schedule_checks(submission_id: int) -> None:
    from chuangwen.materials.jobs import check_submission

    check_submission(submission_id)


def _notify_level(submission: Submission, level: str) -> None:
    from chuangwen.notifications.services import notify

    url = reverse("materials:submission", kwargs={"pk": submission.pk})
    notify(
        review_rules.reviewers(submission, level),
        _("Material to review: %(title)s") % {"title": submission.title},
        _("%(unit)s filed “%(title)s” (version %(version)d).")
        % {"unit": submission.unit, "title": submission.title, "version": submission.version},
        url=url,
        key=f"materials:{submission.pk}:{level}",
    )


def review(
    *,
    actor: Any,
    submission: Submission,
    decision: str,
    comment: str = "",
    revision: int,
    request: HttpRequest | None = None,
) -> Submission:
    """Approve (on to the next level, or approved after the last) or send back with comments.

    `revision` is the one the reviewer's page showed: if another reviewer acted meanwhile the
    revision moved on and this raises ConflictError instead of acting on a state never seen.
    """
    if decision not in Decision.values:
        raise DomainError(_("Unknown decision."))
    comment = (comment or "").strip()
    if decision == Decision.SEND_BACK and not comment:
        raise DomainError(_("Say what must change before sending it back."))
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update()
            .select_related("requirement__task__campaign", "unit")
            .get(pk=submission.pk)
        )
        if locked.revision != revision:
            raise ConflictError(
                _("Somebody else reviewed this material meanwhile; reload to see what they did.")
            )
        if not locked.is_current or not locked.in_review:
            raise DomainError(_("This material is not awaiting review."))
        policy = review_rules.policy_for(locked)
        if not review_rules.can_review(actor, locked, policy):
            raise PermissionError(_("You cannot review this material at this level."))
        level, before = locked.status, locked.status
        ReviewAction.objects.create(
            submission=locked, level=level, decision=decision, comment=comment, actor=actor
        )
        if decision == Decision.APPROVE:
            locked.status = policy.next_level(level) or SubmissionStatus.APPROVED
        else:
            locked.status = SubmissionStatus.SENT_BACK
        locked.revision += 1
        locked.save(update_fields=["status", "revision", "updated_at"])
        refresh_cell(locked.requirement_id, locked.unit_id)
        log_action(
            actor,
            f"materials.submission.{decision}",
            locked,
            {"status": [before, locked.status], "level": level, "comment": comment},
            request=request,
        )
        _notify_after_review(locked, decision, comment)
    return locked


def _notify_after_review(submission: Submission, decision: str, comment: str) -> None:
    from chuangwen.notifications.services import notify

    url = reverse("materials:submission", kwargs={"pk": submission.pk})
    submitter = [submission.submitted_by] if submission.submitted_by_id else []
    if decision == Decision.SEND_BACK:
        notify(submitter, _("Sent back: %(title)s") % {"title": submission.title}, comment, url=url)
    elif submission.status == SubmissionStatus.APPROVED:
        notify(submitter, _("Approved: %(title)s") % {"title": submission.title}, "", url=url)
    else:
        _notify_level(submission, submission.status)
