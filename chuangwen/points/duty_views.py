"""Pages of duty: my shifts (phone), check-in/out and log posts, rosters, record sheet, attendance."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.permissions import has_any_role, role_required
from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.core import capture, storage
from chuangwen.core.errors import DomainError
from chuangwen.core.xlsx import xlsx_response
from chuangwen.org.models import Unit
from chuangwen.points import duty
from chuangwen.points.duty_reports import attendance as compute_attendance
from chuangwen.points.duty_reports import record_sheet
from chuangwen.points.forms import DutyLogForm, RosterForm, ShiftForm
from chuangwen.points.models import CheckIn, DutyLog, DutyLogPhoto, DutyRoster, DutyShift, Point
from chuangwen.points.permissions import MANAGE_DUTY, READ_DUTY
from chuangwen.points.photos import ensure_display
from chuangwen.points.visibility import get_visible_point_or_404, person_of

UPCOMING_DAYS = 7


@login_required
def my_duty(request: HttpRequest) -> HttpResponse:
    """The phone page of someone on duty: today's and the coming week's shifts, check in/out, log."""
    person = person_of(request.user)
    today = timezone.localdate()
    shifts = []
    if person is not None:
        qs = (
            DutyShift.objects.filter(
                people=person, date__gte=today, date__lte=today + dt.timedelta(days=UPCOMING_DAYS)
            )
            .select_related("point", "roster")
            .order_by("date", "start_time")
        )
        mine = {c.shift_id: c for c in CheckIn.objects.filter(person=person, shift__in=qs)}
        shifts = [(s, mine.get(s.pk)) for s in qs]
    return render(
        request,
        "points/my_duty.html",
        {
            "person": person,
            "shifts": shifts,
            "today": today,
            "log_form": DutyLogForm(),
            "can_read_duty": has_any_role(request.user, READ_DUTY + MANAGE_DUTY),
        },
    )


def _shift_for(request: HttpRequest, pk: int) -> DutyShift:
    """A shift the user may act on: its point must be visible (rostered people always see it)."""
    shift = DutyShift.objects.select_related("point", "roster__unit").filter(pk=pk).first()
    if shift is None:
        raise Http404
    get_visible_point_or_404(Point.objects.all(), request.user, pk=shift.point_id)
    return shift


def _answer(request: HttpRequest, ok: bool, message: str, status: int = 200, **extra) -> HttpResponse:
    """JSON for the phone's fetch(); a message and a redirect for a plain form post."""
    if request.headers.get("Accept", "").startswith("application/json") or request.headers.get("HX-Request"):
        return JsonResponse({"ok": ok, "message": message, **extra}, status=status)
    (messages.success if ok else messages.error)(request, message)
    return redirect(request.POST.get("next") or "points:my_duty")


@login_required
@require_POST
def shift_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    shift = _shift_for(request, pk)
    try:
        checkin, created = duty.check_in(
            shift,
            request.user,
            request.POST.get("lat"),
            request.POST.get("lng"),
            now=capture.captured_at(request.POST.get("captured_at")),  # a tap queued offline: its time
            request=request,
        )
    except DomainError as exc:
        return _answer(request, False, str(exc), status=400)
    if not created:
        message = _("You had already checked in at %(t)s.") % {
            "t": timezone.localtime(checkin.checked_in_at).strftime("%H:%M")
        }
    elif checkin.in_outside:
        message = _(
            "Checked in, but %(d)d m from the point (more than %(r)d m): the check-in is flagged."
        ) % {"d": round(checkin.in_distance_m), "r": shift.point.radius_m}
    else:
        message = _("Checked in.")
    return _answer(request, True, message, flagged=checkin.in_outside)


@login_required
@require_POST
def shift_check_out(request: HttpRequest, pk: int) -> HttpResponse:
    shift = _shift_for(request, pk)
    try:
        checkin = duty.check_out(
            shift,
            request.user,
            request.POST.get("lat"),
            request.POST.get("lng"),
            now=capture.captured_at(request.POST.get("captured_at")),
            request=request,
        )
    except DomainError as exc:
        return _answer(request, False, str(exc), status=400)
    message = (
        _("Checked out, but away from the point: flagged.") if checkin.out_outside else _("Checked out.")
    )
    return _answer(request, True, message, flagged=checkin.out_outside)


@login_required
@require_POST
def duty_log_new(request: HttpRequest, pk: int) -> HttpResponse:
    point = get_visible_point_or_404(Point.objects.all(), request.user, pk=pk)
    form = DutyLogForm(request.POST)
    if not form.is_valid():
        return _answer(
            request, False, "; ".join(e for errs in form.errors.values() for e in errs), status=400
        )
    shift = None
    if request.POST.get("shift", "").isdigit():
        shift = DutyShift.objects.filter(pk=int(request.POST["shift"]), point=point).first()
    try:
        entry, created = duty.add_log(
            point,
            request.user,
            form.cleaned_data["category"],
            form.cleaned_data["count"],
            form.cleaned_data["note"],
            request.POST.get("lat"),
            request.POST.get("lng"),
            request.FILES.getlist("photos"),
            request.POST.get("client_key", ""),
            shift=shift,
            request=request,
        )
    except DomainError as exc:
        return _answer(request, False, str(exc), status=exc.status)  # 503 when the storage fails
    return _answer(request, True, _("Recorded.") if created else _("Already recorded."), id=entry.pk)


@login_required
def duty_photo(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_scoped_or_404(DutyLogPhoto.objects.all(), request.user, pk=pk)
    if request.GET.get("original") == "1":
        return storage.serve(photo.original, content_type=photo.content_type)
    with storage.guard("display copy", photo.original.name):
        ensure_display(photo)  # normally made by the background job already
    return storage.serve(photo.display, content_type="image/jpeg")


# ---------------------------------------------------------------- office and unit side


@role_required(*(READ_DUTY + MANAGE_DUTY))
def roster_list(request: HttpRequest) -> HttpResponse:
    qs = scoped(DutyRoster.objects.select_related("point", "unit"), request.user)
    if request.GET.get("current") != "0":
        qs = qs.filter(end_date__gte=timezone.localdate())
    page = Paginator(qs.order_by("-start_date", "id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "points/roster_list.html",
        {
            "page": page,
            "can_manage": has_any_role(request.user, MANAGE_DUTY),
        },
    )


@role_required(*(READ_DUTY + MANAGE_DUTY))
def roster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    roster = get_scoped_or_404(DutyRoster.objects.select_related("point", "unit"), request.user, pk=pk)
    shifts = roster.shifts.prefetch_related("people", "checkins").order_by("date", "start_time")
    page = Paginator(shifts, 60).get_page(request.GET.get("page"))
    return render(
        request,
        "points/roster_detail.html",
        {
            "roster": roster,
            "page": page,
            "people": roster.people.select_related("unit"),
            "can_manage": has_any_role(request.user, MANAGE_DUTY),
            "now": timezone.now(),
        },
    )


@role_required(*MANAGE_DUTY)
def roster_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    roster = get_scoped_or_404(DutyRoster.objects.all(), request.user, pk=pk) if pk else None
    initial = {}
    if roster is None and request.GET.get("point", "").isdigit():
        initial["point"] = int(request.GET["point"])
    form = RosterForm(request.POST or None, instance=roster, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved, created = duty.save_roster(form, actor=request.user, request=request)
        messages.success(request, _("Saved; %(n)d new shifts.") % {"n": created})
        return redirect("points:roster", pk=saved.pk)
    return render(
        request,
        "points/simple_form.html",
        {
            "form": form,
            "title": roster.name if roster else _("New duty roster"),
        },
    )


@role_required(*MANAGE_DUTY)
def shift_edit(request: HttpRequest, pk: int) -> HttpResponse:
    shift = get_scoped_or_404(DutyShift.objects.select_related("point", "roster"), request.user, pk=pk)
    initial = {"people": list(shift.people.all()), "required_count": shift.required_count}
    form = ShiftForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        duty.restaff_shift(
            shift,
            list(form.cleaned_data["people"]),
            form.cleaned_data["required_count"],
            request.user,
            request=request,
        )
        messages.success(request, _("Saved."))
        return redirect("points:roster", pk=shift.roster_id)
    title = f"{shift.point.name} · {shift.date:%m-%d} {shift.start_time:%H:%M}–{shift.end_time:%H:%M}"
    return render(request, "points/simple_form.html", {"form": form, "title": title})


def _day(request: HttpRequest, key: str, default: dt.date) -> dt.date:
    """The date in the query, or the default when it is missing or no real date (2026-13-45)."""
    try:
        return parse_date(request.GET.get(key, "") or "") or default
    except ValueError:
        return default


@role_required(*READ_DUTY)
def duty_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The 值守记录表 of a point and day as .xlsx."""
    point = get_scoped_or_404(Point.objects.select_related("unit", "leader", "cadre"), request.user, pk=pk)
    day = _day(request, "date", timezone.localdate())
    return xlsx_response(record_sheet(point, day), f"值守记录表-{point.name}-{day:%Y%m%d}.xlsx")


@role_required(*READ_DUTY)
def attendance(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    start = _day(request, "start", today - dt.timedelta(days=6))
    end = _day(request, "end", today)
    if end < start:
        start, end = end, start
    end = min(end, start + dt.timedelta(days=92))
    shifts = scoped(DutyShift.objects.filter(date__gte=start, date__lte=end), request.user)
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit():
        unit = get_scoped_or_404(Unit.objects.all(), request.user, pk=int(unit_id))
        shifts = shifts.filter(roster__unit__path__startswith=unit.path)
    result = compute_attendance(shifts)
    logs = scoped(DutyLog.objects.filter(date__gte=start, date__lte=end), request.user)
    return render(
        request,
        "points/attendance.html",
        {
            "result": result,
            "start": start,
            "end": end,
            "unit_id": unit_id,
            "log_count": sum(logs.values_list("count", flat=True)),
        },
    )
