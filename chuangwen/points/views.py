"""Pages of points and checklist templates: lists, details, edits, Excel in/out, map, QR sheet."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.permissions import has_any_role, role_required
from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.campaigns.groups import groups_for, owned_by, picked_group
from chuangwen.core.xlsx import xlsx_response
from chuangwen.org.models import Unit
from chuangwen.points import checklists_io, importing, services
from chuangwen.points.forms import ChecklistItemForm, ImportForm, PointForm, PointTypeForm
from chuangwen.points.models import CheckIn, ChecklistItem, DutyShift, Point, PointType
from chuangwen.points.permissions import (
    EXPORT_POINTS,
    IMPORT_POINTS,
    MANAGE_DUTY,
    MANAGE_POINTS,
    MANAGE_TEMPLATES,
    READ_DUTY,
)
from chuangwen.points.visibility import get_visible_point_or_404, person_of, visible_points

PAGE_SIZE = 50
QR_SHEET_LIMIT = 500


def _filtered_points(request: HttpRequest):
    qs = visible_points(Point.objects.select_related("point_type", "unit"), request.user)
    params = request.GET
    query = params.get("q", "").strip()
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(code__icontains=query) | Q(address__icontains=query))
    if params.get("type", "").isdigit():
        qs = qs.filter(point_type_id=int(params["type"]))
    if params.get("unit", "").isdigit():
        unit = get_scoped_or_404(Unit.objects.all(), request.user, pk=int(params["unit"]))
        qs = qs.filter(unit__path__startswith=unit.path)
    group = picked_group(request.user, params.get("group"))
    if group is not None:
        qs = owned_by(qs, group)
    if params.get("flag") == "key":
        qs = qs.filter(is_key=True)
    elif params.get("flag") == "fixed":
        qs = qs.filter(is_fixed=True)
    if params.get("inactive") != "1":
        qs = qs.filter(is_active=True)
    return qs


@login_required
def point_list(request: HttpRequest) -> HttpResponse:
    qs = _filtered_points(request)
    page = Paginator(qs.order_by("unit__path", "name", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    user = request.user
    return render(
        request,
        "points/point_list.html",
        {
            "page": page,
            "types": PointType.objects.filter(is_active=True),
            "params": request.GET,
            "group": picked_group(user, request.GET.get("group")),
            "groups": groups_for(user),
            "can_manage": has_any_role(user, MANAGE_POINTS),
            "can_import": has_any_role(user, IMPORT_POINTS),
            "can_export": has_any_role(user, EXPORT_POINTS),
            "can_read_duty": has_any_role(user, READ_DUTY + MANAGE_DUTY),
            "query_string": request.GET.urlencode(),
        },
    )


def _optional_url(name: str, **kwargs) -> str:
    """A link into an app that may not be installed (problems), or ''."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


@login_required
def point_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    point = get_visible_point_or_404(
        Point.objects.select_related("point_type", "unit", "grid", "leader", "cadre"), user, pk=pk
    )
    today = timezone.localdate()
    person = person_of(user)
    shifts = list(
        DutyShift.objects.filter(point=point, date=today).prefetch_related("people").order_by("start_time")
    )
    mine = {}
    if person:
        for shift in shifts:
            if any(p.pk == person.pk for p in shift.people.all()):
                mine[shift.pk] = CheckIn.objects.filter(shift=shift, person=person).first()
    # The problems app resolves point_ref "P<id>" (or the point's code) to the responsible unit.
    report_url = _optional_url("problems:report")
    return render(
        request,
        "points/point_detail.html",
        {
            "point": point,
            "items": point.point_type.items.filter(is_active=True),
            "shifts": shifts,
            "my_shifts": [(s, mine[s.pk]) for s in shifts if s.pk in mine],
            "can_manage": has_any_role(user, MANAGE_POINTS)
            and scoped(Point.objects.filter(pk=pk), user).exists(),
            "can_read_duty": has_any_role(user, READ_DUTY + MANAGE_DUTY),
            "report_url": f"{report_url}?point_ref=P{point.pk}" if report_url else "",
            "history_url": _optional_url("inspections:point_history", pk=point.pk),
            "today": today,
        },
    )


@role_required(*MANAGE_POINTS)
def point_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    point = get_scoped_or_404(Point.objects.all(), request.user, pk=pk) if pk else None
    form = PointForm(request.POST or None, instance=point, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = services.save_point(form, actor=request.user, request=request)
        messages.success(request, _("Saved."))
        return redirect("points:detail", pk=saved.pk)
    return render(request, "points/point_form.html", {"form": form, "point": point})


@role_required(*IMPORT_POINTS)
def point_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None, with_datum=True)
    report = None
    if request.method == "POST" and form.is_valid():
        report = importing.import_points(
            form.cleaned_data["file"].read(),
            request.user,
            default_datum=form.cleaned_data["datum"],
            commit=form.cleaned_data["commit"],
            request=request,
        )
        if report.committed:
            messages.success(
                request, _("Imported: %(c)d new, %(u)d updated.") % {"c": report.created, "u": report.updated}
            )
            return redirect("points:list")
    return render(
        request,
        "points/import.html",
        {
            "form": form,
            "report": report,
            "title": _("Import points"),
            "template_url": reverse("points:import_template"),
        },
    )


@role_required(*EXPORT_POINTS)
def point_export(request: HttpRequest) -> HttpResponse:
    data = importing.export_points(_filtered_points(request).order_by("unit__path", "name"))
    return xlsx_response(data, f"points-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
def point_map(request: HttpRequest) -> HttpResponse:
    from django.conf import settings

    return render(
        request,
        "points/map.html",
        {
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "types": PointType.objects.filter(is_active=True),
            "params": request.GET,
            "data_url": reverse("api:points_map") + ("?" + request.GET.urlencode() if request.GET else ""),
        },
    )


@login_required
def qr_sheet(request: HttpRequest) -> HttpResponse:
    """A printable sheet: one QR code per point, opening the point's page (check in, report)."""
    points = list(_filtered_points(request).order_by("unit__path", "name")[:QR_SHEET_LIMIT])
    cards = []
    for point in points:
        url = request.build_absolute_uri(reverse("points:detail", kwargs={"pk": point.pk}))
        svg = segno.make(url, error="m").svg_inline(scale=3, border=2)
        cards.append({"point": point, "svg": mark_safe(svg), "url": url})  # noqa: S308 (segno's own SVG)
    return render(
        request,
        "points/qr_sheet.html",
        {
            "cards": cards,
            "truncated": len(points) == QR_SHEET_LIMIT,
            "types": PointType.objects.filter(is_active=True),
            "params": request.GET,
        },
    )


# ---------------------------------------------------------------- templates (types, checklists)


@login_required
def type_list(request: HttpRequest) -> HttpResponse:
    types = PointType.objects.annotate(n_items=Count("items", filter=Q(items__is_active=True)))
    return render(
        request,
        "points/type_list.html",
        {
            "types": types,
            "can_manage": has_any_role(request.user, MANAGE_TEMPLATES),
        },
    )


@login_required
def type_detail(request: HttpRequest, pk: int) -> HttpResponse:
    point_type = get_object_or_404(PointType, pk=pk)
    return render(
        request,
        "points/type_detail.html",
        {
            "type": point_type,
            "items": point_type.items.all(),
            "can_manage": has_any_role(request.user, MANAGE_TEMPLATES),
        },
    )


@role_required(*MANAGE_TEMPLATES)
def type_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    point_type = get_object_or_404(PointType, pk=pk) if pk else None
    form = PointTypeForm(request.POST or None, instance=point_type)
    if request.method == "POST" and form.is_valid():
        saved = services.save_point_type(form, actor=request.user, request=request)
        messages.success(request, _("Saved."))
        return redirect("points:type", pk=saved.pk)
    return render(
        request,
        "points/simple_form.html",
        {
            "form": form,
            "title": point_type.name if point_type else _("New point type"),
        },
    )


@role_required(*MANAGE_TEMPLATES)
def item_edit(request: HttpRequest, type_pk: int, pk: int | None = None) -> HttpResponse:
    point_type = get_object_or_404(PointType, pk=type_pk)
    item = (
        get_object_or_404(ChecklistItem, pk=pk, point_type=point_type)
        if pk
        else ChecklistItem(
            point_type=point_type,
            number=(point_type.items.order_by("-number").values_list("number", flat=True).first() or 0) + 1,
        )
    )
    form = ChecklistItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.save_checklist_item(form, actor=request.user, request=request)
        messages.success(request, _("Saved."))
        return redirect("points:type", pk=point_type.pk)
    return render(
        request,
        "points/simple_form.html",
        {
            "form": form,
            "title": f"{point_type.name} · " + (_("Edit item") if pk else _("New item")),
        },
    )


@role_required(*MANAGE_TEMPLATES)
@require_POST
def link_indicators(request: HttpRequest) -> HttpResponse:
    """Link checklist items to the current evaluation system's indicators by their codes."""
    changed = services.link_indicators(request.user, request=request)
    messages.success(request, _("%(n)d checklist items linked or unlinked.") % {"n": changed})
    return redirect("points:types")


@role_required(*MANAGE_TEMPLATES)
def template_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = checklists_io.import_templates(
            form.cleaned_data["file"].read(),
            request.user,
            commit=form.cleaned_data["commit"],
            request=request,
        )
        if report.committed:
            messages.success(
                request, _("Imported: %(c)d new, %(u)d updated.") % {"c": report.created, "u": report.updated}
            )
            return redirect("points:types")
    return render(
        request,
        "points/import.html",
        {
            "form": form,
            "report": report,
            "title": _("Import checklists"),
            "template_url": reverse("points:checklist_import_template"),
        },
    )


@login_required
def template_export(request: HttpRequest) -> HttpResponse:
    return xlsx_response(checklists_io.export_templates(), f"checklists-{timezone.localdate():%Y%m%d}.xlsx")


def _first_unit_name(user: Any) -> str:
    unit = scoped(Unit.objects.filter(is_active=True), user).order_by("depth", "path").first()
    return unit.name if unit is not None else ""


@role_required(*IMPORT_POINTS)
def point_import_template(request: HttpRequest) -> HttpResponse:
    """The blank point list to fill in; the types' drop-down lists the recorded point types."""
    from chuangwen.core.import_template import template_response
    from chuangwen.points.import_template import point_template

    return template_response(point_template(_first_unit_name(request.user)), "点位导入模板.xlsx")


@role_required(*MANAGE_TEMPLATES)
def checklist_import_template(request: HttpRequest) -> HttpResponse:
    """The blank point types and checklist items to fill in."""
    from chuangwen.core.import_template import template_response
    from chuangwen.points.import_template import checklist_template

    return template_response(checklist_template(), "点位类型及测评标准导入模板.xlsx")
