"""The transitions after intake: dispatch, accept, return, start, submit, verify, extension,
duplicate and not applicable. Each follows the pattern described in services/__init__.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.audit.services import log_action
from chuangwen.core.errors import DomainError
from chuangwen.org.models import Unit
from chuangwen.problems import conf, notify, tally
from chuangwen.problems.calendar import compute_deadline, working_hours_between
from chuangwen.problems.models import (
    OPEN_STATUSES,
    QUEUE_STATUSES,
    EventKind,
    PhotoKind,
    Problem,
    ProblemEvent,
    ProblemPhoto,
    RoutedBy,
    Status,
)
from chuangwen.problems.photos import CheckedPhoto
from chuangwen.problems.services.base import (
    REASSIGNABLE,
    _expect,
    _lock,
    _record,
    _require,
    _user,
    actor_name,
    attach_photos,
    photos_first,
)


@transaction.atomic
def dispatch(
    problem: Problem | int,
    actor: Any,
    *,
    unit: Unit,
    version: int | None = None,
    force: bool = False,
    deadline: dt.datetime | None = None,
    verify_unit: Unit | None = None,
    note: str = "",
    request: HttpRequest | None = None,
) -> Problem:
    """Assign (from the queue) or reassign (from a unit) to `unit`; the deadline restarts now
    unless the office sets one. A forced assignment cannot be returned by the unit."""
    problem = _lock(problem, version)
    _expect(problem, (*QUEUE_STATUSES, *REASSIGNABLE), _("dispatched"))
    if not unit.is_active:
        raise DomainError(_("%(unit)s is no longer active.") % {"unit": unit})
    if problem.unit_id == unit.pk and problem.forced == force and problem.status == Status.DISPATCHED:
        raise DomainError(
            _("Problem #%(id)d is already assigned to %(unit)s.") % {"id": problem.pk, "unit": unit}
        )
    now = timezone.now()
    before, previous_unit = problem.status, problem.unit_id
    kind = EventKind.DISPATCHED if before in QUEUE_STATUSES else EventKind.REASSIGNED
    if problem.suggested_unit_id != unit.pk or before not in QUEUE_STATUSES:
        problem.routed_by = RoutedBy.MANUAL
    problem.unit = unit
    problem.forced = force
    problem.status = Status.DISPATCHED
    problem.dispatched_at = now
    problem.accepted_at = None
    problem.deadline = deadline or compute_deadline(problem.category, problem.urgency, now)
    problem.extension_until = None
    problem.status_before = ""
    fields = [
        "unit",
        "forced",
        "status",
        "dispatched_at",
        "accepted_at",
        "deadline",
        "routed_by",
        "extension_until",
        "status_before",
    ]
    if verify_unit is not None:
        problem.verify_unit = verify_unit
        fields.append("verify_unit")
    data = {
        "unit": unit.pk,
        "previous_unit": previous_unit,
        "forced": force,
        "deadline": problem.deadline.isoformat(),
    }
    return _record(problem, actor, kind, fields, before, note, data, public=True, request=request)


@transaction.atomic
def accept(
    problem: Problem | int, actor: Any, *, version: int | None = None, request: HttpRequest | None = None
) -> Problem:
    problem = _lock(problem, version)
    _expect(problem, (Status.DISPATCHED,), _("accepted"))
    problem.status = Status.ACCEPTED
    problem.accepted_at = timezone.now()
    return _record(
        problem,
        actor,
        EventKind.ACCEPTED,
        ["status", "accepted_at"],
        Status.DISPATCHED,
        public=True,
        request=request,
    )


@transaction.atomic
def return_to_office(
    problem: Problem | int,
    actor: Any,
    *,
    reason: str,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Problem:
    """The unit says it is not theirs: back to the dispatch queue, with a reason, within the
    return window (working hours since dispatch). Forced assignments cannot be returned."""
    problem = _lock(problem, version)
    _expect(problem, (Status.DISPATCHED, Status.ACCEPTED), _("returned"))
    reason = _require(reason, _("Say why the problem is not your unit's."))
    if problem.forced:
        raise DomainError(
            _("The office assigned this problem to your unit by decision; it cannot be returned.")
        )
    window = conf.get("PROBLEM_RETURN_WINDOW_HOURS")
    if problem.dispatched_at and working_hours_between(problem.dispatched_at, timezone.now()) > window:
        raise DomainError(
            _("Problems can be returned within %(hours)d working hours of dispatch; that time has passed.")
            % {"hours": window}
        )
    before = problem.status
    problem.returned_from_id = problem.unit_id
    problem.unit = None
    problem.status = Status.RETURNED
    problem.accepted_at = None
    problem.deadline = None
    data = {"unit": problem.returned_from_id}
    return _record(
        problem,
        actor,
        EventKind.RETURNED,
        ["returned_from", "unit", "status", "accepted_at", "deadline"],
        before,
        reason,
        data,
        request=request,
    )


@transaction.atomic
def start(
    problem: Problem | int, actor: Any, *, version: int | None = None, request: HttpRequest | None = None
) -> Problem:
    problem = _lock(problem, version)
    _expect(problem, (Status.ACCEPTED,), _("started"))
    problem.status = Status.RECTIFYING
    return _record(
        problem, actor, EventKind.STARTED, ["status"], Status.ACCEPTED, public=True, request=request
    )


@photos_first
def submit(
    problem: Problem | int,
    actor: Any,
    *,
    measures: str,
    photos: Iterable[CheckedPhoto] = (),
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Problem:
    """Report the rectification done: measures taken and at least one after-photo of this round."""
    problem = _lock(problem, version)
    _expect(problem, (Status.ACCEPTED, Status.RECTIFYING), _("submitted"))
    measures = _require(measures, _("Describe the measures taken."))
    added = attach_photos(problem, photos, PhotoKind.AFTER, actor)
    if not problem.photos.filter(kind=PhotoKind.AFTER, round=problem.rework_count).exists():
        raise DomainError(_("Add at least one photo taken after the rectification."))
    before = problem.status
    problem.status = Status.SUBMITTED
    problem.measures = measures
    problem.submitted_at = timezone.now()
    data = {"photos": [p.pk for p in added], "round": problem.rework_count}
    return _record(
        problem,
        actor,
        EventKind.SUBMITTED,
        ["status", "measures", "submitted_at"],
        before,
        measures,
        data,
        public=True,
        request=request,
    )


@photos_first
def verify(
    problem: Problem | int,
    actor: Any,
    *,
    passed: bool,
    note: str = "",
    photos: Iterable[CheckedPhoto] = (),
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Problem:
    """The inspector's on-site check: pass closes the problem (销号); fail sends it back to the
    unit with the rework count raised, and enough failures put it under escalated supervision."""
    problem = _lock(problem, version)
    _expect(problem, (Status.SUBMITTED,), _("verified"))
    attach_photos(problem, photos, PhotoKind.VERIFY, actor)
    now = timezone.now()
    if passed:
        problem.status = Status.CLOSED
        problem.closed_at = now
        problem.on_time = problem.deadline is None or (problem.submitted_at or now) <= problem.deadline
        problem.status_note = (note or "")[:300]
        tally.add_closed(problem)
        return _record(
            problem,
            actor,
            EventKind.VERIFIED,
            ["status", "closed_at", "on_time", "status_note"],
            Status.SUBMITTED,
            note,
            {"on_time": problem.on_time},
            public=True,
            request=request,
        )
    note = _require(note, _("Say what is still wrong, so the unit can fix it."))
    problem.status = Status.RECTIFYING
    problem.rework_count += 1
    fields = ["status", "rework_count"]
    escalate = problem.rework_count >= conf.get("PROBLEM_REWORK_ESCALATE") and not problem.supervised
    if escalate:
        problem.supervised = True
        fields.append("supervised")
    _record(
        problem,
        actor,
        EventKind.REJECTED,
        fields,
        Status.SUBMITTED,
        note,
        {"rework_count": problem.rework_count},
        public=True,
        request=request,
    )
    if escalate:
        ProblemEvent.objects.create(
            problem=problem,
            actor=_user(actor),
            actor_name=actor_name(actor),
            kind=EventKind.SUPERVISED,
            from_status=problem.status,
            to_status=problem.status,
            data={"rework_count": problem.rework_count},
        )
        log_action(
            actor,
            "problems.problem.supervised",
            problem,
            {"rework_count": problem.rework_count},
            request=request,
            object_repr=f"#{problem.pk}",
        )
        notify.on_event(problem, EventKind.SUPERVISED)
    return problem


@transaction.atomic
def request_extension(
    problem: Problem | int,
    actor: Any,
    *,
    until: dt.datetime,
    reason: str,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Problem:
    problem = _lock(problem, version)
    _expect(problem, (Status.DISPATCHED, Status.ACCEPTED, Status.RECTIFYING), _("extended"))
    reason = _require(reason, _("Say why more time is needed."))
    floor = max(problem.deadline or timezone.now(), timezone.now())
    if until <= floor:
        raise DomainError(_("The new deadline must be later than the current one."))
    before = problem.status
    problem.status_before = before
    problem.status = Status.EXTENSION_REQUESTED
    problem.extension_until = until
    return _record(
        problem,
        actor,
        EventKind.EXTENSION_REQUESTED,
        ["status", "status_before", "extension_until"],
        before,
        reason,
        {"until": until.isoformat()},
        request=request,
    )


@transaction.atomic
def decide_extension(
    problem: Problem | int,
    actor: Any,
    *,
    approve: bool,
    note: str = "",
    until: dt.datetime | None = None,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Problem:
    """The office approves (the deadline moves) or refuses; the problem resumes where it was."""
    problem = _lock(problem, version)
    _expect(problem, (Status.EXTENSION_REQUESTED,), _("decided"))
    problem.status = problem.status_before or Status.ACCEPTED
    fields = ["status", "status_before", "extension_until"]
    data: dict[str, Any] = {}
    if approve:
        problem.deadline = until or problem.extension_until
        fields.append("deadline")
        data["deadline"] = problem.deadline.isoformat()
    problem.status_before = ""
    problem.extension_until = None
    kind = EventKind.EXTENSION_APPROVED if approve else EventKind.EXTENSION_REFUSED
    if not approve:
        _require(note, _("Say why the extension is refused."))
    return _record(
        problem, actor, kind, fields, Status.EXTENSION_REQUESTED, note, data, public=approve, request=request
    )


@transaction.atomic
def mark_duplicate(
    problem: Problem | int,
    actor: Any,
    *,
    original: Problem,
    note: str = "",
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Problem:
    """Close the problem as a duplicate of `original` (or of what `original` duplicates)."""
    problem = _lock(problem, version)
    _expect(problem, OPEN_STATUSES, _("merged"))
    root, hops = Problem.objects.get(pk=original.pk), 0  # the caller's copy may be stale
    while root.duplicate_of_id and hops < 50:  # a duplicate is final, so chains are short
        root, hops = root.duplicate_of, hops + 1
    if root.pk == problem.pk:
        raise DomainError(_("A problem cannot be a duplicate of itself."))
    before = problem.status
    problem.status = Status.DUPLICATE
    problem.duplicate_of = root
    problem.closed_at = timezone.now()
    problem.status_note = (note or _("Same as problem #%(id)d.") % {"id": root.pk})[:300]
    _record(
        problem,
        actor,
        EventKind.DUPLICATE,
        ["status", "duplicate_of", "closed_at", "status_note"],
        before,
        note,
        {"original": root.pk},
        public=True,
        request=request,
    )
    ProblemEvent.objects.create(
        problem=root,
        actor=_user(actor),
        actor_name=actor_name(actor),
        kind=EventKind.MERGED,
        from_status=root.status,
        to_status=root.status,
        data={"duplicate": problem.pk},
        note=note,
    )
    return problem


@transaction.atomic
def mark_not_applicable(
    problem: Problem | int,
    actor: Any,
    *,
    reason: str,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Problem:
    """The office closes a report that is not a campaign problem (not ours, not real)."""
    problem = _lock(problem, version)
    _expect(problem, OPEN_STATUSES, _("closed as not applicable"))
    reason = _require(reason, _("Say why the problem is not applicable."))
    before = problem.status
    problem.status = Status.NOT_APPLICABLE
    problem.closed_at = timezone.now()
    problem.status_note = reason[:300]
    return _record(
        problem,
        actor,
        EventKind.NOT_APPLICABLE,
        ["status", "closed_at", "status_note"],
        before,
        reason,
        public=True,
        request=request,
    )


@photos_first
def add_photos(
    problem: Problem | int,
    actor: Any,
    *,
    photos: Iterable[CheckedPhoto],
    kind: str,
    idempotency_key: str | None = None,
) -> list[ProblemPhoto]:
    """Photos added outside a transition (e.g. uploaded one by one from a phone before submitting).

    Before-photos while the problem is open, after-photos while the unit works on it,
    verification photos while it awaits verification. No version bump: photos do not change
    the problem's state, so they never conflict with a transition. With `idempotency_key`, a
    retry of an upload already stored (a phone resending after a lost answer) stores nothing
    and returns the photos of the first; the key is kept on the upload's event."""
    problem = _lock(problem, None)
    if idempotency_key:
        earlier = ProblemEvent.objects.filter(
            problem=problem, kind=EventKind.PHOTO, data__idempotency_key=idempotency_key
        ).first()
        if earlier is not None:
            return list(ProblemPhoto.objects.filter(pk__in=earlier.data.get("photos", [])).order_by("pk"))
    allowed = {
        PhotoKind.BEFORE: OPEN_STATUSES,
        PhotoKind.AFTER: (Status.ACCEPTED, Status.RECTIFYING),
        PhotoKind.VERIFY: (Status.SUBMITTED,),
    }
    _expect(problem, allowed[kind], _("given photos of this kind"))
    saved = attach_photos(problem, photos, kind, actor)
    ProblemEvent.objects.create(
        problem=problem,
        actor=_user(actor),
        actor_name=actor_name(actor),
        kind=EventKind.PHOTO,
        from_status=problem.status,
        to_status=problem.status,
        data={
            "photos": [p.pk for p in saved],
            "kind": kind,
            **({"idempotency_key": idempotency_key} if idempotency_key else {}),
        },
    )
    return saved
