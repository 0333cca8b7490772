"""The office's pages: dispatch console, holiday calendar, rates, overdue list, escalation
records, exports and the 12345 import."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.permissions import has_any_role
from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.audit.services import log_action
from chuangwen.campaigns.choice import chosen_campaign
from chuangwen.campaigns.models import RateBasis
from chuangwen.core import storage
from chuangwen.core.errors import DomainError
from chuangwen.core.xlsx import XLSX_TYPE as XLSX
from chuangwen.problems import exports, forms, imports, queries, rates, services
from chuangwen.problems.holiday_source import has_official_data
from chuangwen.problems.models import CalendarDay, Problem, ProblemCategory, SupervisionNotice, UnitCard
from chuangwen.problems.permissions import DISPATCH, EXPORT, READ_RATES, role_required
from chuangwen.problems.services.calendar import load_official_year, remove_calendar_day, save_calendar_day

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def map_points(problems: list[Problem]) -> list[dict]:
    """Markers for the console's Leaflet map: position, status, label and link. Tiles come from
    MAP_TILE_URL; without them (closed government networks) the markers show on a blank canvas."""
    return [
        {
            "id": p.pk,
            "lat": p.lat,
            "lng": p.lng,
            "status": p.status,
            "label": f"#{p.pk} {p.category.name} {p.address}".strip(),
            "url": reverse("problems:detail", args=[p.pk]),
        }
        for p in problems
        if p.lat is not None and p.lng is not None
    ]


@role_required(*DISPATCH)
def console(request: HttpRequest) -> HttpResponse:
    """The dispatch queue (new and returned problems), its map, and bulk assignment."""
    queue = list(
        queries.visible(request.user)
        .queue()
        .select_related("category", "suggested_unit", "returned_from")
        .order_by("reported_at", "id")[:500]
    )
    pending_extensions = (
        queries.visible(request.user)
        .filter(status="extension_requested")
        .select_related("category", "unit")[:100]
    )
    return render(
        request,
        "problems/console.html",
        {
            "queue": queue,
            "markers": map_points(queue),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "form": forms.BulkDispatchForm(),
            "extensions": pending_extensions,
            "now": timezone.now(),
        },
    )


@role_required(*DISPATCH)
@require_POST
def bulk_dispatch(request: HttpRequest) -> HttpResponse:
    """Assign the checked problems to one unit; each one keeps its own conflict check."""
    form = forms.BulkDispatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a unit to assign to."))
        return redirect("problems:console")
    done, failed = 0, []
    for value in request.POST.getlist("rows"):
        pk, _sep, version = value.partition(":")
        if not (pk.isdigit() and version.isdigit()):
            continue
        problem = get_scoped_or_404(Problem.objects.all(), request.user, pk=int(pk))
        try:
            services.dispatch(
                problem,
                request.user,
                unit=form.cleaned_data["unit"],
                force=form.cleaned_data["force"],
                version=int(version),
                request=request,
            )
            done += 1
        except DomainError as exc:
            failed.append(str(exc))
    if done:
        messages.success(request, _("%(n)d problems dispatched.") % {"n": done})
    for message in failed:
        messages.error(request, message)
    return redirect("problems:console")


@role_required(*DISPATCH)
def calendar(request: HttpRequest) -> HttpResponse:
    """Holidays and adjusted working days by year; the office adds the next year's in November."""
    given = request.GET.get("year", "")
    # A year the calendar can hold; anything else (a typo, "abc", 0) shows this year.
    year = int(given) if given.isdigit() and 2000 <= int(given) <= 2100 else timezone.localdate().year
    if request.method == "POST" and request.POST.get("load_year", "").isdigit():
        loaded = int(request.POST["load_year"])
        if has_official_data(loaded):
            added = load_official_year(request.user, loaded, request=request)
            messages.success(request, _("%(n)d days of the official arrangement added.") % {"n": added})
        return redirect(f"{request.path}?year={loaded}")
    form = forms.CalendarDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        day = save_calendar_day(request.user, data["date"], data["kind"], data["name"], request=request)
        messages.success(request, _("Saved."))
        return redirect(f"{request.path}?year={day.date.year}")
    days = CalendarDay.objects.filter(date__year=year)
    years = sorted({d.year for d in CalendarDay.objects.dates("date", "year")} | {year})
    context = {"days": days, "year": year, "years": years, "form": form, "official": has_official_data(year)}
    return render(request, "problems/calendar.html", context)


@role_required(*DISPATCH)
@require_POST
def calendar_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if remove_calendar_day(request.user, pk, request=request) is not None:
        messages.success(request, _("Removed."))
    return redirect("problems:calendar")


def _period(request: HttpRequest) -> tuple[dt.date | None, dt.date | None]:
    def parse(name: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return None

    return parse("start"), parse("end")


@role_required(*READ_RATES)
def rate_report(request: HttpRequest) -> HttpResponse:
    by = request.GET.get("by", "unit")
    if by not in rates.GROUPINGS:
        by = "unit"
    start, end = _period(request)
    campaign = chosen_campaign(request.user)
    basis = rates.basis_of(campaign)
    rows, total = rates.rates(request.user, by, start, end, basis=basis)
    return render(
        request,
        "problems/rates.html",
        {
            "rows": rows,
            "total": total,
            "by": by,
            "groupings": rates.GROUPINGS,
            "start": start,
            "end": end,
            "campaign": campaign,
            "basis": basis,
            "basis_label": rates.basis_label(basis),
            "bases": RateBasis.choices,
            "may_choose": campaign is not None and has_any_role(request.user, DISPATCH),
        },
    )


@role_required(*DISPATCH)
@require_POST
def rate_basis(request: HttpRequest) -> HttpResponse:
    """The office chooses what the current campaign's rectification rates divide by."""
    campaign = chosen_campaign(request.user)
    if campaign is None:
        messages.error(request, _("There is no campaign yet."))
        return redirect("problems:rates")
    try:
        rates.choose_basis(campaign, request.POST.get("basis", ""), request.user, request)
        messages.success(request, _("Saved."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("problems:rates")


@role_required(*READ_RATES)
def overdue(request: HttpRequest) -> HttpResponse:
    problems = queries.overdue(request.user)
    return render(
        request,
        "problems/overdue.html",
        {"rows": problems[:1000], "count": problems.count(), "now": timezone.now()},
    )


@role_required(*READ_RATES)
def escalations(request: HttpRequest) -> HttpResponse:
    """Supervision notices and cards in the user's scope."""
    return render(
        request,
        "problems/escalations.html",
        {
            "notices": scoped(SupervisionNotice.objects.select_related("unit", "problem"), request.user)[
                :300
            ],
            "cards": scoped(UnitCard.objects.select_related("unit", "problem"), request.user)[:300],
        },
    )


@role_required(*READ_RATES)
def notice_docx(request: HttpRequest, pk: int) -> FileResponse:
    notice = get_scoped_or_404(SupervisionNotice.objects.all(), request.user, pk=pk)
    if not notice.document:
        raise PermissionDenied
    return storage.serve(
        notice.document, as_attachment=True, filename=f"{notice.number}.docx", content_type=DOCX
    )


def _filtered(request: HttpRequest):
    qs = queries.visible(request.user)
    start, end = _period(request)
    return rates.counted(qs, start, end) if (start or end) else qs


@role_required(*EXPORT)
def ledger_xlsx(request: HttpRequest) -> FileResponse:
    log_action(request.user, "problems.export.ledger", changes=dict(request.GET.items()), request=request)
    stamp = timezone.localdate().isoformat()
    return FileResponse(
        exports.ledger(_filtered(request)),
        as_attachment=True,
        filename=f"整改台账-{stamp}.xlsx",
        content_type=XLSX,
    )


@role_required(*EXPORT)
def list_docx(request: HttpRequest) -> FileResponse:
    qs = _filtered(request)
    if request.GET.get("open", "1") == "1":
        qs = qs.open()
    title = request.GET.get("title") or _("Problem list")
    content = exports.problem_list(qs, title, timezone.localdate().isoformat())
    log_action(request.user, "problems.export.list", changes=dict(request.GET.items()), request=request)
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''problem-list-{timezone.localdate():%Y%m%d}.docx"
    )
    return response


@role_required(*DISPATCH)
def hotline_export(request: HttpRequest) -> FileResponse:
    log_action(request.user, "problems.export.hotline", changes=dict(request.GET.items()), request=request)
    return FileResponse(
        exports.hotline_status(_filtered(request)),
        as_attachment=True,
        filename=f"12345-status-{timezone.localdate():%Y%m%d}.xlsx",
        content_type=XLSX,
    )


@role_required(*DISPATCH)
def hotline_import(request: HttpRequest) -> HttpResponse:
    """Upload the hotline's export: a dry run lists every error by row and column; commit files
    all rows in one transaction."""
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    categories = ProblemCategory.objects.filter(parent__isnull=False, is_active=True)
    result = None
    if request.method == "POST" and form.is_valid():
        default = categories.filter(pk=request.POST.get("default_category") or 0).first()
        result = imports.run(
            form.cleaned_data["file"],
            request.user,
            commit=form.cleaned_data["commit"],
            default_category=default,
            request=request,
        )
        if result.committed:
            messages.success(request, _("%(n)d work orders imported.") % {"n": result.created})
            if result.closed:
                messages.info(request, _("%(n)d closed as the hotline closed them.") % {"n": result.closed})
    return render(
        request, "problems/import_12345.html", {"form": form, "result": result, "categories": categories}
    )


@role_required(*DISPATCH)
def hotline_import_template(request: HttpRequest) -> HttpResponse:
    """The blank 12345 work-order list to fill in; the category drop-down lists the categories."""
    from chuangwen.core.import_template import template_response
    from chuangwen.org.models import Unit
    from chuangwen.problems.import_template import hotline_template

    unit = scoped(Unit.objects.filter(is_active=True), request.user).order_by("depth", "path").first()
    return template_response(hotline_template(unit.name if unit else ""), "12345工单导入模板.xlsx")
