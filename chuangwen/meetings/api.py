"""API routes of meetings: the list, convening, one meeting with its attendance and decisions,
recording a decision (idempotent with a key), and the decisions addressed to the caller's units.
The role decides what a caller may do (403), Meeting.objects.visible_to and the scoping helper
what it may see (404); a rule broken is a 400."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.campaigns.models import Campaign
from chuangwen.core.pagination import Pagination
from chuangwen.indicators.models import Indicator
from chuangwen.meetings import services
from chuangwen.meetings.models import Decision, Meeting
from chuangwen.meetings.permissions import MANAGE, READ, has_any_role
from chuangwen.org.models import Unit
from chuangwen.problems.models import ProblemCategory

router = Router(tags=["meetings"])


def _require(request: HttpRequest, roles: tuple[str, ...]) -> None:
    if not has_any_role(request.auth, roles):
        raise PermissionError


def _get(request: HttpRequest, meeting_id: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(request.auth).select_related("campaign__root_unit"), pk=meeting_id
    )


class MeetingOut(Schema):
    id: int
    campaign_id: int
    kind: str
    title: str
    held_on: dt.date
    chair: str
    place: str
    status: str


class AttendanceOut(Schema):
    unit_id: int
    unit: str
    attended: bool | None
    attendee: str


class DecisionOut(Schema):
    id: int
    meeting_id: int
    number: int
    text: str
    unit_id: int
    deadline: dt.date
    kind: str
    task_id: int | None
    problem_id: int | None
    state: str


class MeetingDetailOut(MeetingOut):
    minutes: str
    attendance: list[AttendanceOut]
    decisions: list[DecisionOut]


class MeetingIn(Schema):
    campaign_id: int
    kind: str
    title: str
    held_on: dt.date
    chair: str
    place: str = ""
    unit_ids: list[int] = []


class DecisionIn(Schema):
    text: str
    unit_id: int
    deadline: dt.date
    kind: str
    indicator_id: int | None = None
    category_id: int | None = None
    idempotency_key: str | None = None


def _decision(d: Decision) -> dict:
    return {
        "id": d.pk,
        "meeting_id": d.meeting_id,
        "number": d.number,
        "text": d.text,
        "unit_id": d.unit_id,
        "deadline": d.deadline,
        "kind": d.kind,
        "task_id": d.task_id,
        "problem_id": d.problem_id,
        "state": d.state(),
    }


def _detail(request: HttpRequest, meeting: Meeting) -> dict:
    attendance = scoped(meeting.attendance.select_related("unit"), request.auth)
    decisions = scoped(
        Decision.objects.filter(meeting=meeting).select_related("task", "problem"), request.auth
    )
    return {
        **{
            f: getattr(meeting, f)
            for f in ("id", "campaign_id", "kind", "title", "held_on", "chair", "place", "status", "minutes")
        },
        "attendance": [
            {"unit_id": a.unit_id, "unit": a.unit.name, "attended": a.attended, "attendee": a.attendee}
            for a in attendance
        ],
        "decisions": [_decision(d) for d in decisions.order_by("number")],
    }


@router.get("", response=list[MeetingOut])
@paginate(Pagination)
def list_meetings(request: HttpRequest):
    """Meetings the caller may read, newest first."""
    _require(request, READ)
    return Meeting.objects.visible_to(request.auth).order_by("-held_on", "-id")


@router.post("", response={201: MeetingDetailOut})
def convene(request: HttpRequest, payload: MeetingIn):
    """Convene a meeting and invite units (their people are notified)."""
    _require(request, MANAGE)
    campaign = get_scoped_or_404(
        Campaign.objects.select_related("root_unit"), request.auth, pk=payload.campaign_id
    )
    units = list(scoped(Unit.objects.filter(pk__in=payload.unit_ids), request.auth))
    if len(units) != len(set(payload.unit_ids)):
        from django.http import Http404

        raise Http404
    meeting = services.convene(
        request.auth,
        campaign=campaign,
        kind=payload.kind,
        title=payload.title,
        held_on=payload.held_on,
        chair=payload.chair,
        place=payload.place,
        units=units,
        request=request,
    )
    return 201, _detail(request, meeting)


@router.get("decisions", response=list[DecisionOut])
@paginate(Pagination)
def list_decisions(request: HttpRequest, open_only: bool = True):
    """Decisions addressed to the caller's units (all of them for the office and leaders), the
    nearest deadline first."""
    _require(request, READ)
    qs = scoped(Decision.objects.select_related("task", "problem"), request.auth)
    if open_only:
        qs = qs.open()
    return [_decision(d) for d in qs.order_by("deadline", "id")]


@router.get("{meeting_id}", response=MeetingDetailOut)
def get_meeting(request: HttpRequest, meeting_id: int):
    """One meeting, with the attendance and decisions the caller may see."""
    _require(request, READ)
    return _detail(request, _get(request, meeting_id))


@router.post("{meeting_id}/decisions", response={200: DecisionOut, 201: DecisionOut})
def decide(request: HttpRequest, meeting_id: int, payload: DecisionIn):
    """Record a decision and make it a task or problem of the unit in one step. With an
    `idempotency_key`, sending it again returns the decision stored the first time (200)."""
    _require(request, MANAGE)
    meeting = _get(request, meeting_id)
    unit = get_scoped_or_404(Unit.objects.all(), request.auth, pk=payload.unit_id)
    indicator = (
        get_scoped_or_404(Indicator.objects.select_related("system"), request.auth, pk=payload.indicator_id)
        if payload.indicator_id
        else None
    )
    category = get_object_or_404(ProblemCategory, pk=payload.category_id) if payload.category_id else None
    decision = services.add_decision(
        meeting,
        request.auth,
        text=payload.text,
        unit=unit,
        deadline=payload.deadline,
        kind=payload.kind,
        indicator=indicator,
        category=category,
        idempotency_key=payload.idempotency_key,
        request=request,
    )
    return (200 if decision.replayed else 201), _decision(decision)
