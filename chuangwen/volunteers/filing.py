"""File a volunteer activity as evidence for a material requirement in one step: the title,
date, place, organiser and the headcount from sign-ins come from the activity; the organiser
adds the photos; materials.services.submit does the rest (checks, review, idempotency)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.audit.services import log_action
from chuangwen.core.errors import DomainError
from chuangwen.materials import services as materials
from chuangwen.materials.models import MaterialRequirement
from chuangwen.materials.permissions import can_submit_for
from chuangwen.org.models import Unit
from chuangwen.tasks.models import TaskAssignment
from chuangwen.volunteers.models import Activity


def filing_units(activity: Activity, user: Any) -> list[Unit]:
    """The organiser and the units above it the user may file for, nearest first."""
    return [u for u in reversed(list(activity.unit.ancestors())) if can_submit_for(user, u)]


def requirements_for(activity: Activity, user: Any) -> list[tuple[MaterialRequirement, Unit]]:
    """Active requirements assigned to the organiser (or a unit above it the user files for)."""
    units = filing_units(activity, user)
    order = {u.pk: i for i, u in enumerate(units)}
    rows = (
        TaskAssignment.objects.filter(unit__in=units, task__material_requirements__is_active=True)
        .values_list("unit_id", "task__material_requirements")
        .distinct()
    )
    best: dict[int, int] = {}
    for unit_id, req_id in rows:
        if req_id not in best or order[unit_id] < order[best[req_id]]:
            best[req_id] = unit_id
    requirements = MaterialRequirement.objects.in_bulk(list(best))
    by_pk = {u.pk: u for u in units}
    pairs = [(requirements[r], by_pk[u]) for r, u in best.items() if r in requirements]
    return sorted(pairs, key=lambda p: (p[0].task_id, p[0].seq, p[0].pk))


def headcount(activity: Activity) -> int:
    return activity.records.filter(signed_in_at__isnull=False).count()


def file_as_evidence(
    activity: Activity,
    requirement_id: int,
    actor: Any,
    uploads: list[Any],
    idempotency_key: str = "",
    request: HttpRequest | None = None,
) -> Any:
    """Submit the activity to the requirement; returns the submission. The activity keeps a
    link to it, and its page shows the photos and the review status from then on."""
    pairs = {req.pk: (req, unit) for req, unit in requirements_for(activity, actor)}
    if requirement_id not in pairs:
        raise DomainError(_("Choose a material requirement assigned to the organiser."))
    requirement, unit = pairs[requirement_id]
    signed = headcount(activity)
    position = activity.position()
    description = _(
        "Volunteer activity (%(category)s). Signed in with the activity's QR code and GPS: "
        "%(n)d volunteers. %(text)s"
    ) % {"category": activity.get_category_display(), "n": signed, "text": activity.description}
    submission, _created = materials.submit(
        actor=actor,
        requirement=requirement,
        unit=unit,
        data=materials.ActivityData(
            title=activity.title,
            activity_date=timezone.localtime(activity.starts_at).date(),
            place=activity.place,
            latitude=position[0] if position else None,
            longitude=position[1] if position else None,
            datum="wgs84",
            organiser=activity.unit.name,
            participants=signed,
            description=description.strip(),
        ),
        uploads=uploads,
        idempotency_key=idempotency_key,
        request=request,
    )
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.submission_id != submission.pk:
            locked.submission = submission
            locked.save(update_fields=["submission"])
            log_action(
                actor,
                "volunteers.activity.file_evidence",
                locked,
                {"submission": submission.pk},
                request=request,
            )
    return submission
