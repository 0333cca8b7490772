"""Filing a problem: routing, auto-dispatch for staff channels, idempotent retries."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.accounts.models import Role
from chuangwen.audit.services import log_action
from chuangwen.core.errors import DomainError
from chuangwen.core.storage import FileBatch
from chuangwen.core.text import xml_safe
from chuangwen.org.models import Unit
from chuangwen.problems import notify, routing
from chuangwen.problems.calendar import compute_deadline
from chuangwen.problems.models import (
    Channel,
    EventKind,
    PhotoKind,
    Problem,
    ProblemCategory,
    ProblemEvent,
    ProblemPhoto,
    RoutedBy,
    Source,
    Status,
    Urgency,
)
from chuangwen.problems.photos import CheckedPhoto
from chuangwen.problems.services.base import (
    TRIAGED_CHANNELS,
    _require,
    _user,
    actor_name,
    attach_photos,
    prepare_photos,
)


def _memberships(actor: Any) -> list[tuple[int, str]]:
    """(unit id, role) of the reporter's memberships, the deepest unit first."""
    if not getattr(actor, "is_authenticated", False):
        return []
    if hasattr(actor, "membership_units"):  # the rows the role check of this request already read
        rows = sorted(actor.membership_units(), key=lambda row: (-row[3], row[0]))
        return [(unit_id, role) for unit_id, role, _path, _depth in rows]
    return list(actor.memberships.order_by("-unit__depth", "unit_id").values_list("unit_id", "role"))


def report(
    actor: Any,
    *,
    category: ProblemCategory,
    description: str,
    source: str,
    channel: str = Channel.STAFF,
    lat: float | None = None,
    lng: float | None = None,
    address: str = "",
    point_ref: str = "",
    urgency: str = Urgency.NORMAL,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    reporter_device: str = "",
    media_url: str = "",
    external_ref: str = "",
    idempotency_key: str | None = None,
    photos: Iterable[CheckedPhoto] = (),
    unit: Unit | None = None,
    deadline: dt.datetime | None = None,
    client: Any = None,
    reported_at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Problem:
    """File a new problem, route it and (for staff channels) dispatch it to the routed unit.

    With an `idempotency_key`, a retry of the same submission (a phone resending after a lost
    response) returns the problem stored the first time instead of filing it twice; the
    returned object then has `replayed = True`.
    """
    # Control characters (a NUL, a vertical tab pasted from another system) would make every XML
    # answer that lists this problem unreadable: they never reach the database.
    description = _require(xml_safe(description or ""), _("Describe the problem."))
    if category.is_major:
        raise DomainError(_("Choose a specific category, not a major one."))
    if deadline and reported_at and deadline < reported_at:
        raise DomainError(_("The deadline is earlier than the time the problem was reported."))
    key = (idempotency_key or "").strip()[:80] or None
    problem = Problem(
        source=source,
        channel=channel,
        category=category,
        urgency=urgency,
        description=description,
        address=xml_safe(address or "")[:200],
        lat=lat,
        lng=lng,
        point_ref=(point_ref or "")[:64],
        reporter=_user(actor),
        reporter_name=xml_safe(reporter_name or (str(actor) if _user(actor) else ""))[:60],
        reporter_phone=(reporter_phone or "")[:20],
        reporter_email=xml_safe(reporter_email or "")[:254],
        reporter_device=xml_safe(reporter_device or "")[:100],
        media_url=(media_url or "")[:500],
        external_ref=(external_ref or "")[:64],
        idempotency_key=key,
        client=client,
        reported_at=reported_at or timezone.now(),
    )
    if channel in TRIAGED_CHANNELS or source == Source.CITIZEN:
        problem.public_token = secrets.token_urlsafe(24)
    # The id only: compiling the select list of every column costs more than the lookup itself,
    # and a retry is the rare case.
    replay_id = (
        Problem.objects.filter(idempotency_key=key).values_list("pk", flat=True).first() if key else None
    )
    if replay_id is None and problem.external_ref:
        # A work order already filed under its number (a hotline system sending it again, an
        # import after an API call) is the same problem: answered like a retry.
        replay_id = _filed_under(problem.source, problem.external_ref)
    if replay_id is not None:  # the usual retry: answered before any work
        replay = Problem.objects.get(pk=replay_id)
        replay.replayed = True
        return replay
    # Everything that only reads (routing, memberships, the deadline) and the photo files are
    # done before the transaction: on SQLite it holds the database's one write lock.
    target = _route(problem, actor, unit, deadline)
    # A failure anywhere below deletes the files this report wrote (FileBatch), never others.
    with FileBatch() as batch:
        prepared = prepare_photos(photos, PhotoKind.BEFORE, actor, batch)
        try:
            with transaction.atomic():
                _file(problem, actor, prepared, target, request)
        except IntegrityError:
            # Two retries raced past the checks above: the unique key (or work-order number)
            # let the first one win, with its own photos.
            existing_id = (
                Problem.objects.filter(idempotency_key=key).values_list("pk", flat=True).first()
                if key
                else None
            )
            if existing_id is None and problem.external_ref:
                existing_id = _filed_under(problem.source, problem.external_ref)
            if existing_id is None:
                raise
            batch.discard()
            existing = Problem.objects.get(pk=existing_id)
            existing.replayed = True
            return existing
    problem.replayed = False
    return problem


def _filed_under(source: str, external_ref: str) -> int | None:
    return (
        Problem.objects.filter(source=source, external_ref=external_ref).values_list("pk", flat=True).first()
    )


def _route(problem: Problem, actor: Any, unit: Unit | None, deadline: dt.datetime | None) -> int | None:
    """Fill in reporter units, routing and (when it goes to a unit at once) the deadline;
    returns the unit it is dispatched to, if any."""
    now = timezone.now()
    memberships = _memberships(actor)
    problem.reporter_unit_id = memberships[0][0] if memberships else None
    problem.verify_unit_id = next((unit_id for unit_id, role in memberships if role == Role.INSPECTOR), None)
    routed = routing.route(
        problem.category,
        problem.lat,
        problem.lng,
        f"{problem.address} {problem.description}",
        problem.point_ref,
    )
    problem.grid_id, problem.road_id = routed.grid_id, routed.road_id
    problem.suggested_unit_id = unit.pk if unit else routed.unit_id
    problem.routed_by = RoutedBy.MANUAL if unit else routed.rule
    target = unit.pk if unit else (routed.unit_id if problem.channel not in TRIAGED_CHANNELS else None)
    if target:
        problem.unit_id = target
        problem.status = Status.DISPATCHED
        problem.dispatched_at = now
        problem.deadline = deadline or compute_deadline(problem.category, problem.urgency, now)
    return target


def _file(
    problem: Problem,
    actor: Any,
    photos: list[ProblemPhoto],
    target: int | None,
    request: HttpRequest | None,
) -> None:
    """Save, attach the before-photos, write the timeline and the audit entry, and notify."""
    now = problem.dispatched_at or timezone.now()
    problem.save()
    attach_photos(problem, photos, PhotoKind.BEFORE, actor)
    common = {
        "problem": problem,
        "actor": _user(actor),
        "actor_name": actor_name(actor),
        "is_public": True,
        "at": now,
    }
    events = [
        ProblemEvent(
            kind=EventKind.REPORTED,
            to_status=Status.REPORTED,
            data={"routed_by": problem.routed_by},
            **common,
        )
    ]
    if target:
        data = {"unit": target, "deadline": problem.deadline.isoformat(), "auto": True}
        events.append(
            ProblemEvent(
                kind=EventKind.DISPATCHED,
                from_status=Status.REPORTED,
                to_status=Status.DISPATCHED,
                data=data,
                **common,
            )
        )
    ProblemEvent.objects.bulk_create(events)
    changes = {
        "source": problem.source,
        "channel": problem.channel,
        "category": problem.category.code,
        "status": problem.status,
        "unit": problem.unit_id,
        "routed_by": problem.routed_by,
    }
    log_action(
        actor, "problems.problem.report", problem, changes, request=request, object_repr=f"#{problem.pk}"
    )
    notify.on_event(problem, EventKind.DISPATCHED if target else EventKind.REPORTED)
