"""State changes of praise/criticism lists and of the exposure board. Each locks its row, checks
the state, writes an audit entry and notifies after commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.accounts.models import Membership, Role
from chuangwen.audit.services import log_action
from chuangwen.campaigns.models import Campaign
from chuangwen.core import storage
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.exposure.blur import Region, blurred_copy
from chuangwen.exposure.models import Exposure, ExposureStatus, Roll, RollEntry, RollKind, RollStatus
from chuangwen.notifications.services import notify
from chuangwen.org.models import Unit
from chuangwen.problems.models import RUNNING_STATUSES, Problem, Status
from chuangwen.problems.models.media import PhotoKind, UnitCard
from chuangwen.problems.rates import rates

# A unit is proposed for criticism below this rectification rate, or with overdue problems or
# a card in the month; for praise with every due problem closed, none overdue and no card.
CRITICISM_BELOW = 80.0


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    start = month.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return start, end


def proposals(campaign: Campaign, month: dt.date, actor: Any) -> dict[str, list[tuple[Unit, str, str]]]:
    """(unit, figures, reason) per kind, from the month's rectification figures and cards."""
    start, end = month_bounds(month)
    rows, _total = rates(actor, by="unit", start=start, end=end)
    cards: dict[int, list[str]] = {}
    tz = timezone.get_current_timezone()
    for card in UnitCard.objects.filter(
        campaign=campaign,
        issued_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        issued_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    ):
        cards.setdefault(card.unit_id, []).append(card.get_color_display())
    units = {u.pk: u for u in Unit.objects.filter(pk__in={r.key for r in rows if r.key} | set(cards))}
    by_unit = {r.key: r for r in rows if r.key in units}
    praise: list[tuple[Unit, str, str]] = []
    criticism: list[tuple[Unit, str, str]] = []
    for pk, unit in units.items():
        row = by_unit.get(pk)
        rate = row.rectification_rate if row else None
        overdue = row.overdue if row else 0
        figures = _("Rectification rate %(rate)s, overdue %(overdue)d, cards %(cards)d") % {
            "rate": "—" if rate is None else f"{rate}%",
            "overdue": overdue,
            "cards": len(cards.get(pk, [])),
        }
        reasons = []
        if rate is not None and rate < CRITICISM_BELOW:
            reasons.append(
                _("rectification rate %(rate)s%% is below %(limit)s%%")
                % {"rate": rate, "limit": CRITICISM_BELOW}
            )
        if overdue:
            reasons.append(_("%(n)d problems overdue") % {"n": overdue})
        if cards.get(pk):
            reasons.append(_("cards received: %(cards)s") % {"cards": "、".join(cards[pk])})
        if reasons:
            criticism.append((unit, figures, "；".join(reasons)))
        elif row and row.denominator and rate == 100.0:
            praise.append((unit, figures, _("every problem due was rectified, none overdue")))
    key = lambda item: item[0].name  # noqa: E731
    return {RollKind.PRAISE: sorted(praise, key=key), RollKind.CRITICISM: sorted(criticism, key=key)}


def propose(campaign: Campaign, month: dt.date, actor: Any, request: HttpRequest | None = None) -> list[Roll]:
    """Create (or refresh, while still a draft) the month's two lists from the figures. Units
    added by hand and reasons edited by hand are kept; proposed units no longer warranted go."""
    month = month.replace(day=1)
    found = proposals(campaign, month, actor)
    made = []
    with transaction.atomic():
        for kind in (RollKind.PRAISE, RollKind.CRITICISM):
            roll, _created = Roll.objects.get_or_create(campaign=campaign, month=month, kind=kind)
            roll = Roll.objects.select_for_update().get(pk=roll.pk)
            if roll.status != RollStatus.DRAFT:
                raise ConflictError(_("The list is already approved; it can no longer be proposed again."))
            wanted = {unit.pk: (figures, reason) for unit, figures, reason in found[kind]}
            roll.entries.filter(proposed=True).exclude(unit_id__in=wanted).delete()
            existing = {e.unit_id: e for e in roll.entries.all()}
            for unit_pk, (figures, reason) in wanted.items():
                entry = existing.get(unit_pk)
                if entry is None:
                    RollEntry.objects.create(
                        roll=roll, unit_id=unit_pk, figures=figures, reason=reason, proposed=True
                    )
                else:
                    entry.figures = figures
                    entry.save(update_fields=["figures"])
            log_action(actor, "exposure.roll.propose", roll, {"units": sorted(wanted)}, request=request)
            made.append(roll)
    return made


def _draft(roll: Roll | int) -> Roll:
    roll = Roll.objects.select_for_update().get(pk=roll.pk if isinstance(roll, Roll) else roll)
    if roll.status != RollStatus.DRAFT:
        raise ConflictError(_("Only a draft list can be edited."))
    return roll


def add_entry(
    roll: Roll | int, unit: Unit, reason: str, actor: Any, request: HttpRequest | None = None
) -> RollEntry:
    reason = (reason or "").strip()[:300]
    if not reason:
        raise DomainError(_("Give the reason."))
    with transaction.atomic():
        roll = _draft(roll)
        entry, created = RollEntry.objects.get_or_create(roll=roll, unit=unit, defaults={"reason": reason})
        if not created:
            entry.reason = reason
            entry.save(update_fields=["reason"])
        log_action(actor, "exposure.roll.add", roll, {"unit": unit.pk, "reason": reason}, request=request)
    return entry


def remove_entry(roll: Roll | int, entry_id: int, actor: Any, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        roll = _draft(roll)
        entry = roll.entries.filter(pk=entry_id).first()
        if entry is None:
            raise DomainError(_("This unit is not on the list."))
        entry.delete()
        log_action(actor, "exposure.roll.remove", roll, {"unit": entry.unit_id}, request=request)


def approve(roll: Roll | int, actor: Any, request: HttpRequest | None = None) -> Roll:
    with transaction.atomic():
        roll = _draft(roll)
        if not roll.entries.exists():
            raise DomainError(_("An empty list cannot be approved."))
        roll.status = RollStatus.APPROVED
        roll.approved_by = actor
        roll.approved_at = timezone.now()
        roll.save(update_fields=["status", "approved_by", "approved_at"])
        log_action(actor, "exposure.roll.approve", roll, {}, request=request)
    return roll


def publish(roll: Roll | int, actor: Any, public: bool = False, request: HttpRequest | None = None) -> Roll:
    """Publish an approved list to the units (and to the public page when `public`); the units
    named are notified."""
    with transaction.atomic():
        roll = Roll.objects.select_for_update().get(pk=roll.pk if isinstance(roll, Roll) else roll)
        if roll.status != RollStatus.APPROVED:
            raise ConflictError(_("Only an approved list can be published."))
        roll.status = RollStatus.PUBLISHED
        roll.public = bool(public)
        roll.published_at = timezone.now()
        roll.save(update_fields=["status", "public", "published_at"])
        log_action(actor, "exposure.roll.publish", roll, {"public": roll.public}, request=request)
        users = [
            m.user
            for m in Membership.objects.filter(
                unit_id__in=roll.entries.values("unit_id"), role__in=(Role.LIAISON, Role.UNIT_ADMIN)
            ).select_related("user")
        ]
        title = _("%(kind)s of %(month)s names your unit") % {
            "kind": roll.get_kind_display(),
            "month": f"{roll.month:%Y-%m}",
        }
        url = f"/exposure/rolls/{roll.pk}/"
        transaction.on_commit(lambda: notify(users, title, "", url))
    return roll


def set_public(roll: Roll | int, public: bool, actor: Any, request: HttpRequest | None = None) -> Roll:
    with transaction.atomic():
        roll = Roll.objects.select_for_update().get(pk=roll.pk if isinstance(roll, Roll) else roll)
        if roll.status != RollStatus.PUBLISHED:
            raise ConflictError(_("Only a published list can be shown on the public page."))
        roll.public = bool(public)
        roll.save(update_fields=["public"])
        log_action(actor, "exposure.roll.public", roll, {"public": roll.public}, request=request)
    return roll


# The exposure board.


def _photo_bytes(problem: Problem, kind: str) -> bytes | None:
    photo = (
        problem.photos.filter(kind=kind).order_by("round", "id").last()
        if kind == PhotoKind.AFTER
        else (problem.photos.filter(kind=kind).order_by("id").first())
    )
    if photo is None:
        return None
    return storage.read(photo.display or photo.original)


def expose(
    problem: Problem | int,
    title: str,
    regions: list[Region],
    actor: Any,
    request: HttpRequest | None = None,
) -> Exposure:
    """Put an unrectified problem on the public board with a blurred copy of its photo."""
    title = (title or "").strip()[:200]
    if not title:
        raise DomainError(_("Give the public description."))
    pk = problem.pk if isinstance(problem, Problem) else problem
    with storage.FileBatch() as batch, transaction.atomic():
        problem = Problem.objects.select_for_update().get(pk=pk)
        if problem.status not in RUNNING_STATUSES or problem.unit_id is None:
            raise DomainError(_("Only a problem being rectified by a unit can be exposed."))
        if Exposure.objects.filter(problem=problem).exists():
            raise ConflictError(_("This problem is already on the board."))
        data = _photo_bytes(problem, PhotoKind.BEFORE)
        if data is None:
            raise DomainError(_("The problem has no photo to publish."))
        copy, faces = blurred_copy(data, regions)
        exposure = Exposure.objects.create(
            problem=problem,
            unit_id=problem.unit_id,
            title=title,
            before=batch.write("exposure/public", "jpg", copy),
            regions=[list(r) for r in regions],
            faces=faces,
            published_by=actor,
        )
        log_action(
            actor,
            "exposure.board.publish",
            exposure,
            {"problem": problem.pk, "faces": faces},
            request=request,
        )
    return exposure


def add_after_photo(exposure: Exposure | int, actor: Any = None) -> Exposure:
    """Once the problem is closed, publish a blurred copy of its after photo (faces only)."""
    pk = exposure.pk if isinstance(exposure, Exposure) else exposure
    with storage.FileBatch() as batch, transaction.atomic():
        exposure = Exposure.objects.select_for_update(of=("self",)).select_related("problem").get(pk=pk)
        if exposure.problem.status != Status.CLOSED or exposure.after:
            return exposure
        data = _photo_bytes(exposure.problem, PhotoKind.AFTER)
        if data is None:
            return exposure
        copy, faces = blurred_copy(data, [])
        exposure.after = batch.write("exposure/public", "jpg", copy)
        exposure.save(update_fields=["after"])
        log_action(actor, "exposure.board.after", exposure, {"faces": faces})
    return exposure


def withdraw(exposure: Exposure | int, actor: Any, request: HttpRequest | None = None) -> Exposure:
    with transaction.atomic():
        exposure = Exposure.objects.select_for_update().get(
            pk=exposure.pk if isinstance(exposure, Exposure) else exposure
        )
        if exposure.status == ExposureStatus.WITHDRAWN:
            raise ConflictError(_("Already withdrawn."))
        exposure.status = ExposureStatus.WITHDRAWN
        exposure.save(update_fields=["status"])
        log_action(actor, "exposure.board.withdraw", exposure, {}, request=request)
    return exposure
