"""State changes of honours: recording a title or a candidate, the annual re-check, and the
评选 workflow (nominate → review → 公示 → award). Each locks its row, checks the state and the
version, writes an audit entry and notifies after commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.accounts.models import Membership, Role
from chuangwen.audit.services import log_action
from chuangwen.campaigns.models import Campaign
from chuangwen.core.actors import user_or_none
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.honours.models import (
    OUTCOME_STATUS,
    SELECTION_KINDS,
    Honour,
    HonourStatus,
    Kind,
    Level,
    Nomination,
    NominationPhoto,
    NominationStatus,
    Outcome,
    Recheck,
    Selection,
    SelectionStatus,
)
from chuangwen.materials.uploads import StoredFiles, check_uploads
from chuangwen.notifications.services import notify
from chuangwen.org.models import Unit

MAX_PHOTOS = 9


def _user(actor: Any) -> Any:
    return user_or_none(actor)


def record_honour(
    unit: Unit,
    kind: str,
    level: str,
    year: int,
    actor: Any,
    holder_name: str = "",
    awarded_by: str = "",
    status: str = HonourStatus.HELD,
    note: str = "",
    request: HttpRequest | None = None,
) -> Honour:
    """A title held (from the register the office keeps) or a candidate for the next round."""
    if kind not in Kind.values or level not in Level.values:
        raise DomainError(_("Choose the title and its level."))
    if status not in (HonourStatus.HELD, HonourStatus.CANDIDATE):
        raise DomainError(_("A new record is a title held or a candidate."))
    if not 1949 <= int(year) <= timezone.localdate().year + 1:
        raise DomainError(_("The year is out of range."))
    with transaction.atomic():
        honour = Honour.objects.create(
            unit=unit,
            kind=kind,
            level=level,
            year=int(year),
            holder_name=(holder_name or "").strip()[:120],
            awarded_by=(awarded_by or "").strip()[:120],
            status=status,
            note=(note or "").strip()[:300],
        )
        log_action(actor, "honours.honour.record", honour, {"kind": kind, "status": status}, request=request)
    return honour


def recheck(
    honour: Honour, year: int, outcome: str, actor: Any, note: str = "", request: HttpRequest | None = None
) -> Recheck:
    """The annual 复查 of a title held: 保留, 警告 or 撤销 (a revoked title is not re-checked)."""
    if outcome not in Outcome.values:
        raise DomainError(_("Choose the outcome of the re-check."))
    with transaction.atomic():
        row = Honour.objects.select_for_update().get(pk=honour.pk)
        if row.status not in (HonourStatus.HELD, HonourStatus.WARNED):
            raise DomainError(_("Only a title held is re-checked."))
        if int(year) < row.year:
            raise DomainError(_("The re-check cannot be before the year the title was awarded."))
        try:
            with transaction.atomic():
                made = Recheck.objects.create(
                    honour=row, year=int(year), outcome=outcome, note=(note or "")[:300], by=_user(actor)
                )
        except IntegrityError:
            raise ConflictError(
                _("This title was already re-checked for %(year)s.") % {"year": year}
            ) from None
        before = row.status
        row.status = OUTCOME_STATUS[Outcome(outcome)]
        row.version += 1
        row.save(update_fields=["status", "version"])
        log_action(
            actor,
            "honours.honour.recheck",
            row,
            {"status": [before, row.status], "year": int(year)},
            request=request,
        )
    return made


# ---- 评选 ------------------------------------------------------------------------------------


def open_selection(
    campaign: Campaign,
    kind: str,
    year: int,
    title: str,
    nominations_until: dt.date,
    actor: Any,
    objection_contact: str = "",
    request: HttpRequest | None = None,
) -> Selection:
    if kind not in SELECTION_KINDS:
        raise DomainError(
            _("评选 is held for moral models, good people, civilized families and pacesetters.")
        )
    if not (title or "").strip():
        raise DomainError(_("Give the selection a title."))
    with transaction.atomic():
        selection = Selection.objects.create(
            campaign=campaign,
            kind=kind,
            year=int(year),
            title=title.strip()[:120],
            nominations_until=nominations_until,
            objection_contact=(objection_contact or "").strip()[:200],
        )
        log_action(
            actor, "honours.selection.open", selection, {"kind": kind, "year": int(year)}, request=request
        )
    return selection


@dataclass
class NominationInput:
    unit: Unit
    nominee: str
    story: str


def nominate(
    selection: Selection,
    data: NominationInput,
    actor: Any,
    photos: list[Any] = (),
    idempotency_key: str = "",
    request: HttpRequest | None = None,
) -> Nomination:
    """A unit nominates somebody with the story and photos; a retry with the key files once."""
    key = (idempotency_key or "").strip()[:80] or None
    if key:
        earlier = Nomination.objects.filter(client_key=key).first()
        if earlier is not None:
            return earlier
    if selection.status != SelectionStatus.OPEN or selection.nominations_until < timezone.localdate():
        raise DomainError(_("Nominations for this selection are closed."))
    nominee, story = (data.nominee or "").strip(), (data.story or "").strip()
    if not nominee or len(story) < 20:
        raise DomainError(_("Give the nominee and a story of at least 20 characters."))
    checked = check_uploads(list(photos))
    if checked.documents:
        raise DomainError(_("Only photos can be attached to a nomination."))
    if len(checked.photos) > MAX_PHOTOS:
        raise DomainError(_("At most %(n)d photos.") % {"n": MAX_PHOTOS})
    stored = StoredFiles("honours")
    try:
        stored.write_checked(checked)
        with transaction.atomic():
            nomination = Nomination.objects.create(
                selection=selection,
                unit=data.unit,
                nominee=nominee[:120],
                story=story[:5000],
                submitted_by=_user(actor),
                client_key=key,
            )
            for photo in checked.photos:
                item = NominationPhoto(nomination=nomination, name=photo.name, sha256=photo.info.sha256)
                item.file.name, item.display.name = stored.names_for(photo)
                item.save()
            log_action(
                actor, "honours.nomination.submit", nomination, {"nominee": nominee[:120]}, request=request
            )
    except IntegrityError:
        stored.discard()
        return Nomination.objects.get(client_key=key)
    except BaseException:
        stored.discard()
        raise
    return nomination


def review(
    nomination: Nomination,
    approve: bool,
    actor: Any,
    note: str = "",
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Nomination:
    """The office approves a nomination for the 公示 or turns it down."""
    with transaction.atomic():
        row = (
            Nomination.objects.select_for_update(of=("self",))
            .select_related("selection")
            .get(pk=nomination.pk)
        )
        if version is not None and int(version) != row.version:
            raise ConflictError(
                _("Somebody else changed this nomination in the meantime; reload and try again.")
            )
        if row.selection.status != SelectionStatus.OPEN or row.status not in (
            NominationStatus.SUBMITTED,
            NominationStatus.APPROVED,
            NominationStatus.REJECTED,
        ):
            raise DomainError(_("This nomination can no longer be reviewed."))
        before = row.status
        row.status = NominationStatus.APPROVED if approve else NominationStatus.REJECTED
        row.review_note = (note or "")[:300]
        row.version += 1
        row.save(update_fields=["status", "review_note", "version"])
        log_action(actor, "honours.nomination.review", row, {"status": [before, row.status]}, request=request)
        _tell_unit(
            row,
            _("Nomination of %(name)s: %(status)s")
            % {"name": row.nominee, "status": row.get_status_display()},
        )
    return row


def start_notice(
    selection: Selection,
    notice_from: dt.date,
    notice_until: dt.date,
    actor: Any,
    request: HttpRequest | None = None,
) -> Selection:
    """Publish the approved nominees (公示) with the objection period; nominations close."""
    if notice_until < notice_from:
        raise DomainError(_("The objection period ends before it starts."))
    with transaction.atomic():
        row = Selection.objects.select_for_update().get(pk=selection.pk)
        if row.status != SelectionStatus.OPEN:
            raise DomainError(_("The public notice has already started."))
        if not row.nominations.filter(status=NominationStatus.APPROVED).exists():
            raise DomainError(_("Approve at least one nomination before the public notice."))
        row.status, row.notice_from, row.notice_until = SelectionStatus.NOTICE, notice_from, notice_until
        row.save(update_fields=["status", "notice_from", "notice_until"])
        log_action(
            actor,
            "honours.selection.notice",
            row,
            {"from": str(notice_from), "until": str(notice_until)},
            request=request,
        )
    return row


def withdraw_after_objection(
    nomination: Nomination, note: str, actor: Any, request: HttpRequest | None = None
) -> Nomination:
    """An objection during the 公示 was upheld: the nominee is withdrawn."""
    if not (note or "").strip():
        raise DomainError(_("Say what the objection was."))
    with transaction.atomic():
        row = (
            Nomination.objects.select_for_update(of=("self",))
            .select_related("selection")
            .get(pk=nomination.pk)
        )
        if row.selection.status != SelectionStatus.NOTICE or row.status != NominationStatus.APPROVED:
            raise DomainError(_("Only a nominee on public notice can be withdrawn."))
        row.status, row.review_note = NominationStatus.OBJECTED, note.strip()[:300]
        row.version += 1
        row.save(update_fields=["status", "review_note", "version"])
        log_action(actor, "honours.nomination.objected", row, {"note": row.review_note}, request=request)
    return row


def award(
    selection: Selection, actor: Any, level: str = Level.COUNTY, request: HttpRequest | None = None
) -> list[Honour]:
    """After the objection period, every nominee still approved is awarded and recorded."""
    with transaction.atomic():
        row = (
            Selection.objects.select_for_update(of=("self",))
            .select_related("campaign__office_unit")
            .get(pk=selection.pk)
        )
        if row.status != SelectionStatus.NOTICE:
            raise DomainError(_("Awards follow the public notice."))
        if row.notice_until and row.notice_until >= timezone.localdate():
            raise DomainError(_("The objection period runs until %(date)s.") % {"date": row.notice_until})
        made = []
        for nomination in row.nominations.select_for_update().filter(status=NominationStatus.APPROVED):
            honour = Honour.objects.create(
                kind=row.kind,
                level=level,
                year=row.year,
                unit=nomination.unit,
                holder_name=nomination.nominee,
                awarded_by=row.campaign.office_unit.name if row.campaign.office_unit_id else "",
                status=HonourStatus.HELD,
            )
            nomination.status, nomination.honour = NominationStatus.AWARDED, honour
            nomination.version += 1
            nomination.save(update_fields=["status", "honour", "version"])
            made.append(honour)
            _tell_unit(
                nomination,
                _("%(name)s was awarded: %(title)s") % {"name": nomination.nominee, "title": row.title},
            )
        row.status = SelectionStatus.CLOSED
        row.save(update_fields=["status"])
        log_action(actor, "honours.selection.award", row, {"awarded": len(made)}, request=request)
    return made


def _tell_unit(nomination: Nomination, title: str) -> None:
    users = [
        m.user
        for m in Membership.objects.filter(
            unit_id=nomination.unit_id, role__in=(Role.LIAISON, Role.UNIT_ADMIN)
        ).select_related("user")
    ]
    transaction.on_commit(lambda: notify(users, title, "", f"/honours/selections/{nomination.selection_id}/"))


# ---- the unit's part in the city campaign -----------------------------------------------------


@dataclass
class Performance:
    """What seed 004 asks to show beside a recommendation: the unit's lost points and cards in
    the year's city campaign."""

    lost_points: float | None
    red_cards: int
    yellow_cards: int


def performance(unit: Unit, year: int) -> Performance:
    from chuangwen.problems.models import UnitCard
    from chuangwen.scoring.models import ScoreRun, UnitLoss

    cards = UnitCard.objects.filter(unit=unit, issued_at__year=year)
    red = cards.filter(color="red").count()
    yellow = cards.filter(color="yellow").count()
    run = ScoreRun.objects.filter(campaign__year=year).order_by("-computed_at").first()
    lost = None
    if run is not None:
        lost = UnitLoss.objects.filter(run=run, unit=unit).values_list("lost", flat=True).first() or 0.0
    return Performance(lost, red, yellow)
