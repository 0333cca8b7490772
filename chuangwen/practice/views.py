"""Pages of the practice ledgers: the office's rhythm view, a point's ledger with its 阵地建设
checklist, adding an entry, printing the ledger."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.permissions import has_any_role, role_required
from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.core import storage
from chuangwen.core.errors import DomainError
from chuangwen.core.xlsx import xlsx_response
from chuangwen.points.models import Point
from chuangwen.practice import exports, services
from chuangwen.practice.forms import EntryForm, StandardsForm
from chuangwen.practice.models import STANDARD_ITEMS, LedgerPhoto, StandardCheck
from chuangwen.practice.permissions import KEEP, READ


@role_required(*READ)
def index(request: HttpRequest) -> HttpResponse:
    """Per point: activities in the last month and quarter against the rhythm; who is behind."""
    points = services.practice_points(scoped(Point.objects.all(), request.user))
    rows = services.rhythm(points)
    behind_only = request.GET.get("behind") == "1"
    shown = [r for r in rows if r.behind] if behind_only else rows
    return render(
        request,
        "practice/index.html",
        {
            "rows": shown[:500],
            "total": len(rows),
            "behind": sum(1 for r in rows if r.behind),
            "behind_only": behind_only,
            "minimum": services.min_per_month(),
        },
    )


@role_required(*READ)
def point_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    point = get_scoped_or_404(Point.objects.select_related("unit", "point_type"), request.user, pk=pk)
    can_keep = has_any_role(request.user, KEEP)
    form = EntryForm(request.POST or None) if can_keep else None
    status = 200
    if request.method == "POST":
        if not can_keep:
            return HttpResponse(status=403)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_entry(
                    point,
                    request.user,
                    services.EntryData(
                        date=data["date"],
                        theme=data["theme"],
                        title=data["title"],
                        organiser=data["organiser"],
                        participants=data["participants"],
                        record=data["record"],
                        attendees=data["attendees"],
                    ),
                    uploads=request.FILES.getlist("photos"),
                    idempotency_key=data["idempotency_key"],
                    request=request,
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                messages.success(request, _("The activity is recorded in the ledger."))
                return redirect("practice:point", pk=point.pk)
        else:
            status = 400
    checks = {c.item: c for c in StandardCheck.objects.filter(point=point)}
    entries = point.practice_entries.prefetch_related("photos").order_by("-date", "-id")[:200]
    return render(
        request,
        "practice/point.html",
        {
            "point": point,
            "entries": entries,
            "form": form,
            "standards": StandardsForm(checks=checks),
            "checks": checks,
            "items": [(key, label, checks.get(key)) for key, label in STANDARD_ITEMS],
            "can_keep": can_keep,
        },
        status=status,
    )


@role_required(*KEEP)
@require_POST
def standards(request: HttpRequest, pk: int) -> HttpResponse:
    point = get_scoped_or_404(Point.objects.all(), request.user, pk=pk)
    form = StandardsForm(request.POST)
    if form.is_valid():
        services.save_standards(point, request.user, form.values(), request=request)
        messages.success(request, _("The position standard is saved."))
    return redirect("practice:point", pk=point.pk)


@role_required(*READ)
def export(request: HttpRequest, pk: int) -> HttpResponse:
    point = get_scoped_or_404(Point.objects.select_related("unit"), request.user, pk=pk)
    return xlsx_response(exports.ledger_xlsx(point), f"活动台账-{point.name}.xlsx")


@role_required(*READ)
def photo(request: HttpRequest, pk: int) -> FileResponse:
    row = get_scoped_or_404(LedgerPhoto.objects.all(), request.user, pk=pk)
    return storage.serve(
        row.display or row.file, content_type="image/jpeg" if row.display else row.content_type
    )
