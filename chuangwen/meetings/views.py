"""Pages of meetings: the list, convening, a meeting (brief, attendance, minutes, decisions),
the brief as .docx/PDF, and a unit's decisions.

Thin views: role → a fetch through Meeting.objects.visible_to / the scoping helper → form →
service → redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.core.errors import DomainError
from chuangwen.meetings import services
from chuangwen.meetings.brief import age_label, brief_of, document, state_label
from chuangwen.meetings.forms import DecisionForm, InviteForm, MeetingForm, MinutesForm
from chuangwen.meetings.models import Decision, DecisionState, Meeting
from chuangwen.meetings.permissions import MANAGE, READ, has_any_role, role_required

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _get(request: HttpRequest, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("campaign__root_unit"), pk=pk
    )


@role_required(*READ)
def index(request: HttpRequest) -> HttpResponse:
    meetings = Meeting.objects.visible_to(request.user).select_related("campaign")
    can_manage = has_any_role(request.user, MANAGE)
    return render(
        request,
        "meetings/index.html",
        {
            "page": Paginator(meetings.order_by("-held_on", "-id"), 30).get_page(request.GET.get("page")),
            "can_manage": can_manage,
            "form": MeetingForm(user=request.user) if can_manage else None,
        },
    )


@role_required(*MANAGE)
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
        return redirect("meetings:index")
    data = form.cleaned_data
    try:
        meeting = services.convene(
            request.user,
            campaign=data["campaign"],
            kind=data["kind"],
            title=data["title"],
            held_on=data["held_on"],
            chair=data["chair"],
            place=data["place"],
            units=data["units"],
            request=request,
        )
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("meetings:index")
    return redirect("meetings:detail", pk=meeting.pk)


def _decisions_for(request: HttpRequest, meeting: Meeting):
    """All of a meeting's decisions for the office and leaders; a unit sees those addressed to it."""
    qs = Decision.objects.filter(meeting=meeting).select_related("unit", "task", "problem")
    return scoped(qs, request.user).order_by("number")


@role_required(*READ)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get(request, pk)
    can_manage = has_any_role(request.user, MANAGE)
    today = timezone.localdate()
    brief = brief_of(meeting, today=today) if has_any_role(request.user, ("office_admin", "leader")) else None
    attendance = scoped(meeting.attendance.select_related("unit"), request.user)
    decisions = [(d, d.state(today)) for d in _decisions_for(request, meeting)]
    context = {
        "meeting": meeting,
        "can_manage": can_manage,
        "brief": brief,
        "ages": [(age_label(a["low"], a["high"]), a["count"]) for a in brief["problem_ages"]]
        if brief
        else [],
        "previous": [
            {**d, "state_label": state_label(d["state"])}
            for d in (brief.get("previous") or {}).get("decisions", [])
        ]
        if brief
        else [],
        "attendance": attendance,
        "decisions": decisions,
        "states": DecisionState,
    }
    if can_manage:
        context.update(
            invite_form=InviteForm(user=request.user),
            minutes_form=MinutesForm(initial={"minutes": meeting.minutes}),
            decision_form=DecisionForm(user=request.user, campaign=meeting.campaign),
        )
    return render(request, "meetings/detail.html", context)


@role_required(*MANAGE)
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get(request, pk)
    form = InviteForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            added = services.invite(meeting, form.cleaned_data["units"], request.user, request=request)
            messages.success(request, _("%(n)d units invited.") % {"n": added})
        except DomainError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, form.errors.as_text())
    return redirect("meetings:detail", pk=pk)


@role_required(*MANAGE)
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get(request, pk)
    present: dict[int, str] = {}
    for key in request.POST.getlist("present"):
        if key.isdigit():
            present[int(key)] = request.POST.get(f"who_{key}", "")
    try:
        came, absent = services.record_attendance(meeting, present, request.user, request=request)
        messages.success(
            request,
            _("Attendance recorded: %(came)d present, %(absent)d absent.") % {"came": came, "absent": absent},
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("meetings:detail", pk=pk)


@role_required(*MANAGE)
@require_POST
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get(request, pk)
    form = MinutesForm(request.POST)
    if form.is_valid():
        services.record_minutes(meeting, form.cleaned_data["minutes"], request.user, request=request)
        messages.success(request, _("Minutes saved."))
    else:
        messages.error(request, form.errors.as_text())
    return redirect("meetings:detail", pk=pk)


@role_required(*MANAGE)
@require_POST
def held(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get(request, pk)
    try:
        services.mark_held(meeting, request.user, request=request)
        messages.success(request, _("The meeting is marked held; its brief is kept as it stood."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("meetings:detail", pk=pk)


@role_required(*MANAGE)
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _get(request, pk)
    form = DecisionForm(request.POST, user=request.user, campaign=meeting.campaign)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
        return redirect("meetings:detail", pk=pk)
    data = form.cleaned_data
    try:
        decision = services.add_decision(
            meeting,
            request.user,
            text=data["text"],
            unit=data["unit"],
            deadline=data["deadline"],
            kind=data["kind"],
            indicator=data["indicator"],
            category=data["category"],
            idempotency_key=data["idempotency_key"],
            request=request,
        )
        if not decision.replayed:
            messages.success(
                request,
                _("Decision %(n)d recorded and sent to %(unit)s.")
                % {"n": decision.number, "unit": decision.unit},
            )
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("meetings:detail", pk=pk)


@role_required(*READ)
def brief(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    if not has_any_role(request.user, ("office_admin", "leader")):
        # The brief names every unit's figures: it is the office's and the leaders' paper.
        _get(request, pk)
        return HttpResponse(status=403)
    meeting = _get(request, pk)
    data = document(meeting, fmt)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    name = f"meeting-{meeting.pk}-brief.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(*READ)
def mine(request: HttpRequest) -> HttpResponse:
    """Decisions addressed to the user's units (every decision for the office and leaders)."""
    qs = scoped(Decision.objects.select_related("meeting", "unit", "task", "problem"), request.user)
    show = request.GET.get("show", "open")
    if show == "open":
        qs = qs.open()
    today = timezone.localdate()
    page = Paginator(qs.order_by("deadline", "id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/mine.html",
        {"page": page, "rows": [(d, d.state(today)) for d in page], "show": show, "states": DecisionState},
    )


@role_required(*MANAGE)
@require_POST
def decision_done(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_scoped_or_404(Decision.objects.all(), request.user, pk=pk)
    try:
        services.mark_decision_done(decision, request.user, request.POST.get("note", ""), request=request)
        messages.success(request, _("Marked done."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("meetings:detail", pk=decision.meeting_id)
