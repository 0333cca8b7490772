"""State changes of meetings: convene, record attendance, minutes, mark held (freezing the
brief), and decisions that become tasks or problems of a unit in one step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.audit.services import log_action
from chuangwen.campaigns.models import Campaign
from chuangwen.core.actors import user_or_none
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.meetings.models import (
    Attendance,
    Decision,
    DecisionKind,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from chuangwen.org.models import Unit


def _user(actor: Any) -> Any:
    return user_or_none(actor)


def unit_people(unit_ids: Iterable[int]) -> list[Any]:
    """The unit admins and liaisons of the units: the people a meeting's paper goes to."""
    from chuangwen.accounts.models import Membership, Role

    rows = Membership.objects.filter(
        unit_id__in=list(unit_ids), role__in=(Role.UNIT_ADMIN, Role.LIAISON)
    ).select_related("user")
    return list({m.user_id: m.user for m in rows}.values())


def _in_territory(campaign: Campaign, units: Iterable[Unit]) -> None:
    root = campaign.root_unit
    for unit in units:
        if not unit.path.startswith(root.path):
            raise DomainError(_("%(unit)s is outside the campaign's territory.") % {"unit": unit})


@transaction.atomic
def convene(
    actor: Any,
    *,
    campaign: Campaign,
    kind: str,
    title: str,
    held_on: dt.date,
    chair: str,
    units: Iterable[Unit],
    place: str = "",
    request: Any = None,
) -> Meeting:
    """Plan a meeting and invite units; their people are told after commit."""
    if kind not in MeetingKind.values:
        raise DomainError(_("Choose the kind of meeting."))
    title, chair = (title or "").strip(), (chair or "").strip()
    if not title:
        raise DomainError(_("Give the meeting a title."))
    if not chair:
        raise DomainError(_("Name who chairs the meeting."))
    units = list(dict.fromkeys(units))
    _in_territory(campaign, units)
    meeting = Meeting.objects.create(
        campaign=campaign,
        kind=kind,
        title=title[:200],
        held_on=held_on,
        chair=chair[:100],
        place=(place or "").strip()[:200],
        created_by=_user(actor),
    )
    Attendance.objects.bulk_create([Attendance(meeting=meeting, unit=u) for u in units])
    log_action(
        actor,
        "meetings.meeting.convene",
        meeting,
        {"kind": kind, "held_on": held_on.isoformat(), "units": [u.pk for u in units]},
        request=request,
    )
    transaction.on_commit(lambda: _notify_invited(meeting, [u.pk for u in units]))
    return meeting


def _notify_invited(meeting: Meeting, unit_ids: list[int]) -> None:
    from chuangwen.notifications.services import notify

    title = _("Meeting on %(date)s: %(title)s") % {
        "date": meeting.held_on.isoformat(),
        "title": meeting.title,
    }
    body = _("Your unit is invited. Chair: %(chair)s. Place: %(place)s.") % {
        "chair": meeting.chair,
        "place": meeting.place or "—",
    }
    url = reverse("meetings:detail", kwargs={"pk": meeting.pk})
    notify(unit_people(unit_ids), title, body, url, key=f"meeting-invite-{meeting.pk}")


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


@transaction.atomic
def invite(meeting: Meeting, units: Iterable[Unit], actor: Any, request: Any = None) -> int:
    """Add units to the invitation (those already invited are left as they are)."""
    meeting = _lock(meeting)
    units = list(units)
    _in_territory(meeting.campaign, units)
    have = set(meeting.attendance.values_list("unit_id", flat=True))
    new = [u for u in dict.fromkeys(units) if u.pk not in have]
    Attendance.objects.bulk_create([Attendance(meeting=meeting, unit=u) for u in new])
    if new:
        log_action(actor, "meetings.meeting.invite", meeting, {"units": [u.pk for u in new]}, request=request)
        transaction.on_commit(lambda: _notify_invited(meeting, [u.pk for u in new]))
    return len(new)


@transaction.atomic
def record_attendance(
    meeting: Meeting, present: dict[int, str], actor: Any, request: Any = None
) -> tuple[int, int]:
    """Record who came: `present` maps the unit ids that came to the name of who came for
    them; every other invited unit is recorded absent. Returns (present, absent)."""
    meeting = _lock(meeting)
    rows = list(Attendance.objects.select_for_update().filter(meeting=meeting))
    unknown = set(present) - {r.unit_id for r in rows}
    if unknown:
        raise DomainError(_("Only invited units can be recorded as present."))
    changes: dict[str, Any] = {}
    for row in rows:
        came = row.unit_id in present
        who = (present.get(row.unit_id) or "").strip()[:100] if came else ""
        if row.attended is not came or row.attendee != who:
            changes[str(row.unit_id)] = [row.attended, came]
            row.attended, row.attendee = came, who
            row.save(update_fields=["attended", "attendee"])
    if changes:
        log_action(actor, "meetings.meeting.attendance", meeting, changes, request=request)
    came = sum(1 for r in rows if r.attended)
    return came, len(rows) - came


@transaction.atomic
def record_minutes(meeting: Meeting, minutes: str, actor: Any, request: Any = None) -> Meeting:
    """Write (or correct) the minutes."""
    meeting = _lock(meeting)
    minutes = (minutes or "").strip()
    if minutes != meeting.minutes:
        log_action(
            actor,
            "meetings.meeting.minutes",
            meeting,
            {"length": [len(meeting.minutes), len(minutes)]},
            request=request,
        )
        meeting.minutes = minutes
        meeting.save(update_fields=["minutes", "updated_at"])
    return meeting


def mark_held(meeting: Meeting, actor: Any, request: Any = None, today: dt.date | None = None) -> Meeting:
    """Mark the meeting held: the brief is frozen as it stood, so the record shows what the
    meeting was told. The brief is gathered before the lock (it only reads)."""
    from chuangwen.meetings.brief import gather

    if meeting.status == MeetingStatus.HELD:
        raise ConflictError(_("The meeting is already marked held."))
    if meeting.held_on > (today or timezone.localdate()):
        raise DomainError(_("A meeting cannot be marked held before its date."))
    snapshot = gather(meeting, today=today)
    with transaction.atomic():
        meeting = _lock(meeting)
        if meeting.status == MeetingStatus.HELD:
            raise ConflictError(_("The meeting is already marked held."))
        if not meeting.attendance.exclude(attended__isnull=False).count() == 0:
            raise DomainError(_("Record who came before marking the meeting held."))
        meeting.status = MeetingStatus.HELD
        meeting.held_at = timezone.now()
        meeting.brief = snapshot
        meeting.save(update_fields=["status", "held_at", "brief", "updated_at"])
        log_action(
            actor,
            "meetings.meeting.held",
            meeting,
            {"status": [MeetingStatus.PLANNED, MeetingStatus.HELD]},
            request=request,
        )
    return meeting


def add_decision(
    meeting: Meeting,
    actor: Any,
    *,
    text: str,
    unit: Unit,
    deadline: dt.date,
    kind: str,
    indicator: Any = None,
    category: Any = None,
    idempotency_key: str | None = None,
    request: Any = None,
    today: dt.date | None = None,
) -> Decision:
    """Record a decision addressed to a unit with a deadline and, in the same step, make it a
    task (of the chosen indicator, the unit responsible) or a problem (of the chosen category,
    dispatched to the unit with the deadline). A resend of the same form (same key) returns the
    decision stored the first time, with `replayed = True`."""
    key = (idempotency_key or "").strip()[:80] or None
    if key:
        earlier = Decision.objects.filter(idempotency_key=key).first()
        if earlier is not None:
            earlier.replayed = True
            return earlier
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write the decision."))
    if kind not in DecisionKind.values:
        raise DomainError(_("Choose how the decision is carried out."))
    if deadline < (today or timezone.localdate()):
        raise DomainError(_("The deadline is in the past."))
    _in_territory(meeting.campaign, [unit])
    if kind == DecisionKind.TASK:
        if indicator is None:
            raise DomainError(_("Choose the indicator the task serves."))
        if indicator.system.campaign_id not in (None, meeting.campaign_id):
            raise DomainError(_("The indicator belongs to another campaign."))
    if kind == DecisionKind.PROBLEM:
        if category is None:
            raise DomainError(_("Choose the problem category."))
        if category.is_major:
            raise DomainError(_("Choose a specific category, not a major one."))
    try:
        with transaction.atomic():
            decision = _add_decision(
                meeting, actor, text, unit, deadline, kind, indicator, category, key, request
            )
    except IntegrityError:
        if key and (earlier := Decision.objects.filter(idempotency_key=key).first()) is not None:
            earlier.replayed = True
            return earlier
        raise
    decision.replayed = False
    transaction.on_commit(lambda: _notify_decision(decision))
    return decision


def _add_decision(
    meeting: Meeting,
    actor: Any,
    text: str,
    unit: Unit,
    deadline: dt.date,
    kind: str,
    indicator: Any,
    category: Any,
    key: str | None,
    request: Any,
) -> Decision:
    meeting = _lock(meeting)
    number = (meeting.decisions.aggregate(n=Max("number"))["n"] or 0) + 1
    decision = Decision(
        meeting=meeting,
        number=number,
        text=text,
        unit=unit,
        deadline=deadline,
        kind=kind,
        idempotency_key=key,
        created_by=_user(actor),
    )
    if kind == DecisionKind.TASK:
        decision.task = _make_task(meeting, actor, text, unit, deadline, indicator, request)
    elif kind == DecisionKind.PROBLEM:
        decision.problem = _make_problem(meeting, actor, text, unit, deadline, category, request)
    decision.save()
    log_action(
        actor,
        "meetings.decision.create",
        decision,
        {
            "meeting": meeting.pk,
            "number": number,
            "unit": unit.pk,
            "deadline": deadline.isoformat(),
            "kind": kind,
            "task": decision.task_id,
            "problem": decision.problem_id,
        },
        request=request,
    )
    return decision


def _make_task(
    meeting: Meeting, actor: Any, text: str, unit: Unit, deadline: dt.date, indicator: Any, request: Any
) -> Any:
    from chuangwen.tasks.models import AssignmentRole, Cadence, Task, TaskAssignment

    task = Task.objects.create(
        campaign=meeting.campaign,
        indicator=indicator,
        title=text.splitlines()[0][:300],
        requirement=_("Decided at %(meeting)s (%(date)s): %(text)s")
        % {"meeting": meeting.title, "date": meeting.held_on.isoformat(), "text": text},
        cadence=Cadence.ONCE,
        deadline=deadline,
        deadline_text=deadline.isoformat(),
        leader_text=meeting.chair,
    )
    # The office that convened the meeting leads (牵头) what the meeting decided; the unit the
    # decision names carries it out. Without an office unit the named unit leads its own task.
    lead = meeting.campaign.office_unit if meeting.campaign.office_unit_id else unit
    TaskAssignment.objects.create(task=task, unit=lead, role=AssignmentRole.LEAD)
    if lead.pk != unit.pk:
        TaskAssignment.objects.create(task=task, unit=unit, role=AssignmentRole.RESPONSIBLE)
    log_action(
        actor, "tasks.task.create", task, {"from_meeting": meeting.pk, "unit": unit.pk}, request=request
    )
    return task


def _make_problem(
    meeting: Meeting, actor: Any, text: str, unit: Unit, deadline: dt.date, category: Any, request: Any
) -> Any:
    from chuangwen.problems.models import Source
    from chuangwen.problems.services.intake import report

    # The end of the deadline day, in the campaign's time zone.
    due = dt.datetime.combine(deadline, dt.time(23, 59), tzinfo=timezone.get_current_timezone())
    description = _("[Meeting decision] %(meeting)s (%(date)s): %(text)s") % {
        "meeting": meeting.title,
        "date": meeting.held_on.isoformat(),
        "text": text,
    }
    # A supervision meeting's decision is a finding of the supervision work (督查), the nearest
    # of the problem sources.
    return report(
        actor,
        category=category,
        description=description,
        source=Source.INSPECTION,
        unit=unit,
        deadline=due,
        request=request,
    )


def _notify_decision(decision: Decision) -> None:
    from chuangwen.notifications.services import notify

    title = _("Meeting decision for your unit, due %(date)s") % {"date": decision.deadline.isoformat()}
    url = reverse("meetings:mine")
    notify(
        unit_people([decision.unit_id]),
        title,
        decision.text[:500],
        url,
        key=f"meeting-decision-{decision.pk}",
    )


@transaction.atomic
def mark_decision_done(decision: Decision, actor: Any, note: str = "", request: Any = None) -> Decision:
    """The office records an action item as carried out. Tasks and problems follow their own
    closed loop (confirmation, verification), so their decisions cannot be marked by hand."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.kind != DecisionKind.ACTION:
        raise DomainError(_("This decision follows its task or problem; it is done when they are."))
    if decision.done_at is not None:
        raise ConflictError(_("The decision is already marked done."))
    decision.done_at = timezone.now()
    decision.done_note = (note or "").strip()[:300]
    decision.save(update_fields=["done_at", "done_note"])
    log_action(actor, "meetings.decision.done", decision, {"note": decision.done_note}, request=request)
    return decision
